// Uniform random numbers bit-identical to tfjs-core's tf.randomUniform for
// float32: seedrandom's Alea generator (Baagøe 2010, the version in the
// seedrandom package that tfjs uses), then min + range·u rounded to float32.
// The state is seeded in JavaScript (src/backend/native/random-uniform.ts).
//
// Alea's JavaScript steps t = 2091639·s0 + c·2^-32; c = t | 0; s = t - c in
// doubles, but every s is a multiple of 2^-32 and every intermediate is an
// integer times 2^-32 below 2^53, so all of it is exact: it is the
// multiply-with-carry generator T = 2091639·x + c, c = T >> 32, x' = T mod
// 2^32 on s = x·2^-32. Integers make the carry chain an add and a shift
// instead of a float-to-int round trip. Compiled with -ffp-contract=off: a
// fused multiply-add in min + range·u would change the stream.
#include <cstdint>

#include "kernels.h"

namespace strata {

void aleaUniform(float* out, int64_t n, double* state, double min, double range) {
  const double kTwo32 = 4294967296.0;
  uint64_t x0 = static_cast<uint64_t>(state[0] * kTwo32);
  uint64_t x1 = static_cast<uint64_t>(state[1] * kTwo32);
  uint64_t x2 = static_cast<uint64_t>(state[2] * kTwo32);
  uint64_t c = static_cast<uint64_t>(state[3]);
  for (int64_t i = 0; i < n; ++i) {
    const uint64_t t = 2091639ULL * x0 + c;
    c = t >> 32;
    x0 = x1;
    x1 = x2;
    x2 = t & 0xffffffffULL;
    const double u = static_cast<double>(x2) * 2.3283064365386963e-10;  // 2^-32, exact
    out[i] = static_cast<float>(min + range * u);
  }
  state[0] = static_cast<double>(x0) / kTwo32;
  state[1] = static_cast<double>(x1) / kTwo32;
  state[2] = static_cast<double>(x2) / kTwo32;
  state[3] = static_cast<double>(c);
}

}  // namespace strata
