// Elementwise, reduction and copy kernels, written as plain loops for GCC's
// auto-vectorizer. binding.gyp compiles this file once per variant with a
// different -march and STRATA_VARIANT naming the namespace (variant_avx512,
// variant_avx2, variant_base), so each table holds code for one instruction set.
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "fast-math.h"
#include "kernels.h"

#ifndef STRATA_VARIANT
#error "compile with -DSTRATA_VARIANT=<namespace>"
#endif
#define STRATA_STR2(x) #x
#define STRATA_STR(x) STRATA_STR2(x)

namespace strata {
namespace STRATA_VARIANT {
namespace {

// ---- binary ----------------------------------------------------------------

struct AddOp { static inline float f(float a, float b) { return a + b; } };
struct SubOp { static inline float f(float a, float b) { return a - b; } };
struct MulOp { static inline float f(float a, float b) { return a * b; } };
struct DivOp { static inline float f(float a, float b) { return a / b; } };
struct SquaredDifferenceOp { static inline float f(float a, float b) { float d = a - b; return d * d; } };
// Math.max/Math.min semantics: NaN in either operand gives NaN.
struct MaximumOp { static inline float f(float a, float b) { return (a > b || a != a) ? a : b; } };
struct MinimumOp { static inline float f(float a, float b) { return (a < b || a != a) ? a : b; } };

template <class Op>
inline void binaryInner(const float* __restrict a, const float* __restrict b, float* __restrict out, int64_t n,
                        int64_t sa, int64_t sb) {
  if (sa == 1 && sb == 1) {
    for (int64_t i = 0; i < n; ++i) out[i] = Op::f(a[i], b[i]);
  } else if (sa == 0 && sb == 1) {
    const float av = a[0];
    for (int64_t i = 0; i < n; ++i) out[i] = Op::f(av, b[i]);
  } else if (sa == 1 && sb == 0) {
    const float bv = b[0];
    for (int64_t i = 0; i < n; ++i) out[i] = Op::f(a[i], bv);
  } else {
    for (int64_t i = 0; i < n; ++i) out[i] = Op::f(a[i * sa], b[i * sb]);
  }
}

template <class Op>
void binaryStrided(const float* a, const float* b, float* out, int32_t rank, const int64_t* shape, const int64_t* sa,
                   const int64_t* sb) {
  const int32_t last = rank - 1;
  const int64_t n = shape[last];
  int64_t outer = 1;
  for (int32_t d = 0; d < last; ++d) outer *= shape[d];
  int64_t index[kMaxRank] = {0};
  int64_t offA = 0, offB = 0;
  for (int64_t o = 0; o < outer; ++o) {
    binaryInner<Op>(a + offA, b + offB, out + o * n, n, sa[last], sb[last]);
    for (int32_t d = last - 1; d >= 0; --d) {
      if (++index[d] < shape[d]) {
        offA += sa[d];
        offB += sb[d];
        break;
      }
      offA -= sa[d] * (shape[d] - 1);
      offB -= sb[d] * (shape[d] - 1);
      index[d] = 0;
    }
  }
}

void binary(int32_t op, const float* a, const float* b, float* out, int32_t rank, const int64_t* shape,
            const int64_t* sa, const int64_t* sb) {
  switch (op) {
    case kAdd: return binaryStrided<AddOp>(a, b, out, rank, shape, sa, sb);
    case kSub: return binaryStrided<SubOp>(a, b, out, rank, shape, sa, sb);
    case kMul: return binaryStrided<MulOp>(a, b, out, rank, shape, sa, sb);
    case kDiv: return binaryStrided<DivOp>(a, b, out, rank, shape, sa, sb);
    case kSquaredDifference: return binaryStrided<SquaredDifferenceOp>(a, b, out, rank, shape, sa, sb);
    case kMaximum: return binaryStrided<MaximumOp>(a, b, out, rank, shape, sa, sb);
    case kMinimum: return binaryStrided<MinimumOp>(a, b, out, rank, shape, sa, sb);
    default: return;
  }
}

// ---- unary -----------------------------------------------------------------

inline float softplus(float x) {
  // max(x, 0) + log1p(e^-|x|): no overflow for large x, exact e^x tail for very negative x.
  float ax = x < 0.0f ? -x : x;
  float pos = x > 0.0f ? x : 0.0f;
  float result = pos + log1pApprox(expApprox(-ax));
  return x != x ? x : result;
}

inline float tanhApprox(float x) {
  // tanh|x| = -expm1(-2|x|) / (2 + expm1(-2|x|)), sign restored.
  float ax = x < 0.0f ? -x : x;
  float em = expm1Approx(-2.0f * ax);
  float t = -em / (2.0f + em);
  return x < 0.0f ? -t : (x != x ? x : t);
}

#define UNARY_LOOP(expr)                                          \
  for (int64_t i = 0; i < n; ++i) {                               \
    const float v = x[i];                                         \
    out[i] = (expr);                                              \
  }                                                               \
  return

void unary(int32_t op, const float* __restrict x, float* __restrict out, int64_t n, float alpha, float beta) {
  switch (op) {
    case kNeg: UNARY_LOOP(-v);
    case kSqrt: UNARY_LOOP(__builtin_sqrtf(v));
    case kSquare: UNARY_LOOP(v * v);
    case kExp: UNARY_LOOP(expApprox(v));
    case kLog: UNARY_LOOP(logApprox(v));
    case kLog1p: UNARY_LOOP(log1pApprox(v));
    case kSoftplus: UNARY_LOOP(softplus(v));
    case kSigmoid: UNARY_LOOP(1.0f / (1.0f + expApprox(-v)));
    case kAbs: UNARY_LOOP(__builtin_fabsf(v));
    case kStep: UNARY_LOOP(v != v ? v : (v > 0.0f ? 1.0f : alpha));
    case kSign: UNARY_LOOP(v < 0.0f ? -1.0f : (v > 0.0f ? 1.0f : 0.0f));
    case kReciprocal: UNARY_LOOP(1.0f / v);
    case kRelu: UNARY_LOOP(v < 0.0f ? 0.0f : v);
    case kClip: UNARY_LOOP(v > beta ? beta : (v < alpha ? alpha : v));
    case kRsqrt: UNARY_LOOP(1.0f / __builtin_sqrtf(v));
    case kExpm1: UNARY_LOOP(expm1Approx(v));
    case kTanh: UNARY_LOOP(tanhApprox(v));
    case kLeakyRelu: UNARY_LOOP(v < 0.0f ? alpha * v : v);
    case kAffine: UNARY_LOOP(alpha * v + beta);
    default: return;
  }
}
#undef UNARY_LOOP

// ---- reductions ------------------------------------------------------------

constexpr int kLanes = 16;

double sumRow(const float* __restrict x, int64_t n) {
  double acc[kLanes] = {0};
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    for (int l = 0; l < kLanes; ++l) acc[l] += static_cast<double>(x[i + l]);
  }
  double s = 0;
  for (int l = 0; l < kLanes; ++l) s += acc[l];
  for (; i < n; ++i) s += static_cast<double>(x[i]);
  return s;
}

template <bool kMax>
inline float pick(float acc, float v) {
  // NaN wins, as in tfjs's cpu maxImpl/minImpl.
  if (kMax) return (v > acc || v != v) ? v : acc;
  return (v < acc || v != v) ? v : acc;
}

template <bool kMax>
float extremeRow(const float* __restrict x, int64_t n) {
  float acc[kLanes];
  for (int l = 0; l < kLanes; ++l) acc[l] = x[0];
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    for (int l = 0; l < kLanes; ++l) acc[l] = pick<kMax>(acc[l], x[i + l]);
  }
  float r = x[0];
  for (int l = 0; l < kLanes; ++l) r = pick<kMax>(r, acc[l]);
  for (; i < n; ++i) r = pick<kMax>(r, x[i]);
  return r;
}

// out[k] (+)= reduce_r x[r·cols + k] for rows × cols, accumulating sums in double.
void sumColumns(const float* __restrict x, double* __restrict acc, int64_t rows, int64_t cols) {
  for (int64_t r = 0; r < rows; ++r) {
    const float* row = x + r * cols;
    for (int64_t k = 0; k < cols; ++k) acc[k] += static_cast<double>(row[k]);
  }
}

template <bool kMax>
void extremeColumns(const float* __restrict x, float* __restrict out, int64_t rows, int64_t cols) {
  std::memcpy(out, x, sizeof(float) * cols);
  for (int64_t r = 1; r < rows; ++r) {
    const float* row = x + r * cols;
    for (int64_t k = 0; k < cols; ++k) out[k] = pick<kMax>(out[k], row[k]);
  }
}

// Generic fallback for more than three merged axes: one output at a time.
void reduceGeneric(int32_t op, const float* x, float* out, int32_t rank, const int64_t* shape, const uint8_t* reduced) {
  int64_t strides[kMaxRank];
  int64_t s = 1;
  for (int32_t d = rank - 1; d >= 0; --d) {
    strides[d] = s;
    s *= shape[d];
  }
  int32_t kept[kMaxRank], red[kMaxRank];
  int32_t nk = 0, nr = 0;
  int64_t count = 1, outSize = 1;
  for (int32_t d = 0; d < rank; ++d) {
    if (reduced[d]) {
      red[nr++] = d;
      count *= shape[d];
    } else {
      kept[nk++] = d;
      outSize *= shape[d];
    }
  }
  for (int64_t o = 0; o < outSize; ++o) {
    int64_t base = 0, rem = o;
    for (int32_t j = nk - 1; j >= 0; --j) {
      base += (rem % shape[kept[j]]) * strides[kept[j]];
      rem /= shape[kept[j]];
    }
    double sum = 0;
    float ext = x[base];
    for (int64_t c = 0; c < count; ++c) {
      int64_t off = base, rc = c;
      for (int32_t j = nr - 1; j >= 0; --j) {
        off += (rc % shape[red[j]]) * strides[red[j]];
        rc /= shape[red[j]];
      }
      const float v = x[off];
      if (op == kMax) ext = pick<true>(ext, v);
      else if (op == kMin) ext = pick<false>(ext, v);
      else sum += static_cast<double>(v);
    }
    out[o] = op == kMax || op == kMin ? ext : static_cast<float>(op == kMean ? sum / static_cast<double>(count) : sum);
  }
}

float reduceRow(int32_t op, const float* x, int64_t n) {
  switch (op) {
    case kSum: return static_cast<float>(sumRow(x, n));
    case kMean: return static_cast<float>(sumRow(x, n) / static_cast<double>(n));
    case kMax: return extremeRow<true>(x, n);
    default: return extremeRow<false>(x, n);
  }
}

// [outer, rows, cols] -> [outer, cols], reducing the middle axis.
void reduceMiddle(int32_t op, const float* x, float* out, int64_t outer, int64_t rows, int64_t cols) {
  if (op == kMax || op == kMin) {
    for (int64_t o = 0; o < outer; ++o) {
      if (op == kMax) extremeColumns<true>(x + o * rows * cols, out + o * cols, rows, cols);
      else extremeColumns<false>(x + o * rows * cols, out + o * cols, rows, cols);
    }
    return;
  }
  std::vector<double> acc(static_cast<size_t>(cols));
  const double scale = op == kMean ? 1.0 / static_cast<double>(rows) : 1.0;
  for (int64_t o = 0; o < outer; ++o) {
    std::fill(acc.begin(), acc.end(), 0.0);
    sumColumns(x + o * rows * cols, acc.data(), rows, cols);
    float* dst = out + o * cols;
    for (int64_t k = 0; k < cols; ++k) dst[k] = static_cast<float>(acc[k] * scale);
  }
}

void reduce(int32_t op, const float* x, float* out, int32_t rank, const int64_t* shape, const uint8_t* reduced) {
  if (rank == 1 && reduced[0]) {
    out[0] = reduceRow(op, x, shape[0]);
  } else if (rank == 2 && !reduced[0] && reduced[1]) {
    for (int64_t i = 0; i < shape[0]; ++i) out[i] = reduceRow(op, x + i * shape[1], shape[1]);
  } else if (rank == 2 && reduced[0] && !reduced[1]) {
    reduceMiddle(op, x, out, 1, shape[0], shape[1]);
  } else if (rank == 3 && !reduced[0] && reduced[1] && !reduced[2]) {
    reduceMiddle(op, x, out, shape[0], shape[1], shape[2]);
  } else {
    reduceGeneric(op, x, out, rank, shape, reduced);
  }
}

// ---- strided copy ----------------------------------------------------------

void copy(const float* src, float* dst, int32_t rank, const int64_t* shape, const int64_t* ss, const int64_t* ds) {
  const int32_t last = rank - 1;
  const int64_t n = shape[last];
  const int64_t is = ss[last], id = ds[last];
  int64_t outer = 1;
  for (int32_t d = 0; d < last; ++d) outer *= shape[d];
  int64_t index[kMaxRank] = {0};
  int64_t offS = 0, offD = 0;
  for (int64_t o = 0; o < outer; ++o) {
    const float* __restrict s = src + offS;
    float* __restrict t = dst + offD;
    if (is == 1 && id == 1) {
      std::memcpy(t, s, sizeof(float) * n);
    } else if (is == 0) {
      const float v = s[0];
      for (int64_t i = 0; i < n; ++i) t[i * id] = v;
    } else {
      for (int64_t i = 0; i < n; ++i) t[i * id] = s[i * is];
    }
    for (int32_t d = last - 1; d >= 0; --d) {
      if (++index[d] < shape[d]) {
        offS += ss[d];
        offD += ds[d];
        break;
      }
      offS -= ss[d] * (shape[d] - 1);
      offD -= ds[d] * (shape[d] - 1);
      index[d] = 0;
    }
  }
}

// ---- Adam ------------------------------------------------------------------

void adam(const float* value, const float* m, const float* v, const float* g, float* valueOut, float* mOut,
          float* vOut, int64_t n, const float* hyper) {
  const float lr = hyper[0], b1 = hyper[1], b2 = hyper[2], eps = hyper[3];
  const float c1 = hyper[4], c2 = hyper[5];  // 1 - beta1^t, 1 - beta2^t
  const float ob1 = 1.0f - b1, ob2 = 1.0f - b2;
  for (int64_t i = 0; i < n; ++i) {
    const float gi = g[i];
    const float mi = m[i] * b1 + gi * ob1;
    const float vi = v[i] * b2 + (gi * gi) * ob2;
    const float step = (mi / c1) / (__builtin_sqrtf(vi / c2) + eps);
    mOut[i] = mi;
    vOut[i] = vi;
    valueOut[i] = step * -lr + value[i];
  }
}

}  // namespace

extern const KernelTable table = {STRATA_STR(STRATA_VARIANT), binary, unary, reduce, copy, adam};

}  // namespace STRATA_VARIANT
}  // namespace strata
