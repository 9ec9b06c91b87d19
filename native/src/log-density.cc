// Fused log-densities of the Normal and Laplace distributions and their
// gradients (one pass each way instead of ~8 elementwise ops forward and ~12
// backward), compiled once per instruction-set variant like kernels.cc.
//
// The operands x, loc, scale broadcast to a shape [rows..., n]; the forward
// writes out[r] = Σ_j logp(x, loc, scale)[r, j], the sum in double:
//   Normal:  logp = -½ z² - (log scale + ½ log 2π),  z = (x - loc) / scale
//   Laplace: logp = -|r| / scale - log(2 scale),     r = x - loc
// The backward writes the gradients of Σ_r dy[r] · out[r] at the full
// broadcast shape (the caller sums them back to each operand's shape):
//   Normal:  gx = -dy z/scale, gloc = dy z/scale, gscale = dy (z² - 1)/scale
//   Laplace: gx = -dy s/scale, gloc = dy s/scale, gscale = dy (|r|/scale - 1)/scale,
//            s = r > 0 ? 1 : -1 (tfjs's Abs gradient, step(r, -1): -1 at r = 0)
// log is fast-math.h's logApprox (about 1 ulp); everything else is float32.
#include <cstdint>

#include "fast-math.h"
#include "kernels.h"

#ifndef STRATA_VARIANT
#error "compile with -DSTRATA_VARIANT=<namespace>"
#endif

namespace strata {
namespace STRATA_VARIANT {
namespace {

struct Normal {
  // The part of logp that depends on scale only: log scale + ½ log 2π.
  static inline float offset(float scale) { return logApprox(scale) + 0.918938533204672742f; }
  static inline float term(float x, float loc, float scale, float offset) {
    const float z = (x - loc) / scale;
    return -0.5f * (z * z) - offset;
  }
  static inline void grad(float dy, float x, float loc, float scale, float* gx, float* gloc, float* gscale) {
    const float z = (x - loc) / scale;
    const float g = dy * (z / scale);
    *gx = -g;
    *gloc = g;
    *gscale = dy * ((z * z - 1.0f) / scale);
  }
};

struct Laplace {
  static inline float offset(float scale) { return logApprox(2.0f * scale); }
  static inline float term(float x, float loc, float scale, float offset) {
    return -(__builtin_fabsf(x - loc) / scale) - offset;
  }
  static inline void grad(float dy, float x, float loc, float scale, float* gx, float* gloc, float* gscale) {
    const float r = x - loc;
    const float s = r != r ? r : (r > 0.0f ? 1.0f : -1.0f);
    const float g = dy * (s / scale);
    *gx = -g;
    *gloc = g;
    *gscale = dy * ((__builtin_fabsf(r) / scale - 1.0f) / scale);
  }
};

constexpr int64_t kChunk = 512;  // terms buffered (on the stack) before they are summed
constexpr int kLanes = 16;       // independent double accumulators, so the sum vectorizes

// Σ_j logp over one row; SX, SL, SS are the operands' strides along it (0 or 1).
template <class D, int SX, int SL, int SS>
double rowSum(const float* __restrict x, const float* __restrict loc, const float* __restrict scale, int64_t n) {
  float terms[kChunk];
  double acc[kLanes] = {0};
  const float rowOffset = D::offset(scale[0]);  // used when scale is constant along the row
  for (int64_t start = 0; start < n; start += kChunk) {
    const int64_t m = n - start < kChunk ? n - start : kChunk;
    const float* xs = x + start * SX;
    const float* ls = loc + start * SL;
    const float* ss = scale + start * SS;
    for (int64_t i = 0; i < m; ++i) {
      const float s = ss[i * SS];
      terms[i] = D::term(xs[i * SX], ls[i * SL], s, SS ? D::offset(s) : rowOffset);
    }
    int64_t i = 0;
    for (; i + kLanes <= m; i += kLanes) {
      for (int l = 0; l < kLanes; ++l) acc[l] += static_cast<double>(terms[i + l]);
    }
    for (; i < m; ++i) acc[0] += static_cast<double>(terms[i]);
  }
  double sum = 0;
  for (int l = 0; l < kLanes; ++l) sum += acc[l];
  return sum;
}

template <class D, int SX, int SL, int SS>
void rowGrad(float dy, const float* __restrict x, const float* __restrict loc, const float* __restrict scale,
             float* __restrict gx, float* __restrict gloc, float* __restrict gscale, int64_t n) {
  for (int64_t i = 0; i < n; ++i) D::grad(dy, x[i * SX], loc[i * SL], scale[i * SS], gx + i, gloc + i, gscale + i);
}

// Walks the rows [begin, end) of a layout, keeping each operand's offset.
class Rows {
 public:
  Rows(const DensityLayout& l, int64_t row) : l_(l) {
    for (int32_t d = l.rank - 1; d >= 0; --d) {
      index_[d] = row % l.shape[d];
      row /= l.shape[d];
      for (int k = 0; k < 3; ++k) offset[k] += index_[d] * l.strides[k][d];
    }
  }
  void next() {
    for (int32_t d = l_.rank - 1; d >= 0; --d) {
      if (++index_[d] < l_.shape[d]) {
        for (int k = 0; k < 3; ++k) offset[k] += l_.strides[k][d];
        return;
      }
      for (int k = 0; k < 3; ++k) offset[k] -= l_.strides[k][d] * (l_.shape[d] - 1);
      index_[d] = 0;
    }
  }
  int64_t offset[3] = {0, 0, 0};

 private:
  const DensityLayout& l_;
  int64_t index_[kMaxRank] = {0};
};

template <class D, int SX, int SL, int SS>
void forwardRows(const DensityLayout& l, float* out, int64_t begin, int64_t end) {
  Rows rows(l, begin);
  for (int64_t r = begin; r < end; ++r, rows.next()) {
    out[r] = static_cast<float>(rowSum<D, SX, SL, SS>(l.x + rows.offset[0], l.loc + rows.offset[1], l.scale + rows.offset[2], l.n));
  }
}

template <class D, int SX, int SL, int SS>
void backwardRows(const DensityLayout& l, const float* dy, float* gx, float* gloc, float* gscale, int64_t begin,
                  int64_t end) {
  Rows rows(l, begin);
  for (int64_t r = begin; r < end; ++r, rows.next()) {
    const int64_t o = r * l.n;
    rowGrad<D, SX, SL, SS>(dy[r], l.x + rows.offset[0], l.loc + rows.offset[1], l.scale + rows.offset[2], gx + o, gloc + o,
                           gscale + o, l.n);
  }
}

// Picks the instantiation for the inner strides (each 0 or 1, checked by the caller).
#define STRATA_BY_STRIDES(D, fn, ...)                                            \
  switch (l.inner[0] * 4 + l.inner[1] * 2 + l.inner[2]) {                        \
    case 0: return fn<D, 0, 0, 0>(__VA_ARGS__);                                  \
    case 1: return fn<D, 0, 0, 1>(__VA_ARGS__);                                  \
    case 2: return fn<D, 0, 1, 0>(__VA_ARGS__);                                  \
    case 3: return fn<D, 0, 1, 1>(__VA_ARGS__);                                  \
    case 4: return fn<D, 1, 0, 0>(__VA_ARGS__);                                  \
    case 5: return fn<D, 1, 0, 1>(__VA_ARGS__);                                  \
    case 6: return fn<D, 1, 1, 0>(__VA_ARGS__);                                  \
    default: return fn<D, 1, 1, 1>(__VA_ARGS__);                                 \
  }

template <class D>
void forwardFor(const DensityLayout& l, float* out, int64_t begin, int64_t end) {
  STRATA_BY_STRIDES(D, forwardRows, l, out, begin, end)
}

template <class D>
void backwardFor(const DensityLayout& l, const float* dy, float* gx, float* gloc, float* gscale, int64_t begin,
                 int64_t end) {
  STRATA_BY_STRIDES(D, backwardRows, l, dy, gx, gloc, gscale, begin, end)
}

#undef STRATA_BY_STRIDES

}  // namespace

void logDensity(int32_t op, const DensityLayout& l, float* out, int64_t begin, int64_t end) {
  if (op == kNormalDensity) forwardFor<Normal>(l, out, begin, end);
  else if (op == kLaplaceDensity) forwardFor<Laplace>(l, out, begin, end);
}

void logDensityGrad(int32_t op, const DensityLayout& l, const float* dy, float* gx, float* gloc, float* gscale,
                    int64_t begin, int64_t end) {
  if (op == kNormalDensity) backwardFor<Normal>(l, dy, gx, gloc, gscale, begin, end);
  else if (op == kLaplaceDensity) backwardFor<Laplace>(l, dy, gx, gloc, gscale, begin, end);
}

}  // namespace STRATA_VARIANT
}  // namespace strata
