// The table of elementwise, reduction and copy kernels. kernels.cc is compiled
// once per instruction-set variant (see binding.gyp), each into its own
// namespace, and dispatch.cc picks one table at load from the CPU's features.
#ifndef STRATA_KERNELS_H
#define STRATA_KERNELS_H

#include <cstdint>

namespace strata {

// Most dimensions a strided kernel accepts after the caller has merged
// contiguous axes (tfjs tensors have rank <= 6; tile doubles it).
constexpr int kMaxRank = 12;

enum BinaryOp : int32_t {
  kAdd = 0,
  kSub = 1,
  kMul = 2,
  kDiv = 3,
  kSquaredDifference = 4,
  kMaximum = 5,
  kMinimum = 6,
};

enum UnaryOp : int32_t {
  kNeg = 0,
  kSqrt = 1,
  kSquare = 2,
  kExp = 3,
  kLog = 4,
  kLog1p = 5,
  kSoftplus = 6,
  kSigmoid = 7,
  kAbs = 8,
  kStep = 9,         // x > 0 ? 1 : alpha, NaN stays NaN
  kSign = 10,
  kReciprocal = 11,
  kRelu = 12,
  kClip = 13,        // min(max(x, alpha), beta), NaN stays NaN
  kRsqrt = 14,
  kExpm1 = 15,
  kTanh = 16,
  kLeakyRelu = 17,   // x < 0 ? alpha x : x
  kAffine = 18,      // alpha x + beta (scalar-operand Add/Sub/Mul folded by the caller)
};

enum ReduceOp : int32_t {
  kSum = 0,
  kMean = 1,
  kMax = 2,
  kMin = 3,
};

// One variant's kernels. Shapes and strides are in elements; a stride of 0
// broadcasts. All pointers are float32 arrays that do not overlap the output.
struct KernelTable {
  const char* name;
  // out[i] = a[i] op b[i] over `shape` (rank dims) with per-operand strides; out contiguous.
  void (*binary)(int32_t op, const float* a, const float* b, float* out, int32_t rank, const int64_t* shape,
                 const int64_t* aStrides, const int64_t* bStrides);
  // out[i] = op(x[i]) for n contiguous elements.
  void (*unary)(int32_t op, const float* x, float* out, int64_t n, float alpha, float beta);
  // Reduces the axes flagged in `reduced` (dims alternate kept/reduced after merging); out is
  // the kept axes, contiguous. Sums accumulate in double.
  void (*reduce)(int32_t op, const float* x, float* out, int32_t rank, const int64_t* shape, const uint8_t* reduced);
  // dst[dstStrides·i] = src[srcStrides·i] over `shape`.
  void (*copy)(const float* src, float* dst, int32_t rank, const int64_t* shape, const int64_t* srcStrides,
               const int64_t* dstStrides);
  // One Adam step (Kingma and Ba 2015, Algorithm 1, in tfjs's operation order), elementwise so
  // an output may alias its input: m' = b1 m + (1-b1) g; v' = b2 v + (1-b2) g²;
  // value' = value - lr · (m' / (1 - b1^t)) / (sqrt(v' / (1 - b2^t)) + eps).
  void (*adam)(const float* value, const float* m, const float* v, const float* g, float* valueOut, float* mOut,
               float* vOut, int64_t n, const float* hyper);
};

namespace variant_avx512 { extern const KernelTable table; }
namespace variant_avx2 { extern const KernelTable table; }
namespace variant_base { extern const KernelTable table; }

// The variant for this CPU (avx512 > avx2 > base), chosen once.
const KernelTable& selectKernels();

}  // namespace strata

#endif
