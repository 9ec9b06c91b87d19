/**
 * The IR of normalizing flows and of the VampPrior: what the checker resolves
 * `z ~ Flow(base, layers...)` (guides) and `z ~ VampPrior(q, K)` (the model)
 * to. Every tensor field names an IR parameter; shapes are those of one data
 * point, the backend adds the sample and batch axes.
 */
import type { Activation, IrExpr, IrLet } from './ir.js';

/** A dense layer of a flow's own network, y = x·weight + bias (`weight` [inputs, outputs]). */
export interface IrFlowDense {
  readonly inputs: number;
  readonly outputs: number;
  readonly weight: string;
  readonly bias: string;
}

/**
 * Planar layer (Rezende & Mohamed 2015): f(z) = z + û·tanh(w·z + b), with û
 * the reparameterization of `u` that keeps w·û >= −1 (f invertible).
 * `u`, `w`: [d]; `b`: [1].
 */
export interface IrPlanarLayer {
  readonly kind: 'planar';
  readonly u: string;
  readonly w: string;
  readonly b: string;
}

/**
 * Inverse autoregressive layer (Kingma et al. 2016): [m, s] = MADE(z, context),
 * σ = sigmoid(s + 2), f(z) = σ ⊙ z + (1 − σ) ⊙ m. `hidden` is the masked
 * [d, H] layer, `output` the masked [H, 2d] one (m then s); `reverse` flips the
 * autoregressive order (alternate layers use opposite orders).
 */
export interface IrIafLayer {
  readonly kind: 'iaf';
  readonly reverse: boolean;
  readonly activation: Activation;
  readonly hidden: IrFlowDense;
  readonly output: IrFlowDense;
  /** A guide expression `[C]` fed to every hidden unit through `weight` [C, H] (unmasked). */
  readonly context?: { readonly value: IrExpr; readonly weight: string };
}

/**
 * Affine coupling layer (Dinh, Sohl-Dickstein & Bengio 2017, RealNVP): the
 * coordinates split at ⌈d/2⌉; one part passes unchanged and conditions the
 * other, y = z ⊙ exp(tanh(s)) + t with [s, t] = net(unchanged part) (s first).
 * `flip` false: z[0:⌈d/2⌉] passes; true: z[⌈d/2⌉:] passes.
 */
export interface IrCouplingLayer {
  readonly kind: 'coupling';
  readonly flip: boolean;
  readonly activation: Activation;
  readonly hidden: IrFlowDense;
  readonly output: IrFlowDense;
}

export type IrFlowLayer = IrPlanarLayer | IrIafLayer | IrCouplingLayer;

/**
 * A VampPrior (Tomczak & Welling 2018): p(z) = (1/K) Σ_k q(z | u_k), the
 * distribution guide `guide` gives the latent, evaluated at K learned
 * pseudo-inputs u_k. The sample statement that carries it holds that guide
 * statement's family and parameters; they read data and `definitions` only.
 */
export interface IrVampPrior {
  readonly guide: string;
  readonly components: number;
  /** Data variable → the model parameter holding its K pseudo-inputs, shape [K, ...data shape]. */
  readonly pseudoInputs: Readonly<Record<string, string>>;
  /** The guide's definitions that the distribution reads, in guide order (they depend on data alone). */
  readonly definitions: readonly IrLet[];
}

/**
 * A sample statement's distribution in words, for summaries: the family
 * (`Normal`), a flow with its layer groups (`Flow(Normal; planar ×4, iaf ×2)`)
 * or a VampPrior (`VampPrior(q, 500)`).
 */
export function describeDistribution(stmt: { readonly family: string; readonly flow?: readonly IrFlowLayer[]; readonly vampPrior?: IrVampPrior }): string {
  if (stmt.vampPrior) return `VampPrior(${stmt.vampPrior.guide}, ${stmt.vampPrior.components})`;
  if (!stmt.flow) return stmt.family;
  const groups: { kind: string; count: number }[] = [];
  for (const layer of stmt.flow) {
    const last = groups[groups.length - 1];
    if (last?.kind === layer.kind) last.count++;
    else groups.push({ kind: layer.kind, count: 1 });
  }
  return `Flow(${stmt.family}; ${groups.map((g) => `${g.kind} ×${g.count}`).join(', ')})`;
}
