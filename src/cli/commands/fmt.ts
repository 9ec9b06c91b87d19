/**
 * `strata fmt FILE...`: prints each file in canonical format (stdout); with
 * `--write` rewrites changed files in place (atomically); with `--check`
 * changes nothing and exits 1 if any file is not already formatted. A file
 * with syntax errors gets its diagnostics (stderr), exit 1, and is never
 * written.
 */
import { Option } from 'commander';
import { renderDiagnostics } from '../../diagnostics/render.js';
import { formatFile, writeFileAtomic, type FormattedFile } from '../../driver/format-file.js';
import { UserError } from '../../util/user-error.js';
import type { CommandModule } from '../command.js';
import type { Io } from '../io.js';
import { reportError } from '../report-error.js';

export const command: CommandModule = {
  name: 'fmt',
  define: (command) =>
    command
      .description('print .ppl files in canonical format')
      .argument('<files...>', '.ppl source files')
      .addOption(new Option('-w, --write', 'rewrite the files in place instead of printing them'))
      .addOption(new Option('--check', 'exit 1 if any file is not formatted; change nothing').conflicts('write')),
  async run({ operands, options, io, verbose }) {
    const mode: Mode = options['check'] === true ? 'check' : options['write'] === true ? 'write' : 'print';
    let failed = false;
    for (const path of operands) {
      try {
        if (!(await formatOne(await formatFile(path), mode, io))) failed = true;
      } catch (error) {
        // An unreadable or unwritable file: say so and go on with the others.
        if (!(error instanceof UserError)) throw error;
        reportError(io, error, verbose);
        failed = true;
      }
    }
    return failed ? 1 : 0;
  },
};

type Mode = 'print' | 'write' | 'check';

/** Prints, writes or checks one file; false when it has syntax errors or (with --check) is not formatted. */
async function formatOne(file: FormattedFile, mode: Mode, io: Io): Promise<boolean> {
  const { path, source, formatted } = file;
  if (formatted === undefined) {
    io.stderr(renderDiagnostics(file.diagnostics, path, source));
    return false;
  }
  if (mode === 'print') io.stdout(formatted);
  else if (formatted === source) return true;
  else if (mode === 'write') await writeFileAtomic(path, formatted);
  else {
    io.stderr(`${path}: not formatted (run 'strata fmt --write ${path}')\n`);
    return false;
  }
  return true;
}
