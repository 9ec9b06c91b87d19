/**
 * The front end's entry point: source text -> diagnostics and, when the model
 * is valid, its IR. Never throws on user input.
 */
import { error, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { IrModel } from '../ir/ir.js';
import type { Comment, Program } from './ast.js';
import { checkProgram } from './checker/program.js';
import { Reporter } from './checker/reporter.js';
import { parseSource } from './parse.js';

export interface CheckResult {
  /** The AST, when the source parsed. */
  readonly program?: Program;
  readonly comments: readonly Comment[];
  /** Every syntax or semantic diagnostic, sorted by position. */
  readonly diagnostics: readonly Diagnostic[];
  /** The IR, present only when there are no errors (warnings allowed). */
  readonly ir?: IrModel;
}

/** Parses and checks .ppl source text. */
export function checkSource(source: string): CheckResult {
  const parsed = parseSource(source);
  if (!parsed.program) return { comments: parsed.comments, diagnostics: sortDiagnostics(parsed.diagnostics) };
  const reporter = new Reporter();
  let ir: IrModel | undefined;
  try {
    ir = checkProgram(parsed.program, reporter);
  } catch (e) {
    // Only a pathological input (a sum of tens of thousands of terms) can exhaust the stack.
    if (!(e instanceof RangeError)) throw e;
    const span = parsed.program.span;
    return { program: parsed.program, comments: parsed.comments, diagnostics: [error('PPL2022', 'this file is too large or too deeply nested to check', span, 'split long expressions into named definitions')] };
  }
  const diagnostics = sortDiagnostics(reporter.diagnostics);
  return ir ? { program: parsed.program, comments: parsed.comments, diagnostics, ir } : { program: parsed.program, comments: parsed.comments, diagnostics };
}
