/**
 * The parameter shapes of `MixtureNormal(logits, locs, scales)` on a vector
 * variable of length d: K = the length of `logits`, `locs` holds the K means
 * one after another (K·d values, component j's at locs[j·d:(j+1)·d]), and
 * `scales` is a scalar or holds K·d values like `locs`.
 */
import type { Argument } from '../ast.js';
import type { IrExpr, Shape } from '../../ir/ir.js';
import type { Reporter } from './reporter.js';
import { formatShape } from './shapes.js';

/**
 * Reports PPL2007 for each parameter of the wrong shape.
 * @param params the checked parameters by name
 * @param args their arguments, for locations
 * @returns true when every shape fits
 */
export function checkMixtureNormalShapes(target: string, params: Readonly<Record<string, IrExpr>>, args: ReadonlyMap<string, Argument>, shape: Shape, reporter: Reporter): boolean {
  const span = (name: string) => args.get(name)!.value.span;
  if (shape.length !== 1) {
    reporter.error('PPL2007', `a MixtureNormal describes a vector, but '${target}' has shape ${formatShape(shape)}`, span('locs'), 'declare it as real[d]');
    return false;
  }
  const d = shape[0]!;
  const logits = params['logits']!.shape;
  if (logits.length !== 1) {
    reporter.error('PPL2007', `the logits of a MixtureNormal are one score per component, a vector [K], but this is ${logits.length === 0 ? 'a scalar' : `of shape ${formatShape(logits)}`}`,
      span('logits'), 'e.g. a parameter real[K] (zeros: equal weights)');
    return false;
  }
  const K = logits[0]!;
  const size = K * d;
  const fits = (s: Shape) => s.length === 1 && s[0] === size;
  let ok = true;
  const locs = params['locs']!.shape;
  if (!fits(locs)) {
    reporter.error('PPL2007', `locs must hold K·d = ${K}·${d} = ${size} values (component j's mean is locs[j·${d}:(j+1)·${d}]), but it has shape ${formatShape(locs)}`,
      span('locs'), `K = ${K} comes from the logits and d = ${d} from '${target}'`);
    ok = false;
  }
  const scales = params['scales']!.shape;
  if (scales.length !== 0 && !fits(scales)) {
    reporter.error('PPL2007', `scales must be a scalar or hold K·d = ${size} values like locs, but it has shape ${formatShape(scales)}`, span('scales'));
    ok = false;
  }
  return ok;
}
