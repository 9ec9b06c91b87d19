// Picks the kernel variant for this CPU once: AVX-512 (F, BW, DQ, VL) when the
// CPU and OS support it, else AVX2 with FMA, else the baseline build.
// STRATA_NATIVE_VARIANT=base|avx2|avx512 asks for a lower one (tests use it);
// a variant the CPU lacks is never chosen.
#include <cstdlib>
#include <cstring>

#include "kernels.h"

namespace strata {

namespace {

#if defined(__x86_64__) || defined(_M_X64)
bool hasAvx512() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
}
bool hasAvx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
#else
bool hasAvx512() { return false; }
bool hasAvx2() { return false; }
#endif

const KernelTable& choose() {
  const char* asked = std::getenv("STRATA_NATIVE_VARIANT");
  const int ceiling = asked == nullptr ? 2 : std::strcmp(asked, "base") == 0 ? 0 : std::strcmp(asked, "avx2") == 0 ? 1 : 2;
#if defined(__x86_64__) || defined(_M_X64)
  if (ceiling >= 2 && hasAvx512()) return variant_avx512::table;
  if (ceiling >= 1 && hasAvx2()) return variant_avx2::table;
#else
  (void)ceiling;
#endif
  return variant_base::table;
}

}  // namespace

const KernelTable& selectKernels() {
  static const KernelTable& table = choose();
  return table;
}

}  // namespace strata
