/**
 * `npm run bench`: runs the benchmark rows on each backend (one process per
 * backend, see worker.ts), prints an aligned table on stdout and writes
 * bench/results.json. Progress goes to stderr. See docs/performance.md.
 *
 *   npm run bench                        # every available backend, full sizes
 *   npm run bench -- --quick             # smoke run on the automatic backend
 *   npm run bench -- --backend wasm,cpu --k 1,10 --reps 3
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableBackends, BACKEND_CHOICES } from '../src/backend/backend.js';
import { suggestName } from '../src/util/suggest.js';
import { runJsonChild } from './child-run.js';
import { machineInfo } from './machine.js';
import { parseBenchArgs, USAGE, workerArgs, type BenchOptions } from './options.js';
import { repoRoot } from './paths.js';
import { findTorchPython, pytorchVariants, runPytorch } from './pytorch-reference.js';
import { compareBackends, type BackendFailure, type BenchResults } from './results.js';
import { progress } from './row.js';
import { formatReport } from './table.js';
import type { BackendRun } from './worker.js';

/** Throws a RangeError naming the first unknown backend, with a suggestion. */
function checkBackendNames(names: readonly string[]): void {
  for (const name of names) {
    if (!(BACKEND_CHOICES as readonly string[]).includes(name)) {
      const guess = suggestName(name, BACKEND_CHOICES);
      throw new RangeError(`--backend: unknown backend '${name}'; use ${BACKEND_CHOICES.join(', ')}${guess ? `. Did you mean '${guess}'?` : ''}`);
    }
  }
}

/** The backends asked for, else every available one (the automatic choice alone with --quick). */
async function chooseBackends(options: BenchOptions): Promise<string[]> {
  if (options.backends !== undefined) return [...new Set(options.backends)];
  const available = await availableBackends();
  if (available.length === 0) throw new Error('no tfjs backend can be loaded here');
  if (!options.quick) return available;
  const fromEnv = process.env['STRATA_BACKEND'];
  return [fromEnv !== undefined && fromEnv !== '' ? fromEnv : available[0]!];
}

/** Runs worker.js for one backend and reads its JSON; a failed process becomes a BackendFailure. */
function runWorker(backend: string, options: BenchOptions, dir: string): Promise<BackendRun | BackendFailure> {
  const worker = fileURLToPath(new URL('./worker.js', import.meta.url));
  const resultFile = path.join(dir, `${backend}.json`);
  return runJsonChild(backend, process.execPath, [worker, backend, resultFile, ...workerArgs(options)], resultFile);
}

/** The PyTorch columns asked for by --pytorch, where a Python with torch is found (else a note on stderr). */
async function runPytorchColumns(options: BenchOptions, dir: string): Promise<(BackendRun | BackendFailure)[]> {
  const variants = pytorchVariants(options.pytorch);
  if (variants.length === 0) return [];
  const found = findTorchPython(options.python);
  if ('reason' in found) {
    if (options.pytorch === 'auto') {
      progress(`bench: no PyTorch column: ${found.reason}`);
      return [];
    }
    return variants.map((v) => ({ backend: v.name, error: found.reason }));
  }
  progress(`bench: PyTorch ${found.torch} (${found.python}) as ${variants.map((v) => v.name).join(', ')}`);
  const runs: (BackendRun | BackendFailure)[] = [];
  for (const variant of variants) runs.push(await runPytorch(found.python, options, variant, dir));
  return runs;
}

async function main(argv: readonly string[]): Promise<number> {
  let options: BenchOptions;
  try {
    const parsed = parseBenchArgs(argv);
    if (parsed === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    options = parsed;
    checkBackendNames(options.backends ?? []);
  } catch (error) {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\nRun 'npm run bench -- --help' for the options.\n`);
    return 2;
  }
  const root = repoRoot();
  const date = new Date().toISOString();
  const machine = machineInfo(root);
  const backends = await chooseBackends(options);
  progress(`bench: backends ${backends.join(', ')}; k = ${options.ks.join(', ')}; ${options.reps} reps after ${options.warmup} warm-up calls`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-bench-'));
  const runs: (BackendRun | BackendFailure)[] = [];
  try {
    for (const backend of backends) runs.push(await runWorker(backend, options, dir));
    runs.push(...(await runPytorchColumns(options, dir)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const results: BenchResults = {
    schema: 1,
    date,
    machine: { ...machine, loadAverageEnd: os.loadavg()[0]! },
    options,
    backends: runs,
    comparisons: compareBackends(runs),
  };
  process.stdout.write(`\n${formatReport(results).join('\n')}\n`);
  const out = path.resolve(root, options.out);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  const shown = path.relative(process.cwd(), out);
  process.stdout.write(`\nwrote ${shown.startsWith('..') || shown === '' ? out : shown}\n`);
  return runs.every((r) => !('error' in r)) ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
