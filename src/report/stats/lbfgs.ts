/**
 * Limited-memory BFGS (Nocedal 1980; Nocedal & Wright 2006, Algorithm 7.4)
 * with a backtracking Armijo line search, in plain Float64 JavaScript: enough
 * for the smooth, strictly convex losses of the report's classifiers.
 */

/** `f(x)` and its gradient, written into `gradient` (same length as x). */
export type Objective = (x: Float64Array, gradient: Float64Array) => number;

export interface LbfgsOptions {
  /** Stop after this many iterations (default 500). */
  readonly maxIterations?: number;
  /** Converged when max_i |∇f(x)_i| falls below this (default 1e-6). */
  readonly gradientTolerance?: number;
  /** Number of (s, y) pairs kept (default 10). */
  readonly memory?: number;
}

export interface LbfgsResult {
  readonly x: Float64Array;
  readonly value: number;
  /** max_i |∇f(x)_i| at the returned x. */
  readonly gradientNorm: number;
  readonly iterations: number;
  readonly converged: boolean;
}

const dot = (a: Float64Array, b: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

const maxAbs = (a: Float64Array): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
};

/** The L-BFGS direction −H∇f by the two-loop recursion over the stored pairs (oldest first). */
function direction(gradient: Float64Array, s: Float64Array[], y: Float64Array[], rho: number[]): Float64Array {
  const q = Float64Array.from(gradient);
  const alpha = new Array<number>(s.length);
  for (let i = s.length - 1; i >= 0; i--) {
    alpha[i] = rho[i]! * dot(s[i]!, q);
    for (let j = 0; j < q.length; j++) q[j]! -= alpha[i]! * y[i]![j]!;
  }
  const last = s.length - 1;
  const gamma = last >= 0 ? dot(s[last]!, y[last]!) / dot(y[last]!, y[last]!) : 1 / Math.max(1, Math.sqrt(dot(gradient, gradient)));
  for (let j = 0; j < q.length; j++) q[j]! *= gamma;
  for (let i = 0; i < s.length; i++) {
    const beta = rho[i]! * dot(y[i]!, q);
    for (let j = 0; j < q.length; j++) q[j]! += s[i]![j]! * (alpha[i]! - beta);
  }
  for (let j = 0; j < q.length; j++) q[j] = -q[j]!;
  return q;
}

/**
 * Minimizes a smooth function from `x0`.
 *
 * @param f value and gradient of the objective
 * @param x0 starting point (not modified)
 * @returns the last iterate, its value and gradient norm, and whether the gradient tolerance was met
 * @example const r = minimizeLbfgs((x, g) => { g[0] = 2 * (x[0]! - 3); return (x[0]! - 3) ** 2; }, new Float64Array(1)); // r.x[0] ≈ 3
 */
export function minimizeLbfgs(f: Objective, x0: Float64Array, options: LbfgsOptions = {}): LbfgsResult {
  const maxIterations = options.maxIterations ?? 500;
  const tolerance = options.gradientTolerance ?? 1e-6;
  const memory = options.memory ?? 10;
  let x = Float64Array.from(x0);
  let gradient = new Float64Array(x.length);
  let value = f(x, gradient);
  const s: Float64Array[] = [];
  const y: Float64Array[] = [];
  const rho: number[] = [];
  let iterations = 0;
  while (iterations < maxIterations && maxAbs(gradient) > tolerance) {
    let d = direction(gradient, s, y, rho);
    let slope = dot(gradient, d);
    if (!(slope < 0)) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      s.length = y.length = rho.length = 0;
      d = direction(gradient, s, y, rho);
      slope = dot(gradient, d);
    }
    let step = 1;
    const next = new Float64Array(x.length);
    const nextGradient = new Float64Array(x.length);
    let nextValue = Infinity;
    for (let tries = 0; tries < 60; tries++) {
      for (let i = 0; i < x.length; i++) next[i] = x[i]! + step * d[i]!;
      nextValue = f(next, nextGradient);
      if (nextValue <= value + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(nextValue <= value + 1e-4 * step * slope)) break; // no decrease possible at floating-point resolution
    const sk = new Float64Array(x.length);
    const yk = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) {
      sk[i] = next[i]! - x[i]!;
      yk[i] = nextGradient[i]! - gradient[i]!;
    }
    const sy = dot(sk, yk);
    if (sy > 1e-12 * Math.sqrt(dot(sk, sk) * dot(yk, yk))) {
      s.push(sk);
      y.push(yk);
      rho.push(1 / sy);
      if (s.length > memory) {
        s.shift();
        y.shift();
        rho.shift();
      }
    }
    x = next;
    gradient = nextGradient;
    value = nextValue;
    iterations++;
  }
  const gradientNorm = maxAbs(gradient);
  return { x, value, gradientNorm, iterations, converged: gradientNorm <= tolerance };
}
