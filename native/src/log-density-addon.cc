// N-API entry points of the fused log-densities (kernels in log-density.cc),
// checked like those in addon.cc: every operand must cover the layout it is
// read with, and the outputs the rows they are written for.
#include <node_api.h>

#include <cstdint>
#include <string>

#include "kernels.h"
#include "napi-args.h"
#include "parallel.h"

namespace strata {
namespace {

// Elements per chunk below which a call is not split across threads: the
// forward costs a log per element, the backward is memory-bound.
constexpr int64_t kForwardGrain = 16 * 1024;
constexpr int64_t kBackwardGrain = 32 * 1024;

// Reads dims = [rank, shape, xStrides, locStrides, scaleStrides] (the last axis
// is the summed one) and checks x, loc and scale against it.
bool densityLayout(napi_env env, napi_value dims, const F32* operands, const char* name, DensityLayout* out,
                   int64_t* rows) {
  Layout l;
  if (!layout(env, dims, 3, &l, name)) return false;
  const char* what[3] = {"x", "loc", "scale"};
  for (int k = 0; k < 3; ++k) {
    if (!inside(env, l, k, 0, operands[k].length, name, what[k])) return false;
    const int64_t inner = l.strides[k][l.rank - 1];
    if (inner != 0 && inner != 1) {
      return fail(env, "ERR_STRATA_ARGS", std::string(name) + ": the last axis stride of " + what[k] + " must be 0 or 1", true);
    }
    out->inner[k] = inner;
  }
  out->x = operands[0].data;
  out->loc = operands[1].data;
  out->scale = operands[2].data;
  out->rank = l.rank - 1;
  out->n = l.shape[l.rank - 1];
  *rows = 1;
  for (int32_t d = 0; d < out->rank; ++d) {
    out->shape[d] = l.shape[d];
    *rows *= l.shape[d];
    for (int k = 0; k < 3; ++k) out->strides[k][d] = l.strides[k][d];
  }
  return true;
}

int64_t rowGrain(int64_t grain, int64_t n) { return grain / n > 0 ? grain / n : 1; }

}  // namespace

// logDensity(op, x, loc, scale, out, dims): out[r] = Σ_j log p[r, j] (see log-density.cc).
napi_value LogDensity(napi_env env, napi_callback_info info) {
  napi_value argv[6];
  if (!getArgs(env, info, argv, 6, "logDensity")) return nullptr;
  int32_t code;
  F32 operands[3], out;
  if (!opArg(env, argv[0], kDensityOpCount, &code, "logDensity") || !f32(env, argv[1], &operands[0], "x") ||
      !f32(env, argv[2], &operands[1], "loc") || !f32(env, argv[3], &operands[2], "scale") || !f32(env, argv[4], &out, "out")) {
    return nullptr;
  }
  DensityLayout l;
  int64_t rows;
  if (!densityLayout(env, argv[5], operands, "logDensity", &l, &rows)) return nullptr;
  if (rows > static_cast<int64_t>(out.length)) {
    fail(env, "ERR_STRATA_BOUNDS", "logDensity: out is too short", true);
    return nullptr;
  }
  const KernelTable& kernels = selectKernels();
  parallelFor(rows, rowGrain(kForwardGrain, l.n), [&](int64_t begin, int64_t end) {
    kernels.logDensity(code, l, out.data, begin, end);
  });
  return undefinedValue(env);
}

// logDensityGrad(op, dy, x, loc, scale, gx, gloc, gscale, dims): the gradients at the full broadcast shape.
napi_value LogDensityGrad(napi_env env, napi_callback_info info) {
  napi_value argv[9];
  if (!getArgs(env, info, argv, 9, "logDensityGrad")) return nullptr;
  int32_t code;
  F32 dy, operands[3], grads[3];
  if (!opArg(env, argv[0], kDensityOpCount, &code, "logDensityGrad") || !f32(env, argv[1], &dy, "dy") ||
      !f32(env, argv[2], &operands[0], "x") || !f32(env, argv[3], &operands[1], "loc") ||
      !f32(env, argv[4], &operands[2], "scale") || !f32(env, argv[5], &grads[0], "gx") ||
      !f32(env, argv[6], &grads[1], "gloc") || !f32(env, argv[7], &grads[2], "gscale")) {
    return nullptr;
  }
  DensityLayout l;
  int64_t rows;
  if (!densityLayout(env, argv[8], operands, "logDensityGrad", &l, &rows)) return nullptr;
  if (rows > static_cast<int64_t>(dy.length)) {
    fail(env, "ERR_STRATA_BOUNDS", "logDensityGrad: dy is too short", true);
    return nullptr;
  }
  for (const F32& g : grads) {
    if (rows * l.n > static_cast<int64_t>(g.length)) {
      fail(env, "ERR_STRATA_BOUNDS", "logDensityGrad: a gradient output is too short", true);
      return nullptr;
    }
  }
  const KernelTable& kernels = selectKernels();
  parallelFor(rows, rowGrain(kBackwardGrain, l.n), [&](int64_t begin, int64_t end) {
    kernels.logDensityGrad(code, l, dy.data, grads[0].data, grads[1].data, grads[2].data, begin, end);
  });
  return undefinedValue(env);
}

}  // namespace strata
