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
// In double, as the cpu kernel's JavaScript numbers: one rounding instead of two.
struct SquaredDifferenceOp {
  static inline float f(float a, float b) {
    double d = static_cast<double>(a) - static_cast<double>(b);
    return static_cast<float>(d * d);
  }
};
// Math.max/Math.min semantics: NaN in either operand gives NaN.
struct MaximumOp { static inline float f(float a, float b) { return (a > b || a != a) ? a : b; } };
struct MinimumOp { static inline float f(float a, float b) { return (a < b || a != a) ? a : b; } };
inline float sigmoid(float x);  // below, with the unary kernels
// The same two roundings as the Sigmoid kernel followed by the Multiply kernel.
struct SoftplusGradOp { static inline float f(float dy, float x) { return dy * sigmoid(x); } };

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

// Offsets of operand elements at the start of output row `row` (all axes but the last).
inline void rowOffsets(int64_t row, int32_t last, const int64_t* shape, const int64_t* sa, const int64_t* sb,
                       int64_t* index, int64_t* offA, int64_t* offB) {
  *offA = 0;
  *offB = 0;
  for (int32_t d = last - 1; d >= 0; --d) {
    index[d] = row % shape[d];
    row /= shape[d];
    *offA += index[d] * sa[d];
    *offB += index[d] * sb[d];
  }
}

template <class Op>
void binaryStrided(const float* a, const float* b, float* out, int32_t rank, const int64_t* shape, const int64_t* sa,
                   const int64_t* sb, int64_t begin, int64_t end) {
  const int32_t last = rank - 1;
  const int64_t n = shape[last];
  int64_t index[kMaxRank] = {0};
  int64_t row = begin / n, col = begin % n;
  int64_t offA, offB;
  rowOffsets(row, last, shape, sa, sb, index, &offA, &offB);
  for (int64_t pos = begin; pos < end; ++row) {
    const int64_t stop = (end - pos < n - col) ? col + (end - pos) : n;
    binaryInner<Op>(a + offA + col * sa[last], b + offB + col * sb[last], out + pos, stop - col, sa[last], sb[last]);
    pos += stop - col;
    col = 0;
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
            const int64_t* sa, const int64_t* sb, int64_t begin, int64_t end) {
  switch (op) {
    case kAdd: return binaryStrided<AddOp>(a, b, out, rank, shape, sa, sb, begin, end);
    case kSub: return binaryStrided<SubOp>(a, b, out, rank, shape, sa, sb, begin, end);
    case kMul: return binaryStrided<MulOp>(a, b, out, rank, shape, sa, sb, begin, end);
    case kDiv: return binaryStrided<DivOp>(a, b, out, rank, shape, sa, sb, begin, end);
    case kSquaredDifference: return binaryStrided<SquaredDifferenceOp>(a, b, out, rank, shape, sa, sb, begin, end);
    case kMaximum: return binaryStrided<MaximumOp>(a, b, out, rank, shape, sa, sb, begin, end);
    case kMinimum: return binaryStrided<MinimumOp>(a, b, out, rank, shape, sa, sb, begin, end);
    case kSoftplusGrad: return binaryStrided<SoftplusGradOp>(a, b, out, rank, shape, sa, sb, begin, end);
    default: return;
  }
}

// ---- unary -----------------------------------------------------------------

inline float softplus(float x) {
  // max(x, 0) + log1p(e^-|x|): no overflow for large x, exact e^x tail for very negative x.
  float ax = x < 0.0f ? -x : x;
  float pos = x > 0.0f ? x : 0.0f;
  float result = pos + log1pUnit(expApprox(-ax));
  return x != x ? x : result;
}

inline float sigmoid(float x) {
  // With e = e^-|x| in (0, 1]: 1/(1+e) for x >= 0, e/(1+e) for x < 0, which keeps the
  // tiny (even denormal) values for very negative x that 1/(1+e^-x) rounds to 0.
  float e = expApprox(x < 0.0f ? x : -x);
  float r = 1.0f / (1.0f + e);
  return x < 0.0f ? e * r : r;
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

// alpha and beta are doubles so that LeakyRelu's product rounds once, as in the cpu kernel.
void unary(int32_t op, const float* __restrict x0, float* __restrict out0, double alpha, double beta, int64_t begin,
           int64_t end) {
  const float* __restrict x = x0 + begin;
  float* __restrict out = out0 + begin;
  const int64_t n = end - begin;
  const float alphaF = static_cast<float>(alpha), betaF = static_cast<float>(beta);
  switch (op) {
    case kNeg: UNARY_LOOP(-v);
    case kSqrt: UNARY_LOOP(__builtin_sqrtf(v));
    case kSquare: UNARY_LOOP(v * v);
    case kExp: UNARY_LOOP(expApprox(v));
    case kLog: UNARY_LOOP(logApprox(v));
    case kLog1p: UNARY_LOOP(log1pApprox(v));
    case kSoftplus: UNARY_LOOP(softplus(v));
    case kSigmoid: UNARY_LOOP(sigmoid(v));
    case kAbs: UNARY_LOOP(__builtin_fabsf(v));
    case kStep: UNARY_LOOP(v != v ? v : (v > 0.0f ? 1.0f : alphaF));
    case kSign: UNARY_LOOP(v < 0.0f ? -1.0f : (v > 0.0f ? 1.0f : 0.0f));
    case kReciprocal: UNARY_LOOP(1.0f / v);
    case kRelu: UNARY_LOOP(v < 0.0f ? 0.0f : v);
    case kClip: UNARY_LOOP(v > betaF ? betaF : (v < alphaF ? alphaF : v));
    case kRsqrt: UNARY_LOOP(1.0f / __builtin_sqrtf(v));
    case kExpm1: UNARY_LOOP(expm1Approx(v));
    case kTanh: UNARY_LOOP(tanhApprox(v));
    case kLeakyRelu: UNARY_LOOP(v < 0.0f ? static_cast<float>(alpha * static_cast<double>(v)) : v);
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

// acc[k] += x[r·stride + k] for r < rows, k < width, in double.
void sumColumns(const float* __restrict x, double* __restrict acc, int64_t rows, int64_t width, int64_t stride) {
  for (int64_t r = 0; r < rows; ++r) {
    const float* row = x + r * stride;
    for (int64_t k = 0; k < width; ++k) acc[k] += static_cast<double>(row[k]);
  }
}

template <bool kMax>
void extremeColumns(const float* __restrict x, float* __restrict out, int64_t rows, int64_t width, int64_t stride) {
  std::memcpy(out, x, sizeof(float) * width);
  for (int64_t r = 1; r < rows; ++r) {
    const float* row = x + r * stride;
    for (int64_t k = 0; k < width; ++k) out[k] = pick<kMax>(out[k], row[k]);
  }
}

// Generic pattern: one output at a time.
void reduceGeneric(int32_t op, const float* x, float* out, int32_t rank, const int64_t* shape, const uint8_t* reduced,
                   int64_t begin, int64_t end) {
  int64_t strides[kMaxRank];
  int64_t s = 1;
  for (int32_t d = rank - 1; d >= 0; --d) {
    strides[d] = s;
    s *= shape[d];
  }
  int32_t kept[kMaxRank], red[kMaxRank];
  int32_t nk = 0, nr = 0;
  int64_t count = 1;
  for (int32_t d = 0; d < rank; ++d) {
    if (reduced[d]) {
      red[nr++] = d;
      count *= shape[d];
    } else {
      kept[nk++] = d;
    }
  }
  for (int64_t o = begin; o < end; ++o) {
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

void reduceRows(int32_t op, const float* x, float* out, int64_t cols, int64_t begin, int64_t end) {
  for (int64_t r = begin; r < end; ++r) out[r] = reduceRow(op, x + r * cols, cols);
}

// [outer, rows, cols] -> [outer, cols], reducing the middle axis, for columns [begin, end).
void reduceColumns(int32_t op, const float* x, float* out, int64_t outer, int64_t rows, int64_t cols, int64_t begin,
                   int64_t end) {
  const int64_t width = end - begin;
  if (op == kMax || op == kMin) {
    for (int64_t o = 0; o < outer; ++o) {
      const float* block = x + o * rows * cols + begin;
      if (op == kMax) extremeColumns<true>(block, out + o * cols + begin, rows, width, cols);
      else extremeColumns<false>(block, out + o * cols + begin, rows, width, cols);
    }
    return;
  }
  std::vector<double> acc(static_cast<size_t>(width));
  const double scale = op == kMean ? 1.0 / static_cast<double>(rows) : 1.0;
  for (int64_t o = 0; o < outer; ++o) {
    std::fill(acc.begin(), acc.end(), 0.0);
    sumColumns(x + o * rows * cols + begin, acc.data(), rows, width, cols);
    float* dst = out + o * cols + begin;
    for (int64_t k = 0; k < width; ++k) dst[k] = static_cast<float>(acc[k] * scale);
  }
}

// ---- strided copy ----------------------------------------------------------

void copy(const float* src, float* dst, int32_t rank, const int64_t* shape, const int64_t* ss, const int64_t* ds,
          int64_t begin, int64_t end) {
  const int32_t last = rank - 1;
  const int64_t n = shape[last];
  const int64_t is = ss[last], id = ds[last];
  int64_t index[kMaxRank] = {0};
  int64_t row = begin / n, col = begin % n;
  int64_t offS, offD;
  rowOffsets(row, last, shape, ss, ds, index, &offS, &offD);
  for (int64_t pos = begin; pos < end; ++row) {
    const int64_t stop = (end - pos < n - col) ? col + (end - pos) : n;
    const int64_t count = stop - col;
    const float* __restrict s = src + offS + col * is;
    float* __restrict t = dst + offD + col * id;
    if (is == 1 && id == 1) {
      std::memcpy(t, s, sizeof(float) * count);
    } else if (is == 0) {
      const float v = s[0];
      for (int64_t i = 0; i < count; ++i) t[i * id] = v;
    } else {
      for (int64_t i = 0; i < count; ++i) t[i * id] = s[i * is];
    }
    pos += count;
    col = 0;
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

}  // namespace

// log-density.cc, compiled into the same variant namespace.
void logDensity(int32_t op, const DensityLayout& layout, float* out, int64_t begin, int64_t end);
void logDensityGrad(int32_t op, const DensityLayout& layout, const float* dy, float* gx, float* gloc, float* gscale,
                    int64_t begin, int64_t end);

extern const KernelTable table = {STRATA_STR(STRATA_VARIANT), binary, unary, reduceRows, reduceColumns, reduceGeneric, copy,
                                  logDensity, logDensityGrad};

}  // namespace STRATA_VARIANT
}  // namespace strata
