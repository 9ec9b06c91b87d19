/**
 * Runs a guide latent's normalizing flow (IR `flow`, ir/flows.ts) on its base
 * sample: the layers in order, with their log-determinants summed, so that
 * log q(z) = log q0(z0) − Σ_l log |det ∂f_l/∂z_{l−1}|.
 *
 * The layers read the live parameters in `env.variables` (never detached):
 * under sticking the landing the trace detaches only the base distribution's
 * parameters; see docs/inference.md for why that keeps the estimator unbiased.
 */
import * as tf from '@tensorflow/tfjs';
import type { IrFlowDense, IrFlowLayer } from '../../ir/flows.js';
import { CouplingLayer } from '../flows/coupling.js';
import type { FlowLayer, FlowStep } from '../flows/flow-layer.js';
import { IafLayer } from '../flows/iaf.js';
import { PlanarLayer } from '../flows/planar.js';
import { evaluateExpr, type Environment } from './evaluate-expr.js';

function variable(env: Environment, name: string): tf.Tensor {
  const v = env.variables.get(name);
  if (v === undefined) throw new Error(`internal: no parameter '${name}' for a flow layer`);
  return v;
}

function dense(env: Environment, layer: IrFlowDense): { weight: tf.Tensor; bias: tf.Tensor } {
  return { weight: variable(env, layer.weight), bias: variable(env, layer.bias) };
}

/** The backend layer of an IR flow layer, on the environment's parameters (an IAF's context evaluated in it). */
export function flowLayerOf(layer: IrFlowLayer, env: Environment): FlowLayer {
  switch (layer.kind) {
    case 'planar':
      return new PlanarLayer(variable(env, layer.u), variable(env, layer.w), variable(env, layer.b));
    case 'iaf': {
      const hidden = dense(env, layer.hidden);
      const output = dense(env, layer.output);
      const weights = { hiddenWeight: hidden.weight, hiddenBias: hidden.bias, outputWeight: output.weight, outputBias: output.bias };
      if (layer.context === undefined) return new IafLayer(weights, { reverse: layer.reverse, activation: layer.activation });
      return new IafLayer(
        { ...weights, contextWeight: variable(env, layer.context.weight) },
        { reverse: layer.reverse, activation: layer.activation, context: evaluateExpr(layer.context.value, env) },
      );
    }
    case 'coupling': {
      const hidden = dense(env, layer.hidden);
      const output = dense(env, layer.output);
      return new CouplingLayer(
        { hiddenWeight: hidden.weight, hiddenBias: hidden.bias, outputWeight: output.weight, outputBias: output.bias },
        { flip: layer.flip, activation: layer.activation },
      );
    }
  }
}

/**
 * z = f_L(... f_1(z0)) and Σ_l log |det ∂f_l| (call inside tf.tidy).
 * @param z0 the base sample, `[k, batch, d]`
 * @returns the flowed sample `[k, batch, d]` and the summed log-determinant `[k, batch]`
 */
export function applyFlow(layers: readonly IrFlowLayer[], z0: tf.Tensor, env: Environment): FlowStep {
  let value = z0;
  let logDet: tf.Tensor | undefined;
  for (const layer of layers) {
    const step = flowLayerOf(layer, env).forward(value);
    value = step.value;
    logDet = logDet === undefined ? step.logDet : tf.add(logDet, step.logDet);
  }
  if (logDet === undefined) throw new Error('internal: a flow without layers');
  return { value, logDet };
}
