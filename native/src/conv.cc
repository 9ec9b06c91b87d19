// 2-D convolution on channels-last images (NHWC, tfjs's layout) as im2col +
// OpenBLAS sgemm, and its two gradients, which are also the transposed
// convolution (deconv2d) and its gradients:
//
//   conv2d:               y[n, oy, ox, f] = Σ_{ky, kx, c} x[n, oy·sh - pt + ky, ox·sw - pl + kx, c] · w[ky, kx, c, f]
//   conv2dBackpropInput:  dx = col2im(dy · wᵀ)        (the gradient of conv2d for x; deconv2d's forward)
//   conv2dBackpropFilter: dw = Σ_n im2col(x)ᵀ · dy    (the gradient of conv2d for w)
//
// The rows of im2col(x) are output pixels, its columns (ky, kx, c) in the
// order of w's [kh, kw, c, f] layout, so w is the [kh·kw·c, f] matrix as it
// lies in memory. Images are processed in chunks whose column matrix fits a
// few MB, one chunk per worker thread (parallel.h), each with its own sgemm
// (addon.cc runs OpenBLAS single-threaded for this). Every entry point checks
// that the arrays cover the shapes it is given before touching them.
#include <cblas.h>
#include <node_api.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include "napi-args.h"
#include "parallel.h"

namespace strata {
namespace {

// dims = [n, h, w, c, kh, kw, f, strideH, strideW, padTop, padLeft, outH, outW].
struct ConvShape {
  int64_t n, h, w, c, kh, kw, f, sh, sw, pt, pl, oh, ow;
  int64_t rowsPerImage() const { return oh * ow; }
  int64_t patch() const { return kh * kw * c; }
  int64_t xSize() const { return n * h * w * c; }
  int64_t ySize() const { return n * oh * ow * f; }
  int64_t wSize() const { return kh * kw * c * f; }
};

// Floats of one chunk's column matrix, at most (about 4 MB).
constexpr int64_t kColumnBudget = int64_t{1} << 20;

bool readShape(napi_env env, napi_value value, ConvShape* s, const char* name) {
  I32 dims;
  if (!i32(env, value, &dims, "dims")) return false;
  if (dims.length < 13) return fail(env, "ERR_STRATA_ARGS", std::string(name) + ": dims needs 13 entries", true);
  int64_t* fields[13] = {&s->n, &s->h, &s->w, &s->c, &s->kh, &s->kw, &s->f, &s->sh, &s->sw, &s->pt, &s->pl, &s->oh, &s->ow};
  for (int i = 0; i < 13; ++i) *fields[i] = dims.data[i];
  const bool positive = s->n > 0 && s->h > 0 && s->w > 0 && s->c > 0 && s->kh > 0 && s->kw > 0 && s->f > 0 && s->sh > 0 && s->sw > 0 &&
                        s->oh > 0 && s->ow > 0;
  if (!positive || s->pt < 0 || s->pl < 0 || s->pt >= s->kh || s->pl >= s->kw) {
    return fail(env, "ERR_STRATA_ARGS", std::string(name) + ": invalid convolution shape", true);
  }
  return true;
}

bool covers(napi_env env, const F32& a, int64_t size, const char* name, const char* what) {
  if (static_cast<int64_t>(a.length) < size) {
    return fail(env, "ERR_STRATA_BOUNDS", std::string(name) + ": " + what + " is too short for the convolution shape", true);
  }
  return true;
}

// Images per chunk, so that a chunk's columns stay within the budget.
int64_t imagesPerChunk(const ConvShape& s) {
  const int64_t perImage = s.rowsPerImage() * s.patch();
  return std::max<int64_t>(1, kColumnBudget / std::max<int64_t>(1, perImage));
}

// cols[(i·oh + oy)·ow + ox, (ky·kw + kx)·c + ci] = x[n0 + i, iy, ix, ci] (0 outside the image), for `count` images.
void im2col(const ConvShape& s, const float* x, int64_t n0, int64_t count, float* cols) {
  const int64_t patch = s.patch();
  for (int64_t i = 0; i < count; ++i) {
    const float* image = x + (n0 + i) * s.h * s.w * s.c;
    for (int64_t oy = 0; oy < s.oh; ++oy) {
      for (int64_t ox = 0; ox < s.ow; ++ox) {
        float* row = cols + ((i * s.oh + oy) * s.ow + ox) * patch;
        for (int64_t ky = 0; ky < s.kh; ++ky) {
          const int64_t iy = oy * s.sh - s.pt + ky;
          for (int64_t kx = 0; kx < s.kw; ++kx) {
            const int64_t ix = ox * s.sw - s.pl + kx;
            float* dst = row + (ky * s.kw + kx) * s.c;
            // Plain loops, not memcpy: with few channels (1 for MNIST's first layer) a call per pixel costs more than the copy.
            if (iy < 0 || iy >= s.h || ix < 0 || ix >= s.w) {
              for (int64_t ci = 0; ci < s.c; ++ci) dst[ci] = 0.0f;
            } else {
              const float* src = image + (iy * s.w + ix) * s.c;
              for (int64_t ci = 0; ci < s.c; ++ci) dst[ci] = src[ci];
            }
          }
        }
      }
    }
  }
}

// The adjoint of im2col: dx[n0 + i, iy, ix, ci] += cols[...] (dx zeroed by the caller).
void col2im(const ConvShape& s, const float* cols, int64_t n0, int64_t count, float* dx) {
  const int64_t patch = s.patch();
  for (int64_t i = 0; i < count; ++i) {
    float* image = dx + (n0 + i) * s.h * s.w * s.c;
    for (int64_t oy = 0; oy < s.oh; ++oy) {
      for (int64_t ox = 0; ox < s.ow; ++ox) {
        const float* row = cols + ((i * s.oh + oy) * s.ow + ox) * patch;
        for (int64_t ky = 0; ky < s.kh; ++ky) {
          const int64_t iy = oy * s.sh - s.pt + ky;
          if (iy < 0 || iy >= s.h) continue;
          for (int64_t kx = 0; kx < s.kw; ++kx) {
            const int64_t ix = ox * s.sw - s.pl + kx;
            if (ix < 0 || ix >= s.w) continue;
            const float* src = row + (ky * s.kw + kx) * s.c;
            float* dst = image + (iy * s.w + ix) * s.c;
            for (int64_t ci = 0; ci < s.c; ++ci) dst[ci] += src[ci];
          }
        }
      }
    }
  }
}

void sgemm(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const float* a, const float* b, float beta, float* c) {
  cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, static_cast<blasint>(m),
              static_cast<blasint>(n), static_cast<blasint>(k), 1.0f, a, static_cast<blasint>(ta ? m : k), b,
              static_cast<blasint>(tb ? k : n), beta, c, static_cast<blasint>(n));
}

// A scratch buffer of at least `size` floats, kept per thread between calls (its contents are garbage).
float* scratch(std::vector<float>& buffer, int64_t size) {
  if (static_cast<int64_t>(buffer.size()) < size) buffer.resize(static_cast<size_t>(size));
  return buffer.data();
}

thread_local std::vector<float> columnBuffer;
thread_local std::vector<float> partialBuffer;

// Runs fn(n0, count, cols) over the chunks of images, with this thread's scratch column matrix.
template <class F>
void forChunks(const ConvShape& s, const F& fn) {
  const int64_t per = imagesPerChunk(s);
  const int64_t chunks = (s.n + per - 1) / per;
  parallelFor(chunks, 1, [&](int64_t begin, int64_t end) {
    float* cols = scratch(columnBuffer, std::min(per, s.n) * s.rowsPerImage() * s.patch());
    for (int64_t chunk = begin; chunk < end; ++chunk) {
      const int64_t n0 = chunk * per;
      fn(n0, std::min(per, s.n - n0), cols);
    }
  });
}

// Reads (a, b, out, dims), checks their lengths, and runs `body`.
template <class Body>
napi_value convEntry(napi_env env, napi_callback_info info, const char* name, const char* names[3], int64_t (ConvShape::*sizes[3])() const,
                     const Body& body) {
  napi_value argv[4];
  if (!getArgs(env, info, argv, 4, name)) return nullptr;
  F32 arrays[3];
  ConvShape s;
  for (int i = 0; i < 3; ++i) {
    if (!f32(env, argv[i], &arrays[i], names[i])) return nullptr;
  }
  if (!readShape(env, argv[3], &s, name)) return nullptr;
  for (int i = 0; i < 3; ++i) {
    if (!covers(env, arrays[i], (s.*sizes[i])(), name, names[i])) return nullptr;
  }
  body(s, arrays[0].data, arrays[1].data, arrays[2].data);
  return undefinedValue(env);
}

}  // namespace

// conv2d(x, w, y, dims): y [n, oh, ow, f] from x [n, h, w, c] and w [kh, kw, c, f].
napi_value Conv2d(napi_env env, napi_callback_info info) {
  const char* names[3] = {"x", "w", "y"};
  int64_t (ConvShape::*sizes[3])() const = {&ConvShape::xSize, &ConvShape::wSize, &ConvShape::ySize};
  return convEntry(env, info, "conv2d", names, sizes, [](const ConvShape& s, float* x, float* w, float* y) {
    forChunks(s, [&](int64_t n0, int64_t count, float* cols) {
      im2col(s, x, n0, count, cols);
      sgemm(false, false, count * s.rowsPerImage(), s.f, s.patch(), cols, w, 0.0f, y + n0 * s.rowsPerImage() * s.f);
    });
  });
}

// conv2dBackpropInput(dy, w, dx, dims): dx [n, h, w, c] from dy [n, oh, ow, f] and w [kh, kw, c, f].
napi_value Conv2dBackpropInput(napi_env env, napi_callback_info info) {
  const char* names[3] = {"dy", "w", "dx"};
  int64_t (ConvShape::*sizes[3])() const = {&ConvShape::ySize, &ConvShape::wSize, &ConvShape::xSize};
  return convEntry(env, info, "conv2dBackpropInput", names, sizes, [](const ConvShape& s, float* dy, float* w, float* dx) {
    forChunks(s, [&](int64_t n0, int64_t count, float* cols) {
      sgemm(false, true, count * s.rowsPerImage(), s.patch(), s.f, dy + n0 * s.rowsPerImage() * s.f, w, 0.0f, cols);
      std::memset(dx + n0 * s.h * s.w * s.c, 0, sizeof(float) * count * s.h * s.w * s.c);
      col2im(s, cols, n0, count, dx);
    });
  });
}

// conv2dBackpropFilter(x, dy, dw, dims): dw [kh, kw, c, f] from x [n, h, w, c] and dy [n, oh, ow, f].
napi_value Conv2dBackpropFilter(napi_env env, napi_callback_info info) {
  const char* names[3] = {"x", "dy", "dw"};
  int64_t (ConvShape::*sizes[3])() const = {&ConvShape::xSize, &ConvShape::ySize, &ConvShape::wSize};
  return convEntry(env, info, "conv2dBackpropFilter", names, sizes, [](const ConvShape& s, float* x, float* dy, float* dw) {
    std::memset(dw, 0, sizeof(float) * s.wSize());
    std::mutex mu;
    const int64_t per = imagesPerChunk(s);
    const int64_t chunks = (s.n + per - 1) / per;
    // Each range of chunks sums into its own partial dw, added to dw under the lock.
    parallelFor(chunks, 1, [&](int64_t begin, int64_t end) {
      float* cols = scratch(columnBuffer, std::min(per, s.n) * s.rowsPerImage() * s.patch());
      float* partial = scratch(partialBuffer, s.wSize());
      for (int64_t chunk = begin; chunk < end; ++chunk) {
        const int64_t n0 = chunk * per;
        const int64_t count = std::min(per, s.n - n0);
        im2col(s, x, n0, count, cols);
        sgemm(true, false, s.patch(), s.f, count * s.rowsPerImage(), cols, dy + n0 * s.rowsPerImage() * s.f, chunk == begin ? 0.0f : 1.0f,
              partial);
      }
      std::lock_guard<std::mutex> lock(mu);
      for (int64_t i = 0; i < s.wSize(); ++i) dw[i] += partial[i];
    });
  });
}

}  // namespace strata
