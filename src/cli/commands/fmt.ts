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
import { SourceFileError } from '../../driver/load-source.js';
import type { CommandModule } from '../command.js';
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
    let failed = false;
    for (const path of operands) {
      let file: FormattedFile;
      try {
        file = await formatFile(path);
      } catch (error) {
        if (!(error instanceof SourceFileError)) throw error;
        reportError(io, error, verbose);
        failed = true;
        continue;
      }
      if (file.formatted === undefined) {
        io.stderr(renderDiagnostics(file.diagnostics, path, file.source));
        failed = true;
      } else if (options['check'] === true) {
        if (file.formatted !== file.source) {
          io.stderr(`${path}: not formatted (run 'strata fmt --write ${path}')\n`);
          failed = true;
        }
      } else if (options['write'] === true) {
        if (file.formatted !== file.source) await writeFileAtomic(path, file.formatted);
      } else {
        io.stdout(file.formatted);
      }
    }
    return failed ? 1 : 0;
  },
};
