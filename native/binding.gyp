# The Strata native backend addon: N-API bindings (addon.cc, dispatch.cc,
# log-density-addon.cc, conv.cc: convolutions as im2col + sgemm) over
# OpenBLAS's cblas_sgemm plus elementwise kernels
# (kernels.cc, and the fused log-densities in log-density.cc) compiled three
# times on x64 (AVX-512, AVX2+FMA, baseline x86-64) so that dispatch.cc can
# pick the best one for the CPU at load. Built by scripts/build-native.mjs.
#
# No -ffast-math: it lets the compiler assume no NaN or Inf, which tfjs needs.
# -fno-math-errno only drops errno updates, so sqrt vectorizes;
# -fno-trapping-math lets the vectorizer evaluate both arms of a select (JS
# never observes floating-point exception flags). Neither changes results.
{
  'variables': {
    # The BLAS library to link (-l<name>); scripts/build-native.mjs sets it from STRATA_OPENBLAS_LIB.
    'openblas_lib%': 'openblas',
    'strata_cflags': ['-O3', '-pthread', '-fPIC', '-fno-math-errno', '-fno-trapping-math', '-fno-exceptions', '-Wall', '-Wextra', '-Wno-unused-parameter'],
  },
  'target_defaults': {
    'cflags_cc': ['-std=gnu++17', '<@(strata_cflags)'],
    'cflags!': ['-O2'],
    'cflags_cc!': ['-O2', '-std=gnu++1y', '-std=gnu++14'],
    'xcode_settings': {
      'OTHER_CPLUSPLUSFLAGS': ['-std=gnu++17', '<@(strata_cflags)'],
      'MACOSX_DEPLOYMENT_TARGET': '11.0',
    },
  },
  'conditions': [
    ['target_arch=="x64"', {
      'targets': [
        {
          'target_name': 'strata_kernels_avx512',
          'type': 'static_library',
          'sources': ['src/kernels.cc', 'src/log-density.cc'],
          'defines': ['STRATA_VARIANT=variant_avx512'],
          'cflags_cc': ['-march=x86-64-v4', '-mtune=generic', '-mprefer-vector-width=512'],
          'xcode_settings': {'OTHER_CPLUSPLUSFLAGS': ['-march=x86-64-v4', '-mprefer-vector-width=512']},
        },
        {
          'target_name': 'strata_kernels_avx2',
          'type': 'static_library',
          'sources': ['src/kernels.cc', 'src/log-density.cc'],
          'defines': ['STRATA_VARIANT=variant_avx2'],
          'cflags_cc': ['-march=x86-64-v3', '-mtune=generic'],
          'xcode_settings': {'OTHER_CPLUSPLUSFLAGS': ['-march=x86-64-v3']},
        },
        {
          'target_name': 'strata_kernels_base',
          'type': 'static_library',
          'sources': ['src/kernels.cc', 'src/log-density.cc'],
          'defines': ['STRATA_VARIANT=variant_base'],
        },
        {
          'target_name': 'strata_native',
          'sources': ['src/addon.cc', 'src/dispatch.cc', 'src/adam.cc', 'src/parallel.cc', 'src/random.cc', 'src/log-density-addon.cc', 'src/conv.cc'],
          'dependencies': ['strata_kernels_avx512', 'strata_kernels_avx2', 'strata_kernels_base'],
          # adam.cc and random.cc must round after every operation, as tfjs's JavaScript does.
          'cflags_cc': ['-ffp-contract=off'],
          'xcode_settings': {'OTHER_CPLUSPLUSFLAGS': ['-ffp-contract=off']},
          'libraries': ['-l<(openblas_lib)'],
        },
      ],
    }, {
      'targets': [
        {
          'target_name': 'strata_kernels_base',
          'type': 'static_library',
          'sources': ['src/kernels.cc', 'src/log-density.cc'],
          'defines': ['STRATA_VARIANT=variant_base'],
        },
        {
          'target_name': 'strata_native',
          'sources': ['src/addon.cc', 'src/dispatch.cc', 'src/adam.cc', 'src/parallel.cc', 'src/random.cc', 'src/log-density-addon.cc', 'src/conv.cc'],
          'dependencies': ['strata_kernels_base'],
          'cflags_cc': ['-ffp-contract=off'],
          'xcode_settings': {'OTHER_CPLUSPLUSFLAGS': ['-ffp-contract=off']},
          'libraries': ['-l<(openblas_lib)'],
        },
      ],
    }],
  ],
}
