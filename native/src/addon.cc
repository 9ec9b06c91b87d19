// N-API entry points. Every function works synchronously and zero-copy on
// Float32Arrays owned by JavaScript (the tfjs cpu backend's storage), checks
// that every index it will touch lies inside the arrays it was given, and
// throws a TypeError/RangeError instead of reading or writing out of bounds.
#include <cblas.h>
#include <node_api.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "kernels.h"
#include "napi-args.h"
#include "parallel.h"

namespace strata {

// The fused log-densities (log-density-addon.cc).
napi_value LogDensity(napi_env env, napi_callback_info info);
napi_value LogDensityGrad(napi_env env, napi_callback_info info);
// Convolutions as im2col + sgemm (conv.cc).
napi_value Conv2d(napi_env env, napi_callback_info info);
napi_value Conv2dBackpropInput(napi_env env, napi_callback_info info);
napi_value Conv2dBackpropFilter(napi_env env, napi_callback_info info);

namespace {

const KernelTable* kernels = nullptr;

// Whether large products are split across our worker pool (OpenBLAS then runs
// single-threaded) rather than OpenBLAS's own threads; see splitGemm.
bool poolGemm = false;

// One row-major product c = op(a)·op(b), [m, k]·[k, n]. With poolGemm, products
// of at least 2^22 multiply-adds are cut into one slab per thread along the
// longer of m and n, each a separate sgemm. The calling thread always works,
// so a worker that is slow to wake delays nothing: the caller takes its slab
// (OpenBLAS's static split waits for it, which on a busy machine cost several
// milliseconds per product).
void splitGemm(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const float* a, const float* b, float* c) {
  const CBLAS_TRANSPOSE opA = ta ? CblasTrans : CblasNoTrans;
  const CBLAS_TRANSPOSE opB = tb ? CblasTrans : CblasNoTrans;
  const blasint lda = static_cast<blasint>(ta ? m : k);
  const blasint ldb = static_cast<blasint>(tb ? k : n);
  const int parts = threads();
  if (!poolGemm || parts == 1 || m * n * k < (int64_t{1} << 22) || (m < 128 && n < 128)) {
    cblas_sgemm(CblasRowMajor, opA, opB, static_cast<blasint>(m), static_cast<blasint>(n), static_cast<blasint>(k), 1.0f, a,
                lda, b, ldb, 0.0f, c, static_cast<blasint>(n));
    return;
  }
  const bool byRows = m >= n;
  const int64_t extent = byRows ? m : n;
  parallelFor(parts, 1, [&](int64_t begin, int64_t end) {
    for (int64_t p = begin; p < end; ++p) {
      const int64_t lo = extent * p / parts, hi = extent * (p + 1) / parts;
      if (hi <= lo) continue;
      if (byRows) {
        cblas_sgemm(CblasRowMajor, opA, opB, static_cast<blasint>(hi - lo), static_cast<blasint>(n), static_cast<blasint>(k), 1.0f,
                    ta ? a + lo : a + lo * k, lda, b, ldb, 0.0f, c + lo * n, static_cast<blasint>(n));
      } else {
        cblas_sgemm(CblasRowMajor, opA, opB, static_cast<blasint>(m), static_cast<blasint>(hi - lo), static_cast<blasint>(k), 1.0f,
                    a, lda, tb ? b + lo * k : b + lo, ldb, 0.0f, c + lo, static_cast<blasint>(n));
      }
    }
  });
}

// Elements per chunk below which splitting a call across threads does not pay
// (waking a worker costs microseconds): memory-bound kernels and the
// exp/log-based ones, which cost ~10x more per element.
constexpr int64_t kCheapGrain = 64 * 1024;
constexpr int64_t kCostlyGrain = 8 * 1024;

bool costly(int32_t op) {
  return op == kExp || op == kLog || op == kLog1p || op == kSoftplus || op == kSigmoid || op == kExpm1 || op == kTanh;
}

// Units per chunk when each unit covers `perUnit` elements.
int64_t grainFor(int64_t perUnit) {
  const int64_t g = kCheapGrain / (perUnit > 0 ? perUnit : 1);
  return g > 0 ? g : 1;
}

// gemm(a, b, c, batch, m, n, k, transA, transB, strideA, strideB):
// c[i] = op(a[i]) · op(b[i]) for i < batch, row-major, op = transpose when asked;
// a stride of 0 reuses the same matrix for every batch entry.
napi_value Gemm(napi_env env, napi_callback_info info) {
  napi_value argv[11];
  if (!getArgs(env, info, argv, 11, "gemm")) return nullptr;
  F32 a, b, c;
  int64_t batch, m, n, k, ta, tb, sa, sb;
  if (!f32(env, argv[0], &a, "a") || !f32(env, argv[1], &b, "b") || !f32(env, argv[2], &c, "c") ||
      !int64Arg(env, argv[3], &batch, "batch") || !int64Arg(env, argv[4], &m, "m") || !int64Arg(env, argv[5], &n, "n") ||
      !int64Arg(env, argv[6], &k, "k") || !int64Arg(env, argv[7], &ta, "transA") || !int64Arg(env, argv[8], &tb, "transB") ||
      !int64Arg(env, argv[9], &sa, "strideA") || !int64Arg(env, argv[10], &sb, "strideB")) {
    return nullptr;
  }
  if (batch < 1 || m < 1 || n < 1 || k < 0 || sa < 0 || sb < 0) {
    fail(env, "ERR_STRATA_ARGS", "gemm: bad sizes", true);
    return nullptr;
  }
  if ((batch - 1) * sa + m * k > static_cast<int64_t>(a.length) || (batch - 1) * sb + k * n > static_cast<int64_t>(b.length) ||
      batch * m * n > static_cast<int64_t>(c.length)) {
    fail(env, "ERR_STRATA_BOUNDS", "gemm: an operand is too short for the requested sizes", true);
    return nullptr;
  }
  if (k == 0) {
    for (int64_t i = 0; i < batch * m * n; ++i) c.data[i] = 0.0f;
    return undefinedValue(env);
  }
  if (batch > 1 && sb == 0 && !ta) {
    // One shared right operand and row-stacked left operands: one tall product.
    splitGemm(false, tb != 0, batch * m, n, k, a.data, b.data, c.data);
    return undefinedValue(env);
  }
  for (int64_t i = 0; i < batch; ++i) splitGemm(ta != 0, tb != 0, m, n, k, a.data + i * sa, b.data + i * sb, c.data + i * m * n);
  return undefinedValue(env);
}

// binary(op, a, b, out, dims = [rank, shape, aStrides, bStrides]); out is contiguous.
napi_value Binary(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  if (!getArgs(env, info, argv, 5, "binary")) return nullptr;
  int32_t code;
  F32 a, b, out;
  Layout l;
  if (!opArg(env, argv[0], kBinaryOpCount, &code, "binary") || !f32(env, argv[1], &a, "a") || !f32(env, argv[2], &b, "b") ||
      !f32(env, argv[3], &out, "out") || !layout(env, argv[4], 2, &l, "binary")) {
    return nullptr;
  }
  if (!inside(env, l, 0, 0, a.length, "binary", "a") || !inside(env, l, 1, 0, b.length, "binary", "b")) return nullptr;
  if (elements(l) > static_cast<int64_t>(out.length)) {
    fail(env, "ERR_STRATA_BOUNDS", "binary: out is too short", true);
    return nullptr;
  }
  parallelFor(elements(l), code == kSoftplusGrad ? kCostlyGrain : kCheapGrain, [&](int64_t begin, int64_t end) {
    kernels->binary(code, a.data, b.data, out.data, l.rank, l.shape, l.strides[0], l.strides[1], begin, end);
  });
  return undefinedValue(env);
}

// unary(op, x, out, alpha, beta): out[i] = op(x[i]) for i < out.length.
napi_value Unary(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  if (!getArgs(env, info, argv, 5, "unary")) return nullptr;
  int32_t code;
  F32 x, out;
  double alpha, beta;
  if (!opArg(env, argv[0], kUnaryOpCount, &code, "unary") || !f32(env, argv[1], &x, "x") || !f32(env, argv[2], &out, "out") ||
      !doubleArg(env, argv[3], &alpha, "alpha") || !doubleArg(env, argv[4], &beta, "beta")) {
    return nullptr;
  }
  if (x.length < out.length) {
    fail(env, "ERR_STRATA_BOUNDS", "unary: x is shorter than out", true);
    return nullptr;
  }
  parallelFor(static_cast<int64_t>(out.length), costly(code) ? kCostlyGrain : kCheapGrain, [&](int64_t begin, int64_t end) {
    kernels->unary(code, x.data, out.data, alpha, beta, begin, end);
  });
  return undefinedValue(env);
}

// reduce(op, x, out, dims = [rank, shape, flags]): flags[d] != 0 reduces axis d of contiguous x.
napi_value Reduce(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  if (!getArgs(env, info, argv, 4, "reduce")) return nullptr;
  int32_t code;
  F32 x, out;
  Layout l;
  if (!opArg(env, argv[0], kReduceOpCount, &code, "reduce") || !f32(env, argv[1], &x, "x") || !f32(env, argv[2], &out, "out") ||
      !layout(env, argv[3], 1, &l, "reduce")) {
    return nullptr;
  }
  uint8_t reduced[kMaxRank];
  int64_t kept = 1;
  for (int32_t d = 0; d < l.rank; ++d) {
    reduced[d] = l.strides[0][d] != 0;
    if (!reduced[d]) kept *= l.shape[d];
  }
  if (elements(l) > static_cast<int64_t>(x.length) || kept > static_cast<int64_t>(out.length)) {
    fail(env, "ERR_STRATA_BOUNDS", "reduce: x or out is too short", true);
    return nullptr;
  }
  const int64_t* shape = l.shape;
  if (l.rank == 1 && reduced[0]) {
    kernels->reduceRows(code, x.data, out.data, shape[0], 0, 1);
  } else if (l.rank == 2 && !reduced[0] && reduced[1]) {
    parallelFor(shape[0], grainFor(shape[1]), [&](int64_t begin, int64_t end) {
      kernels->reduceRows(code, x.data, out.data, shape[1], begin, end);
    });
  } else if ((l.rank == 2 && reduced[0] && !reduced[1]) || (l.rank == 3 && !reduced[0] && reduced[1] && !reduced[2])) {
    const int64_t outer = l.rank == 2 ? 1 : shape[0], rows = shape[l.rank - 2], cols = shape[l.rank - 1];
    parallelFor(cols, grainFor(outer * rows), [&](int64_t begin, int64_t end) {
      kernels->reduceColumns(code, x.data, out.data, outer, rows, cols, begin, end);
    });
  } else {
    parallelFor(kept, grainFor(elements(l) / kept), [&](int64_t begin, int64_t end) {
      kernels->reduceGeneric(code, x.data, out.data, l.rank, shape, reduced, begin, end);
    });
  }
  return undefinedValue(env);
}

// copy(src, srcOffset, dst, dstOffset, dims = [rank, shape, srcStrides, dstStrides]).
napi_value Copy(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  if (!getArgs(env, info, argv, 5, "copy")) return nullptr;
  F32 src, dst;
  int64_t so, dof;
  Layout l;
  if (!f32(env, argv[0], &src, "src") || !int64Arg(env, argv[1], &so, "srcOffset") || !f32(env, argv[2], &dst, "dst") ||
      !int64Arg(env, argv[3], &dof, "dstOffset") || !layout(env, argv[4], 2, &l, "copy")) {
    return nullptr;
  }
  if (!inside(env, l, 0, so, src.length, "copy", "src") || !inside(env, l, 1, dof, dst.length, "copy", "dst")) return nullptr;
  parallelFor(elements(l), kCheapGrain, [&](int64_t begin, int64_t end) {
    kernels->copy(src.data + so, dst.data + dof, l.rank, l.shape, l.strides[0], l.strides[1], begin, end);
  });
  return undefinedValue(env);
}

// adam(value, m, v, g, valueOut, mOut, vOut, hyper): see adam.cc for hyper.
napi_value Adam(napi_env env, napi_callback_info info) {
  napi_value argv[8];
  if (!getArgs(env, info, argv, 8, "adam")) return nullptr;
  F32 t[8];
  const char* names[8] = {"value", "m", "v", "g", "valueOut", "mOut", "vOut", "hyper"};
  for (int i = 0; i < 8; ++i) {
    if (!f32(env, argv[i], &t[i], names[i])) return nullptr;
  }
  const size_t n = t[0].length;
  for (int i = 1; i < 7; ++i) {
    if (t[i].length != n) {
      fail(env, "ERR_STRATA_BOUNDS", std::string("adam: ") + names[i] + " differs in length from value", true);
      return nullptr;
    }
  }
  if (t[7].length < 8) {
    fail(env, "ERR_STRATA_ARGS", "adam: hyper needs 8 entries", true);
    return nullptr;
  }
  parallelFor(static_cast<int64_t>(n), kCheapGrain, [&](int64_t b, int64_t e) {
    adamStep(t[0].data + b, t[1].data + b, t[2].data + b, t[3].data + b, t[4].data + b, t[5].data + b, t[6].data + b, e - b, t[7].data);
  });
  return undefinedValue(env);
}

// aleaUniform(out, state: Float64Array [s0, s1, s2, c], min, range): fills out, advances state.
napi_value AleaUniform(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  if (!getArgs(env, info, argv, 4, "aleaUniform")) return nullptr;
  F32 out;
  void* stateData;
  size_t stateLength;
  double min, range;
  if (!f32(env, argv[0], &out, "out") || !typed(env, argv[1], napi_float64_array, &stateData, &stateLength, "state") ||
      !doubleArg(env, argv[2], &min, "min") || !doubleArg(env, argv[3], &range, "range")) {
    return nullptr;
  }
  if (stateLength < 4) {
    fail(env, "ERR_STRATA_ARGS", "aleaUniform: state needs 4 entries", true);
    return nullptr;
  }
  aleaUniform(out.data, static_cast<int64_t>(out.length), static_cast<double*>(stateData), min, range);
  return undefinedValue(env);
}

napi_value setString(napi_env env, napi_value object, const char* key, const char* value) {
  napi_value s;
  napi_create_string_utf8(env, value, NAPI_AUTO_LENGTH, &s);
  napi_set_named_property(env, object, key, s);
  return object;
}

// info(): { variant, blasConfig, blasCore, blasThreads, kernelThreads }.
napi_value Info(napi_env env, napi_callback_info info) {
  napi_value object;
  napi_create_object(env, &object);
  setString(env, object, "variant", kernels->name);
  setString(env, object, "blasConfig", openblas_get_config());
  setString(env, object, "blasCore", openblas_get_corename());
  napi_value threads;
  napi_create_int32(env, openblas_get_num_threads(), &threads);
  napi_set_named_property(env, object, "blasThreads", threads);
  napi_value kernelThreads;
  napi_create_int32(env, strata::threads(), &kernelThreads);
  napi_set_named_property(env, object, "kernelThreads", kernelThreads);
  return object;
}

napi_value Init(napi_env env, napi_value exports) {
  kernels = &selectKernels();
  // STRATA_NATIVE_GEMM_THREADS=blas leaves threading to OpenBLAS.
  const char* gemmThreads = std::getenv("STRATA_NATIVE_GEMM_THREADS");
  poolGemm = gemmThreads == nullptr || std::strcmp(gemmThreads, "blas") != 0;
  if (poolGemm) openblas_set_num_threads(1);
  const napi_property_descriptor methods[] = {
      {"gemm", nullptr, Gemm, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"binary", nullptr, Binary, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"unary", nullptr, Unary, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"reduce", nullptr, Reduce, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"copy", nullptr, Copy, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"adam", nullptr, Adam, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"aleaUniform", nullptr, AleaUniform, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"logDensity", nullptr, LogDensity, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"logDensityGrad", nullptr, LogDensityGrad, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"conv2d", nullptr, Conv2d, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"conv2dBackpropInput", nullptr, Conv2dBackpropInput, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"conv2dBackpropFilter", nullptr, Conv2dBackpropFilter, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"info", nullptr, Info, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
  };
  napi_define_properties(env, exports, sizeof methods / sizeof methods[0], methods);
  return exports;
}

}  // namespace
}  // namespace strata

NAPI_MODULE(NODE_GYP_MODULE_NAME, strata::Init)
