/**
 * `strata check FILE...`: checks each file; prints its diagnostics (stderr)
 * and, when it has no errors, a summary of the model (stdout). Exits 1 when
 * any file has errors or cannot be read; warnings alone do not fail.
 */
import { hasErrors } from '../../diagnostics/diagnostic.js';
import { renderDiagnostics } from '../../diagnostics/render.js';
import { checkFile, type CheckedFile } from '../../driver/load-source.js';
import { formatSummary, summarizeModel } from '../../driver/summary.js';
import { UserError } from '../../util/user-error.js';
import type { CommandModule } from '../command.js';
import { reportError } from '../report-error.js';

function heading(file: CheckedFile): string {
  const warnings = file.result.diagnostics.length;
  return `${file.path}: ok${warnings === 0 ? '' : ` (${warnings} warning${warnings === 1 ? '' : 's'})`}`;
}

export const command: CommandModule = {
  name: 'check',
  define: (command) =>
    command
      .description('check .ppl files and summarize each valid model')
      .argument('<files...>', '.ppl source files')
      .option('--print-ir', 'print the IR of each valid model as JSON instead of the summary'),
  async run({ operands, options, io, verbose }) {
    let failed = false;
    let printed = 0;
    for (const path of operands) {
      let file: CheckedFile;
      try {
        file = await checkFile(path);
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        reportError(io, error, verbose);
        failed = true;
        continue;
      }
      const { source, result } = file;
      if (result.diagnostics.length > 0) io.stderr(renderDiagnostics(result.diagnostics, path, source));
      if (result.ir === undefined || hasErrors(result.diagnostics)) {
        failed = true;
        continue;
      }
      const text = options['printIr'] === true ? `${JSON.stringify(result.ir, null, 2)}\n` : formatSummary(summarizeModel(result.ir), heading(file));
      io.stdout((printed++ > 0 ? '\n' : '') + text);
    }
    return failed ? 1 : 0;
  },
};
