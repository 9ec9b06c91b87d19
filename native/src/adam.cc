// One Adam step (Kingma and Ba 2015, Algorithm 1) fused into a single pass,
// with the same float32 operations in the same order as tfjs-core's
// AdamOptimizer.applyGradients, so that the result is bit-identical to the
// op-by-op update on the cpu backend (every op there rounds to float32; this
// file is compiled with -ffp-contract=off so no multiply-add is fused).
//
//   m' = m·b1 + g·(1-b1)            v' = v·b2 + (g·g)·(1-b2)
//   value' = ((m'/c1) / (sqrt(v'/c2) + eps))·(-lr) + value
//
// hyper = [b1, 1-b1, b2, 1-b2, c1 = 1-b1^t, c2 = 1-b2^t, eps, -lr], each as the
// float32 scalar tfjs would make of it. The outputs are fresh arrays (never an
// input). Memory-bound once vectorized, so one build serves all CPUs.
#include <cmath>

#include "kernels.h"

namespace strata {

void adamStep(const float* __restrict value, const float* __restrict m, const float* __restrict v,
              const float* __restrict g, float* __restrict valueOut, float* __restrict mOut, float* __restrict vOut,
              int64_t n, const float* hyper) {
  const float b1 = hyper[0], ob1 = hyper[1], b2 = hyper[2], ob2 = hyper[3];
  const float c1 = hyper[4], c2 = hyper[5], eps = hyper[6], negLr = hyper[7];
  for (int64_t i = 0; i < n; ++i) {
    const float gi = g[i];
    const float mi = m[i] * b1 + gi * ob1;
    const float vi = v[i] * b2 + (gi * gi) * ob2;
    const float denominator = std::sqrt(vi / c2) + eps;
    const float updated = ((mi / c1) / denominator) * negLr + value[i];
    mOut[i] = mi;
    vOut[i] = vi;
    valueOut[i] = updated;
  }
}

}  // namespace strata
