// Branch-free float32 exp and log that GCC auto-vectorizes without
// -ffast-math (glibc's expf/logf only vectorize under -ffast-math, which also
// assumes no NaN/Inf and so breaks them). Both follow Cephes (Moshier 1984,
// "Cephes Math Library", expf.c and logf.c): range reduction plus a
// minimax polynomial, about 1 ulp over the float range. NaN, ±Inf, 0 and
// denormals give the IEEE results.
#ifndef STRATA_FAST_MATH_H
#define STRATA_FAST_MATH_H

#include <cstdint>
#include <cstring>

namespace strata {

static inline float bitsToFloat(int32_t i) {
  float f;
  std::memcpy(&f, &i, sizeof f);
  return f;
}

static inline int32_t floatToBits(float f) {
  int32_t i;
  std::memcpy(&i, &f, sizeof i);
  return i;
}

// e^x. The clamp keeps n = round(x / ln 2) in [-150, 129]; 2^n is applied as
// 2^(n/2) · 2^(n - n/2) so both factors are normal floats: the product then
// overflows to +Inf above ~88.72 and underflows through denormals to 0.
static inline float expApprox(float x) {
  const float kLog2e = 1.44269504088896341f;
  const float kLn2Hi = 0.693359375f;
  const float kLn2Lo = -2.12194440e-4f;
  const float kRound = 12582912.0f;  // 1.5 * 2^23: adding it rounds to an integer
  float xc = x > 89.0f ? 89.0f : x;
  xc = xc < -104.0f ? -104.0f : xc;
  float n = (xc * kLog2e + kRound) - kRound;
  float r = xc - n * kLn2Hi;
  r = r - n * kLn2Lo;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * (r * r) + r + 1.0f;
  int32_t ni = static_cast<int32_t>(n);
  int32_t n1 = ni >> 1;
  int32_t n2 = ni - n1;
  float s1 = bitsToFloat((n1 + 127) << 23);
  float s2 = bitsToFloat((n2 + 127) << 23);
  float result = (p * s1) * s2;
  return x != x ? x : result;
}

// log x for x > 0; NaN for x < 0 or NaN, -Inf at 0, +Inf at +Inf.
static inline float logApprox(float x) {
  const float kSqrtHalf = 0.707106781186547524f;
  const float kMinNormal = 1.17549435e-38f;
  bool denormal = x < kMinNormal;
  float xs = x * (denormal ? 8388608.0f : 1.0f);  // 2^23 brings denormals into range
  int32_t bits = floatToBits(xs);
  int32_t e = ((bits >> 23) & 0xff) - 126;  // frexp exponent: xs = m · 2^e, m in [½, 1)
  e = denormal ? e - 23 : e;
  float m = bitsToFloat((bits & 0x007fffff) | 0x3f000000);
  bool small = m < kSqrtHalf;
  e = small ? e - 1 : e;
  float f = (small ? m + m : m) - 1.0f;
  float z = f * f;
  float y = 7.0376836292e-2f;
  y = y * f - 1.1514610310e-1f;
  y = y * f + 1.1676998740e-1f;
  y = y * f - 1.2420140846e-1f;
  y = y * f + 1.4249322787e-1f;
  y = y * f - 1.6668057665e-1f;
  y = y * f + 2.0000714765e-1f;
  y = y * f - 2.4999993993e-1f;
  y = y * f + 3.3333331174e-1f;
  y = y * f * z;
  float ef = static_cast<float>(e);
  y = y + ef * -2.12194440e-4f;
  y = y - 0.5f * z;
  float result = (f + y) + ef * 0.693359375f;
  const float kInf = __builtin_inff();
  result = x == kInf ? kInf : result;
  result = x == 0.0f ? -kInf : result;
  result = x < 0.0f ? __builtin_nanf("") : result;
  return x != x ? x : result;
}

// log(1 + t) accurate for small t: with u = 1 + t rounded, log u · t / (u - 1)
// corrects the rounding of u (Goldberg 1991, "What every computer scientist
// should know about floating-point arithmetic", Theorem 4).
static inline float log1pApprox(float t) {
  float u = 1.0f + t;
  float d = u - 1.0f;
  float corrected = logApprox(u) * (t / (d == 0.0f ? 1.0f : d));
  float result = d == 0.0f ? t : corrected;
  result = u == __builtin_inff() ? logApprox(t) : result;  // t so large that 1 + t overflows: log1p(t) ~ log t
  return result;
}

// log(1 + t) for t in [0, 1] (softplus's log1p(e^-|x|)): no special cases and no
// division. u = 1 + t lies in [1, 2]; log u comes from the Cephes polynomial on
// f = u - 1 or u/2 - 1 (both exact), and the rounding of u, t - (u - 1)
// (exact, at most 2^-24), is added back divided by u, with 1/u approximated
// by 1.5 - u/2 (at most 1/12 off, so the correction is off by < 2^-27).
static inline float log1pUnit(float t) {
  const float kSqrt2 = 1.41421356237309504880f;
  float u = 1.0f + t;
  float d = u - 1.0f;
  bool high = u > kSqrt2;
  float f = high ? u * 0.5f - 1.0f : d;
  float z = f * f;
  float y = 7.0376836292e-2f;
  y = y * f - 1.1514610310e-1f;
  y = y * f + 1.1676998740e-1f;
  y = y * f - 1.2420140846e-1f;
  y = y * f + 1.4249322787e-1f;
  y = y * f - 1.6668057665e-1f;
  y = y * f + 2.0000714765e-1f;
  y = y * f - 2.4999993993e-1f;
  y = y * f + 3.3333331174e-1f;
  y = y * f * z;
  float ef = high ? 1.0f : 0.0f;
  y = y + ef * -2.12194440e-4f;
  y = y - 0.5f * z;
  float logU = (f + y) + ef * 0.693359375f;
  return logU + (t - d) * (1.5f - 0.5f * u);
}

// e^x - 1 accurate for small x: exp(x) - 1 corrected the same way as log1p
// (u = e^x, (u - 1) · x / log u), which stays within a few ulp near 0.
static inline float expm1Approx(float x) {
  float u = expApprox(x);
  float um1 = u - 1.0f;
  float lu = logApprox(u);
  float corrected = um1 * (x / (lu == 0.0f ? 1.0f : lu));
  float result = (u == 1.0f) ? x : corrected;
  result = um1 == -1.0f ? -1.0f : result;
  result = u == __builtin_inff() ? u : result;
  return x != x ? x : result;
}

}  // namespace strata

#endif
