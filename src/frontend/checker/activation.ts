/**
 * The activation option of a network declaration: `mlp(4 -> 8 -> 2, softplus)`
 * or `activation: tanh`; `linear` takes none.
 */
import type { Argument } from '../ast.js';
import { ACTIVATIONS, type Activation } from '../../ir/ir.js';
import { suggestName } from '../../util/suggest.js';
import type { Reporter } from './reporter.js';

/** Reads a network's activation option (positional or `activation: tanh`); `identity` when there is none. */
export function readActivation(options: readonly Argument[], architecture: string, reporter: Reporter): Activation | undefined {
  let activation: Activation = 'identity';
  let ok = true;
  for (const option of options) {
    const key = option.name?.name ?? 'activation';
    if (key !== 'activation') {
      reporter.error('PPL2018', `unknown network option '${key}'`, option.span, "networks take one option: the activation, e.g. mlp(4 -> 8 -> 2, softplus)");
      ok = false;
      continue;
    }
    const value = option.value;
    const word = value.kind === 'Name' ? value.name.name : undefined;
    if (word === undefined || !(ACTIVATIONS as readonly string[]).includes(word)) {
      const suggestion = word ? suggestName(word, ACTIVATIONS) : undefined;
      reporter.error('PPL2018', `unknown activation${word ? ` '${word}'` : ''}`, value.span,
        suggestion ? `did you mean '${suggestion}'?` : `activations are ${ACTIVATIONS.join(', ')}`);
      ok = false;
      continue;
    }
    if (architecture === 'linear') {
      reporter.error('PPL2018', "'linear' takes no activation", option.span, 'use mlp(...) for hidden layers, or apply a function to the output');
      ok = false;
      continue;
    }
    activation = word as Activation;
  }
  return ok ? activation : undefined;
}
