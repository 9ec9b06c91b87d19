/**
 * The contract every CLI command implements. A command is one file in
 * `src/cli/commands/` that exports `command: CommandModule`; `main.ts` finds
 * the files there and registers them, so adding a command touches nothing else.
 * A command whose work needs heavy modules (tfjs) should load them with
 * `await import(...)` inside `run`, so that `strata check` stays fast.
 */
import type { Command } from 'commander';
import type { Io } from './io.js';

/** One run of a command: its parsed arguments and where to write. */
export interface Invocation {
  /** Positional arguments, in order. */
  readonly operands: readonly string[];
  /** Options as commander parsed them (camelCase keys: `--print-ir` -> `printIr`). */
  readonly options: Readonly<Record<string, unknown>>;
  /** The options given on the command line (camelCase keys), as opposed to defaults. */
  readonly given: ReadonlySet<string>;
  readonly io: Io;
  /** The global `--verbose` flag: print stack traces with errors. */
  readonly verbose: boolean;
}

export interface CommandModule {
  /** The subcommand's name, `strata NAME`. */
  readonly name: string;
  /** Declares the description, arguments and options on the (already named) command. */
  define(command: Command): void;
  /**
   * Does the work. Resolves to the exit code: 0 success, 1 a problem in the
   * input (diagnostics, unformatted file). Throwing a `UserError` prints its
   * message on one line and exits 1.
   */
  run(invocation: Invocation): Promise<number>;
}

/** True when `value` looks like a `CommandModule` (checked when commands load). */
export function isCommandModule(value: unknown): value is CommandModule {
  const v = value as Partial<CommandModule> | undefined;
  return typeof v?.name === 'string' && typeof v.define === 'function' && typeof v.run === 'function';
}
