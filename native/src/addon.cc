// N-API entry points. Every function works synchronously and zero-copy on
// Float32Arrays owned by JavaScript (the tfjs cpu backend's storage), checks
// that every index it will touch lies inside the arrays it was given, and
// throws a TypeError/RangeError instead of reading or writing out of bounds.
#include <cblas.h>
#include <node_api.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "kernels.h"

namespace strata {
namespace {

const KernelTable* kernels = nullptr;

struct F32 {
  float* data = nullptr;
  size_t length = 0;
};

struct I32 {
  const int32_t* data = nullptr;
  size_t length = 0;
};

bool fail(napi_env env, const char* code, const std::string& message, bool range = false) {
  if (range) napi_throw_range_error(env, code, message.c_str());
  else napi_throw_type_error(env, code, message.c_str());
  return false;
}

bool getArgs(napi_env env, napi_callback_info info, napi_value* argv, size_t expected, const char* name) {
  size_t argc = expected;
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok) return false;
  if (argc < expected) return fail(env, "ERR_STRATA_ARGS", std::string(name) + ": expected " + std::to_string(expected) + " arguments");
  return true;
}

bool typed(napi_env env, napi_value value, napi_typedarray_type want, void** data, size_t* length, const char* what) {
  bool is = false;
  napi_is_typedarray(env, value, &is);
  napi_typedarray_type type;
  napi_value buffer;
  size_t offset;
  if (!is || napi_get_typedarray_info(env, value, &type, length, data, &buffer, &offset) != napi_ok || type != want) {
    return fail(env, "ERR_STRATA_ARGS", std::string(what) + (want == napi_float32_array ? " must be a Float32Array" : " must be an Int32Array"));
  }
  return true;
}

bool f32(napi_env env, napi_value value, F32* out, const char* what) {
  void* data;
  if (!typed(env, value, napi_float32_array, &data, &out->length, what)) return false;
  out->data = static_cast<float*>(data);
  return true;
}

bool i32(napi_env env, napi_value value, I32* out, const char* what) {
  void* data;
  if (!typed(env, value, napi_int32_array, &data, &out->length, what)) return false;
  out->data = static_cast<const int32_t*>(data);
  return true;
}

bool int64Arg(napi_env env, napi_value value, int64_t* out, const char* what) {
  if (napi_get_value_int64(env, value, out) != napi_ok) return fail(env, "ERR_STRATA_ARGS", std::string(what) + " must be a number");
  return true;
}

bool floatArg(napi_env env, napi_value value, float* out, const char* what) {
  double d;
  if (napi_get_value_double(env, value, &d) != napi_ok) return fail(env, "ERR_STRATA_ARGS", std::string(what) + " must be a number");
  *out = static_cast<float>(d);
  return true;
}

// Reads [rank, shape(rank), strides(rank) × groups] from an Int32Array.
struct Layout {
  int32_t rank = 0;
  int64_t shape[kMaxRank];
  int64_t strides[3][kMaxRank];
};

bool layout(napi_env env, napi_value value, int groups, Layout* out, const char* name) {
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

int64_t elements(const Layout& l) {
  int64_t n = 1;
  for (int32_t d = 0; d < l.rank; ++d) n *= l.shape[d];
  return n;
}

// Largest element offset reached by `strides` over the layout's shape (strides >= 0).
bool extent(const Layout& l, int g, int64_t* last) {
  int64_t e = 0;
  for (int32_t d = 0; d < l.rank; ++d) {
    if (l.strides[g][d] < 0) return false;
    e += (l.shape[d] - 1) * l.strides[g][d];
  }
  *last = e;
  return true;
}

bool inside(napi_env env, const Layout& l, int g, int64_t offset, size_t length, const char* name, const char* what) {
  int64_t last;
  if (!extent(l, g, &last) || offset < 0 || offset + last >= static_cast<int64_t>(length)) {
    return fail(env, "ERR_STRATA_BOUNDS", std::string(name) + ": " + what + " is too short for the requested layout", true);
  }
  return true;
}

napi_value undefinedValue(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

// gemm(a, b, c, batch, m, n, k, transA, transB, strideA, strideB):
// c[i] = op(a[i]) · op(b[i]) for i < batch, row-major, op = transpose when asked;
// a stride of 0 reuses the same matrix for every batch entry.
napi_value Gemm(napi_env env, napi_callback_info info) {
  napi_value argv[11];
  if (!getArgs(env, info, argv, 11, "gemm")) return nullptr;
  F32 a, b, c;
  int64_t batch, m, n, k, ta, tb, sa, sb;
  if (!f32(env, argv[0], &a, "a") || !f32(env, argv[1], &b, "b") || !f32(env, argv[2], &c, "c") ||
      !int64Arg(env, argv[3], &batch, "batch") || !int64Arg(env, argv[4], &m, "m") || !int64Arg(env, argv[5], &n, "n") ||
      !int64Arg(env, argv[6], &k, "k") || !int64Arg(env, argv[7], &ta, "transA") || !int64Arg(env, argv[8], &tb, "transB") ||
      !int64Arg(env, argv[9], &sa, "strideA") || !int64Arg(env, argv[10], &sb, "strideB")) {
    return nullptr;
  }
  if (batch < 1 || m < 1 || n < 1 || k < 0 || sa < 0 || sb < 0) {
    fail(env, "ERR_STRATA_ARGS", "gemm: bad sizes", true);
    return nullptr;
  }
  if ((batch - 1) * sa + m * k > static_cast<int64_t>(a.length) || (batch - 1) * sb + k * n > static_cast<int64_t>(b.length) ||
      batch * m * n > static_cast<int64_t>(c.length)) {
    fail(env, "ERR_STRATA_BOUNDS", "gemm: an operand is too short for the requested sizes", true);
    return nullptr;
  }
  const CBLAS_TRANSPOSE opA = ta ? CblasTrans : CblasNoTrans;
  const CBLAS_TRANSPOSE opB = tb ? CblasTrans : CblasNoTrans;
  const blasint lda = static_cast<blasint>(ta ? m : k);
  const blasint ldb = static_cast<blasint>(tb ? k : n);
  if (k == 0) {
    for (int64_t i = 0; i < batch * m * n; ++i) c.data[i] = 0.0f;
    return undefinedValue(env);
  }
  if (batch > 1 && sb == 0 && !ta) {
    // One shared right operand and row-stacked left operands: one tall product.
    cblas_sgemm(CblasRowMajor, opA, opB, static_cast<blasint>(batch * m), static_cast<blasint>(n), static_cast<blasint>(k),
                1.0f, a.data, lda, b.data, ldb, 0.0f, c.data, static_cast<blasint>(n));
    return undefinedValue(env);
  }
  for (int64_t i = 0; i < batch; ++i) {
    cblas_sgemm(CblasRowMajor, opA, opB, static_cast<blasint>(m), static_cast<blasint>(n), static_cast<blasint>(k), 1.0f,
                a.data + i * sa, lda, b.data + i * sb, ldb, 0.0f, c.data + i * m * n, static_cast<blasint>(n));
  }
  return undefinedValue(env);
}

// binary(op, a, b, out, dims = [rank, shape, aStrides, bStrides]); out is contiguous.
napi_value Binary(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  if (!getArgs(env, info, argv, 5, "binary")) return nullptr;
  int64_t op;
  F32 a, b, out;
  Layout l;
  if (!int64Arg(env, argv[0], &op, "op") || !f32(env, argv[1], &a, "a") || !f32(env, argv[2], &b, "b") ||
      !f32(env, argv[3], &out, "out") || !layout(env, argv[4], 2, &l, "binary")) {
    return nullptr;
  }
  if (!inside(env, l, 0, 0, a.length, "binary", "a") || !inside(env, l, 1, 0, b.length, "binary", "b")) return nullptr;
  if (elements(l) > static_cast<int64_t>(out.length)) {
    fail(env, "ERR_STRATA_BOUNDS", "binary: out is too short", true);
    return nullptr;
  }
  kernels->binary(static_cast<int32_t>(op), a.data, b.data, out.data, l.rank, l.shape, l.strides[0], l.strides[1]);
  return undefinedValue(env);
}

// unary(op, x, out, alpha, beta): out[i] = op(x[i]) for i < out.length.
napi_value Unary(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  if (!getArgs(env, info, argv, 5, "unary")) return nullptr;
  int64_t op;
  F32 x, out;
  float alpha, beta;
  if (!int64Arg(env, argv[0], &op, "op") || !f32(env, argv[1], &x, "x") || !f32(env, argv[2], &out, "out") ||
      !floatArg(env, argv[3], &alpha, "alpha") || !floatArg(env, argv[4], &beta, "beta")) {
    return nullptr;
  }
  if (x.length < out.length) {
    fail(env, "ERR_STRATA_BOUNDS", "unary: x is shorter than out", true);
    return nullptr;
  }
  kernels->unary(static_cast<int32_t>(op), x.data, out.data, static_cast<int64_t>(out.length), alpha, beta);
  return undefinedValue(env);
}

// reduce(op, x, out, dims = [rank, shape, flags]): flags[d] != 0 reduces axis d of contiguous x.
napi_value Reduce(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  if (!getArgs(env, info, argv, 4, "reduce")) return nullptr;
  int64_t op;
  F32 x, out;
  Layout l;
  if (!int64Arg(env, argv[0], &op, "op") || !f32(env, argv[1], &x, "x") || !f32(env, argv[2], &out, "out") ||
      !layout(env, argv[3], 1, &l, "reduce")) {
    return nullptr;
  }
  uint8_t reduced[kMaxRank];
  int64_t kept = 1;
  for (int32_t d = 0; d < l.rank; ++d) {
    reduced[d] = l.strides[0][d] != 0;
    if (!reduced[d]) kept *= l.shape[d];
  }
  if (elements(l) > static_cast<int64_t>(x.length) || kept > static_cast<int64_t>(out.length)) {
    fail(env, "ERR_STRATA_BOUNDS", "reduce: x or out is too short", true);
    return nullptr;
  }
  kernels->reduce(static_cast<int32_t>(op), x.data, out.data, l.rank, l.shape, reduced);
  return undefinedValue(env);
}

// copy(src, srcOffset, dst, dstOffset, dims = [rank, shape, srcStrides, dstStrides]).
napi_value Copy(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  if (!getArgs(env, info, argv, 5, "copy")) return nullptr;
  F32 src, dst;
  int64_t so, dof;
  Layout l;
  if (!f32(env, argv[0], &src, "src") || !int64Arg(env, argv[1], &so, "srcOffset") || !f32(env, argv[2], &dst, "dst") ||
      !int64Arg(env, argv[3], &dof, "dstOffset") || !layout(env, argv[4], 2, &l, "copy")) {
    return nullptr;
  }
  if (!inside(env, l, 0, so, src.length, "copy", "src") || !inside(env, l, 1, dof, dst.length, "copy", "dst")) return nullptr;
  kernels->copy(src.data + so, dst.data + dof, l.rank, l.shape, l.strides[0], l.strides[1]);
  return undefinedValue(env);
}

// adam(value, m, v, g, valueOut, mOut, vOut, hyper = [lr, b1, b2, eps, 1 - b1^t, 1 - b2^t]).
napi_value Adam(napi_env env, napi_callback_info info) {
  napi_value argv[8];
  if (!getArgs(env, info, argv, 8, "adam")) return nullptr;
  F32 t[8];
  const char* names[8] = {"value", "m", "v", "g", "valueOut", "mOut", "vOut", "hyper"};
  for (int i = 0; i < 8; ++i) {
    if (!f32(env, argv[i], &t[i], names[i])) return nullptr;
  }
  const size_t n = t[0].length;
  for (int i = 1; i < 7; ++i) {
    if (t[i].length != n) {
      fail(env, "ERR_STRATA_BOUNDS", std::string("adam: ") + names[i] + " differs in length from value", true);
      return nullptr;
    }
  }
  if (t[7].length < 6) {
    fail(env, "ERR_STRATA_ARGS", "adam: hyper needs 6 entries", true);
    return nullptr;
  }
  kernels->adam(t[0].data, t[1].data, t[2].data, t[3].data, t[4].data, t[5].data, t[6].data, static_cast<int64_t>(n), t[7].data);
  return undefinedValue(env);
}

napi_value setString(napi_env env, napi_value object, const char* key, const char* value) {
  napi_value s;
  napi_create_string_utf8(env, value, NAPI_AUTO_LENGTH, &s);
  napi_set_named_property(env, object, key, s);
  return object;
}

// info(): { variant, blasConfig, blasCore, blasThreads }.
napi_value Info(napi_env env, napi_callback_info info) {
  napi_value object;
  napi_create_object(env, &object);
  setString(env, object, "variant", kernels->name);
  setString(env, object, "blasConfig", openblas_get_config());
  setString(env, object, "blasCore", openblas_get_corename());
  napi_value threads;
  napi_create_int32(env, openblas_get_num_threads(), &threads);
  napi_set_named_property(env, object, "blasThreads", threads);
  return object;
}

napi_value Init(napi_env env, napi_value exports) {
  kernels = &selectKernels();
  const napi_property_descriptor methods[] = {
      {"gemm", nullptr, Gemm, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"binary", nullptr, Binary, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"unary", nullptr, Unary, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"reduce", nullptr, Reduce, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"copy", nullptr, Copy, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"adam", nullptr, Adam, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"info", nullptr, Info, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
  };
  napi_define_properties(env, exports, sizeof methods / sizeof methods[0], methods);
  return exports;
}

}  // namespace
}  // namespace strata

NAPI_MODULE(NODE_GYP_MODULE_NAME, strata::Init)
