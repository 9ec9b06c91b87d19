/**
 * The `strata` command line: a commander program whose subcommands are the
 * files in `commands/` (each exports `command: CommandModule`). Exit codes:
 * 0 success, 1 a problem in the input or an error, 2 a usage error.
 */
import { readdir } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { isCommandModule, type CommandModule } from './command.js';
import { processIo, type Io } from './io.js';
import { reportError } from './report-error.js';
import { packageVersion } from '../util/package-version.js';

export type { Io } from './io.js';

/** Exit code for a malformed command line (unknown command or option, missing file). */
export const USAGE_ERROR = 2;

/** Loads every command module in `commands/`, sorted by file name. */
async function loadCommands(): Promise<CommandModule[]> {
  const self = fileURLToPath(import.meta.url);
  const ext = extname(self); // '.js' when built, '.ts' under vitest
  const dir = join(dirname(self), 'commands');
  const files = (await readdir(dir)).filter((f) => f.endsWith(ext) && !f.endsWith(`.d${ext}`)).sort();
  const modules = await Promise.all(files.map(async (f) => (await import(pathToFileURL(join(dir, f)).href)) as { command?: unknown }));
  return modules.map((m, i) => {
    if (!isCommandModule(m.command)) throw new Error(`cli/commands/${files[i]} does not export 'command' (a CommandModule)`);
    return m.command;
  });
}

/** Builds the program; `finish` receives the exit code of the command that ran. */
function createProgram(io: Io, commands: readonly CommandModule[], finish: (code: number) => void): Command {
  const program = new Command('strata')
    .description('Strata: a probabilistic-programming language for latent-variable models')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'print help')
    .option('--verbose', 'print stack traces with errors')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s), outputError: (s, write) => write(s) })
    .showHelpAfterError("(run 'strata --help' for usage)");
  for (const module of commands) {
    const command = program.command(module.name);
    module.define(command);
    command.action(async (...args: unknown[]) => {
      const self = args[args.length - 1] as Command;
      const verbose = self.optsWithGlobals()['verbose'] === true;
      const given = new Set(Object.keys(self.opts()).filter((name) => self.getOptionValueSource(name) === 'cli'));
      finish(await module.run({ operands: self.args, options: self.opts(), given, io, verbose }));
    });
  }
  return program;
}

/** 0 after help or version; 2 for commander's own parse errors; a command's own `error()` keeps its code. */
function commanderExitCode(error: CommanderError): number {
  if (error.exitCode === 0) return 0;
  return error.code.startsWith('commander.') ? USAGE_ERROR : error.exitCode;
}

/**
 * Runs the CLI.
 *
 * @param argv the arguments after `node strata` (`['check', 'models/x.ppl']`)
 * @param io where to write; the process streams by default
 * @returns the exit code
 */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  let exitCode = 0;
  let program: Command | undefined;
  try {
    program = createProgram(io, await loadCommands(), (code) => (exitCode = code));
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    // Commander has already printed its message (help, version or a usage error).
    if (error instanceof CommanderError) return commanderExitCode(error);
    reportError(io, error, program?.opts()['verbose'] === true || argv.includes('--verbose'));
    return 1;
  }
}
