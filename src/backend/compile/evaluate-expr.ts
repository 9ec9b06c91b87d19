/**
 * Evaluates an IR expression to a tensor. Values carry leading axes: data and
 * anything computed from data alone are `[batch, ...]`; anything that depends
 * on a latent sample is `[k, batch, ...]`. Elementwise ops broadcast, so an
 * encoding of x is computed once per batch, not k times.
 */
import * as tf from '@tensorflow/tfjs';
import type { IrExpr, IrNet } from '../../ir/ir.js';
import { applyElementwise } from '../ops/elementwise.js';
import { applyNet, applyNetToParts, appliesToParts } from './apply-net.js';
import { expandTo } from '../ops/expand.js';

/** What an expression can read. */
export interface Environment {
  /** Data, latents and definitions by name. */
  readonly values: ReadonlyMap<string, tf.Tensor>;
  readonly variables: ReadonlyMap<string, tf.Tensor>;
  readonly nets: ReadonlyMap<string, IrNet>;
  /**
   * Names whose slices partition them (`slicePartitions`), with the parts
   * already split per tensor: such slices come from one `tf.split`, whose
   * gradient is one concat instead of a zero-padded copy per slice.
   */
  readonly splits?: { readonly sizes: ReadonlyMap<string, readonly number[]>; readonly parts: Map<tf.Tensor, tf.Tensor[]> };
}

/** The part of a partitioned value that `slice` selects, splitting it on first use; undefined when it is not partitioned. */
function splitPart(expr: Extract<IrExpr, { kind: 'slice' }>, x: tf.Tensor, env: Environment): tf.Tensor | undefined {
  if (expr.target.kind !== 'variable' || env.splits === undefined) return undefined;
  const sizes = env.splits.sizes.get(expr.target.name);
  if (sizes === undefined || sizes.reduce((a, b) => a + b, 0) !== x.shape[x.rank - 1]) return undefined;
  let start = 0;
  const index = sizes.findIndex((size) => (start += size) === expr.end && start - size === expr.start);
  if (index < 0) return undefined;
  let parts = env.splits.parts.get(x);
  if (parts === undefined) {
    parts = tf.split(x, [...sizes], -1);
    env.splits.parts.set(x, parts);
  }
  return parts[index];
}

/** Broadcasts tensors to a common leading shape so they can be concatenated on the last axis. */
function alignLeading(parts: tf.Tensor[]): tf.Tensor[] {
  const rank = Math.max(...parts.map((p) => p.rank));
  const lead = parts.find((p) => p.rank === rank)!.shape.slice(0, -1);
  return parts.map((p) => expandTo(p, [...lead, p.shape[p.rank - 1]!]));
}

/** Evaluates `expr` in `env` (call inside a tf.tidy). */
export function evaluateExpr(expr: IrExpr, env: Environment): tf.Tensor {
  switch (expr.kind) {
    case 'constant':
      return tf.scalar(expr.value);
    case 'variable': {
      const value = env.values.get(expr.name);
      if (!value) throw new Error(`internal: no value for '${expr.name}' (statement order)`);
      return value;
    }
    case 'parameter':
      return env.variables.get(expr.name)!;
    case 'apply': {
      const net = env.nets.get(expr.net)!;
      // A net applied to concat(a, b, ...): split its first layer by rows so parts
      // without the sample axis (an encoding of x) are multiplied once, not k times.
      if (expr.input.kind === 'concat' && appliesToParts(net)) return applyNetToParts(net, expr.input.parts.map((p) => evaluateExpr(p, env)), env.variables);
      return applyNet(net, evaluateExpr(expr.input, env), env.variables);
    }
    case 'unary':
      return applyElementwise(expr.fn, evaluateExpr(expr.operand, env));
    case 'negate':
      return tf.neg(evaluateExpr(expr.operand, env));
    case 'binary': {
      const l = evaluateExpr(expr.left, env);
      const r = evaluateExpr(expr.right, env);
      return expr.op === '+' ? tf.add(l, r) : expr.op === '-' ? tf.sub(l, r) : expr.op === '*' ? tf.mul(l, r) : tf.div(l, r);
    }
    case 'concat':
      return tf.concat(alignLeading(expr.parts.map((p) => evaluateExpr(p, env))), -1);
    case 'slice': {
      const x = evaluateExpr(expr.target, env);
      const part = splitPart(expr, x, env);
      if (part !== undefined) return part;
      const begin = x.shape.map((_, i) => (i === x.rank - 1 ? expr.start : 0));
      const size = x.shape.map((d, i) => (i === x.rank - 1 ? expr.end - expr.start : d));
      return tf.slice(x, begin, size);
    }
  }
}
