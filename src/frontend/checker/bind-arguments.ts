/**
 * Matching call arguments to parameter names, positional in order or by name
 * (positional first), for the constructs that take arguments like a
 * distribution: flow layers (`iaf(2, 64, context: h)`) and `VampPrior(q, 500)`.
 */
import type { Argument } from '../ast.js';
import type { DiagnosticCode } from '../../diagnostics/codes.js';
import type { Span } from '../../diagnostics/span.js';
import { suggestName } from '../../util/suggest.js';
import type { Reporter } from './reporter.js';

export interface ArgumentSpec {
  /** What the arguments belong to, for messages: `'iaf'`, `'VampPrior'`. */
  readonly owner: string;
  /** Parameter names in positional order. */
  readonly names: readonly string[];
  /** The ones that must be given. */
  readonly required: readonly string[];
  /** The code the errors carry. */
  readonly code: DiagnosticCode;
}

/**
 * @returns the arguments by parameter name, or undefined after reporting an
 *   unknown, repeated or missing parameter, too many arguments, or a
 *   positional argument after a named one
 */
export function bindArguments(args: readonly Argument[], spec: ArgumentSpec, callSpan: Span, reporter: Reporter): Map<string, Argument> | undefined {
  const bound = new Map<string, Argument>();
  let ok = true;
  let sawNamed = false;
  args.forEach((arg, i) => {
    if (arg.name === undefined && sawNamed) {
      reporter.error(spec.code, 'a positional argument cannot follow a named one', arg.span);
      ok = false;
      return;
    }
    sawNamed ||= arg.name !== undefined;
    const name = arg.name?.name ?? spec.names[i];
    if (name === undefined) {
      reporter.error(spec.code, `${spec.owner} takes at most ${spec.names.length} argument${spec.names.length === 1 ? '' : 's'} (${spec.names.join(', ')}) but was given ${args.length}`, arg.span);
      ok = false;
    } else if (!spec.names.includes(name)) {
      const suggestion = suggestName(name, spec.names);
      reporter.error(spec.code, `${spec.owner} has no parameter '${name}'`, arg.name!.span, suggestion ? `did you mean '${suggestion}'?` : `its parameters are ${spec.names.join(', ')}`);
      ok = false;
    } else if (bound.has(name)) {
      reporter.error(spec.code, `parameter '${name}' of ${spec.owner} is given twice`, arg.span);
      ok = false;
    } else {
      bound.set(name, arg);
    }
  });
  const missing = spec.required.filter((n) => !bound.has(n));
  if (ok && missing.length > 0) {
    reporter.error(spec.code, `${spec.owner} is missing its parameter${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')}`, callSpan,
      `write ${spec.owner}(${spec.required.map((n) => `${n}: ...`).join(', ')})`);
    ok = false;
  }
  return ok ? bound : undefined;
}
