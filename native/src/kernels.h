// The table of elementwise, reduction, copy and fused log-density kernels.
// kernels.cc and log-density.cc are compiled once per instruction-set variant
// (see binding.gyp), each into its own namespace, and dispatch.cc picks one
// table at load from the CPU's features.
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
  // The gradient of softplus: a · sigmoid(b) for a = dy, b = x (tfjs's mul(dy, sigmoid(x)) in one pass).
  kSoftplusGrad = 7,
  kBinaryOpCount = 8,
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
  kUnaryOpCount = 18,
};

enum DensityOp : int32_t {
  kNormalDensity = 0,
  kLaplaceDensity = 1,
  kDensityOpCount = 2,
};

// Operands of a fused log-density (log-density.cc): x, loc and scale broadcast
// to [rows..., n]; `shape` holds the row axes (after merging) and `strides` each
// operand's strides along them (0 broadcasts); `inner` is each operand's stride
// along the summed last axis, 0 or 1.
struct DensityLayout {
  const float* x;
  const float* loc;
  const float* scale;
  int32_t rank;
  int64_t shape[kMaxRank];
  int64_t strides[3][kMaxRank];
  int64_t n;
  int64_t inner[3];
};

enum ReduceOp : int32_t {
  kSum = 0,
  kMean = 1,
  kMax = 2,
  kMin = 3,
  kReduceOpCount = 4,
};

// One variant's kernels. Shapes and strides are in elements; a stride of 0
// broadcasts. All pointers are float32 arrays that do not overlap the output.
// Each kernel computes a range of its output, so that parallel.cc can split a
// call across threads; [begin, end) indexes the output in row-major order.
struct KernelTable {
  const char* name;
  // out[i] = a[i] op b[i] over `shape` (rank dims) with per-operand strides; out contiguous.
  void (*binary)(int32_t op, const float* a, const float* b, float* out, int32_t rank, const int64_t* shape,
                 const int64_t* aStrides, const int64_t* bStrides, int64_t begin, int64_t end);
  // out[i] = op(x[i]) for i in [begin, end).
  void (*unary)(int32_t op, const float* x, float* out, double alpha, double beta, int64_t begin, int64_t end);
  // x is [rows, cols]: out[r] = reduce(x[r, :]) for r in [begin, end). Sums accumulate in double.
  void (*reduceRows)(int32_t op, const float* x, float* out, int64_t cols, int64_t begin, int64_t end);
  // x is [outer, rows, cols]: out[o, c] = reduce_r x[o, r, c] for every o and c in [begin, end).
  void (*reduceColumns)(int32_t op, const float* x, float* out, int64_t outer, int64_t rows, int64_t cols,
                        int64_t begin, int64_t end);
  // Any other pattern (dims alternate kept/reduced after merging): out[o] for o in [begin, end).
  void (*reduceGeneric)(int32_t op, const float* x, float* out, int32_t rank, const int64_t* shape,
                        const uint8_t* reduced, int64_t begin, int64_t end);
  // dst[dstStrides·i] = src[srcStrides·i] for the multi-indices i of `shape` at positions [begin, end).
  void (*copy)(const float* src, float* dst, int32_t rank, const int64_t* shape, const int64_t* srcStrides,
               const int64_t* dstStrides, int64_t begin, int64_t end);
  // out[r] = Σ_j log p(x, loc, scale)[r, j] for rows r in [begin, end), summed in double (log-density.cc).
  void (*logDensity)(int32_t op, const DensityLayout& layout, float* out, int64_t begin, int64_t end);
  // Gradients of Σ_r dy[r] · out[r] for x, loc and scale at the broadcast shape [rows, n], rows [begin, end).
  void (*logDensityGrad)(int32_t op, const DensityLayout& layout, const float* dy, float* gx, float* gloc,
                         float* gscale, int64_t begin, int64_t end);
};

// One Adam step (adam.cc), see there.
void adamStep(const float* value, const float* m, const float* v, const float* g, float* valueOut, float* mOut,
              float* vOut, int64_t n, const float* hyper);

// n uniforms from the Alea state {s0, s1, s2, c} (updated), as tf.randomUniform (random.cc).
void aleaUniform(float* out, int64_t n, double* state, double min, double range);

namespace variant_avx512 { extern const KernelTable table; }
namespace variant_avx2 { extern const KernelTable table; }
namespace variant_base { extern const KernelTable table; }

// The variant for this CPU (avx512 > avx2 > base), chosen once.
const KernelTable& selectKernels();

}  // namespace strata

#endif
