// Argument checking for the N-API entry points (addon.cc, log-density-addon.cc,
// hence inline: a file need not use all of them): typed arrays by
// type, numbers, and the [rank, shape, strides...] layouts, each failing with
// a JavaScript TypeError or RangeError that names the argument.
#ifndef STRATA_NAPI_ARGS_H
#define STRATA_NAPI_ARGS_H

#include <node_api.h>

#include <cstdint>
#include <string>

#include "kernels.h"

namespace strata {
namespace {

struct F32 {
  float* data = nullptr;
  size_t length = 0;
};

struct I32 {
  const int32_t* data = nullptr;
  size_t length = 0;
};

inline bool fail(napi_env env, const char* code, const std::string& message, bool range = false) {
  if (range) napi_throw_range_error(env, code, message.c_str());
  else napi_throw_type_error(env, code, message.c_str());
  return false;
}

inline bool getArgs(napi_env env, napi_callback_info info, napi_value* argv, size_t expected, const char* name) {
  size_t argc = expected;
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok) return false;
  if (argc < expected) return fail(env, "ERR_STRATA_ARGS", std::string(name) + ": expected " + std::to_string(expected) + " arguments");
  return true;
}

inline bool typed(napi_env env, napi_value value, napi_typedarray_type want, void** data, size_t* length, const char* what) {
  bool is = false;
  napi_is_typedarray(env, value, &is);
  napi_typedarray_type type;
  napi_value buffer;
  size_t offset;
  if (!is || napi_get_typedarray_info(env, value, &type, length, data, &buffer, &offset) != napi_ok || type != want) {
    return fail(env, "ERR_STRATA_ARGS", std::string(what) + (want == napi_float32_array ? " must be a Float32Array" : want == napi_float64_array ? " must be a Float64Array" : " must be an Int32Array"));
  }
  return true;
}

inline bool f32(napi_env env, napi_value value, F32* out, const char* what) {
  void* data;
  if (!typed(env, value, napi_float32_array, &data, &out->length, what)) return false;
  out->data = static_cast<float*>(data);
  return true;
}

inline bool i32(napi_env env, napi_value value, I32* out, const char* what) {
  void* data;
  if (!typed(env, value, napi_int32_array, &data, &out->length, what)) return false;
  out->data = static_cast<const int32_t*>(data);
  return true;
}

inline bool int64Arg(napi_env env, napi_value value, int64_t* out, const char* what) {
  if (napi_get_value_int64(env, value, out) != napi_ok) return fail(env, "ERR_STRATA_ARGS", std::string(what) + " must be a number");
  return true;
}

// An operation code in [0, count).
inline bool opArg(napi_env env, napi_value value, int32_t count, int32_t* out, const char* name) {
  int64_t op;
  if (!int64Arg(env, value, &op, "op")) return false;
  if (op < 0 || op >= count) return fail(env, "ERR_STRATA_ARGS", std::string(name) + ": unknown operation code " + std::to_string(op), true);
  *out = static_cast<int32_t>(op);
  return true;
}

inline bool doubleArg(napi_env env, napi_value value, double* out, const char* what) {
  if (napi_get_value_double(env, value, out) != napi_ok) return fail(env, "ERR_STRATA_ARGS", std::string(what) + " must be a number");
  return true;
}

// Reads [rank, shape(rank), strides(rank) × groups] from an Int32Array.
struct Layout {
  int32_t rank = 0;
  int64_t shape[kMaxRank];
  int64_t strides[3][kMaxRank];
};

inline bool layout(napi_env env, napi_value value, int groups, Layout* out, const char* name) {
  I32 dims;
  if (!i32(env, value, &dims, "dims")) return false;
  if (dims.length < 1) return fail(env, "ERR_STRATA_ARGS", std::string(name) + ": empty dims");
  const int32_t rank = dims.data[0];
  if (rank < 1 || rank > kMaxRank || dims.length < static_cast<size_t>(1 + rank * (1 + groups))) {
    return fail(env, "ERR_STRATA_ARGS", std::string(name) + ": bad rank " + std::to_string(rank), true);
  }
  out->rank = rank;
  for (int32_t d = 0; d < rank; ++d) {
    out->shape[d] = dims.data[1 + d];
    if (out->shape[d] < 1) return fail(env, "ERR_STRATA_ARGS", std::string(name) + ": dimensions must be >= 1", true);
  }
  for (int g = 0; g < groups; ++g) {
    for (int32_t d = 0; d < rank; ++d) out->strides[g][d] = dims.data[1 + rank * (1 + g) + d];
  }
  return true;
}

inline int64_t elements(const Layout& l) {
  int64_t n = 1;
  for (int32_t d = 0; d < l.rank; ++d) n *= l.shape[d];
  return n;
}

// Largest element offset reached by `strides` over the layout's shape (strides >= 0).
inline bool extent(const Layout& l, int g, int64_t* last) {
  int64_t e = 0;
  for (int32_t d = 0; d < l.rank; ++d) {
    if (l.strides[g][d] < 0) return false;
    e += (l.shape[d] - 1) * l.strides[g][d];
  }
  *last = e;
  return true;
}

inline bool inside(napi_env env, const Layout& l, int g, int64_t offset, size_t length, const char* name, const char* what) {
  int64_t last;
  if (!extent(l, g, &last) || offset < 0 || offset + last >= static_cast<int64_t>(length)) {
    return fail(env, "ERR_STRATA_BOUNDS", std::string(name) + ": " + what + " is too short for the requested layout", true);
  }
  return true;
}

inline napi_value undefinedValue(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

}  // namespace
}  // namespace strata

#endif
