/**
 * `strata report` as a function: analyse each run (one model in memory at a
 * time), render the seven sections side by side, and write index.html (self-
 * contained), report.json (every number) and data/*.npy (the projective
 * fields and the example correlation matrices) into the output directory.
 */
import { mkdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { writeNpy } from '../driver/checkpoint/npy.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { packageVersion } from '../util/package-version.js';
import { analyzeRun, summarizeRun, type ProgressListener } from './analyze-run.js';
import { renderHtml, type Section } from './html/index.js';
import { ReportData } from './report-data.js';
import { validateReportOptions, type ReportOptions } from './report-options.js';
import type { RunResults, RunSummary, SectionId } from './run-results.js';
import { latentScatterJson, latentScatterSection } from './sections/latent-scatter.js';
import { posteriorActivityJson, posteriorActivitySection } from './sections/posterior-activity.js';
import { posteriorCorrelationsJson, posteriorCorrelationsSection } from './sections/posterior-correlations.js';
import { projectiveFieldsJson, projectiveFieldsSection } from './sections/projective-fields.js';
import { testBoundsJson, testBoundsSection } from './sections/test-bounds.js';
import { textureDecodingJson, textureDecodingSection } from './sections/texture-decoding.js';
import { trainingCurvesJson, trainingCurvesSection } from './sections/training-curves.js';
import { runWarnings, summaryTable } from './run-warnings.js';

export interface ReportFiles {
  readonly html: string;
  readonly json: string;
  /** The .npy files under data/. */
  readonly arrays: readonly string[];
}

export interface BuiltReport {
  readonly files: ReportFiles;
  readonly runs: readonly RunResults[];
  /** What report.json holds. */
  readonly json: Record<string, unknown>;
}

/** Unique short names: each run directory's base name, with -2, -3, ... on repeats. */
function runNames(dirs: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return dirs.map((dir) => {
    const base = basename(resolve(dir)).replace(/[^A-Za-z0-9._-]+/g, '-') || 'run';
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}-${n}`;
  });
}

async function renderSections(runs: readonly RunResults[]): Promise<Section[]> {
  return [
    await trainingCurvesSection(runs),
    await testBoundsSection(runs),
    await posteriorActivitySection(runs),
    await textureDecodingSection(runs),
    await latentScatterSection(runs),
    await projectiveFieldsSection(runs),
    await posteriorCorrelationsSection(runs),
  ];
}

/** The large arrays, as data/NAME.npy; returns the file names per run for report.json. */
async function writeArrays(out: string, runs: readonly RunResults[]): Promise<{ fields: Record<string, string>; correlations: Record<string, string>; all: string[] }> {
  await mkdir(join(out, 'data'), { recursive: true });
  const fields: Record<string, string> = {};
  const correlations: Record<string, string> = {};
  for (const r of runs) {
    const f = r.fields;
    if (f) {
      fields[r.run.name] = `data/fields-${r.run.name}.npy`;
      await writeNpy(join(out, fields[r.run.name]!), f.fields, [f.fields.length / (f.height * f.width), f.height, f.width]);
    }
    const c = r.correlations;
    if (c && c.example.matrix.length > 0) {
      correlations[r.run.name] = `data/correlation-${r.run.name}.npy`;
      await writeNpy(join(out, correlations[r.run.name]!), Float32Array.from(c.example.matrix), [c.d, c.d]);
    }
  }
  return { fields, correlations, all: [...Object.values(fields), ...Object.values(correlations)] };
}

function settingsLine(o: ReportOptions): string {
  return `${o.count} test patches per set, test bound with k = ${o.evalK}, ${o.repeats} regression fits on ${o.textureTrain} texture-train patches, SIR correlations from ${o.sirN} draws on ${o.patches} patches, seed ${o.seed}`;
}

/**
 * Builds the report and writes it under `options.out`.
 *
 * @returns the files written, each run's results and the JSON
 * @example await buildReport({ ...REPORT_DEFAULTS, runs: ['runs/vae', 'runs/tdiwae'], out: 'reports/cmp' })
 */
export async function buildReport(options: ReportOptions, onProgress: ProgressListener = () => {}): Promise<BuiltReport> {
  validateReportOptions(options);
  const names = runNames(options.runs);
  const summaries: RunSummary[] = [];
  for (const [i, dir] of options.runs.entries()) summaries.push(await summarizeRun(dir, names[i]!));
  const data = new ReportData(options);
  const runs: RunResults[] = [];
  const seconds: Record<string, number> = {};
  for (const summary of summaries) {
    const start = Date.now();
    runs.push(await analyzeRun(summary, data, options, onProgress));
    seconds[summary.name] = (Date.now() - start) / 1000;
  }
  onProgress({ run: '', stage: 'rendering figures' });
  const sections = await renderSections(runs);
  const out = options.out;
  await mkdir(out, { recursive: true });
  const arrays = await writeArrays(out, runs);
  const textures = await data.textureSet();
  const naturalDescriptions = [...new Set(runs.map((r) => r.naturalData))];
  const title = options.title ?? `Strata report: ${names.join(' vs ')}`;
  const html = renderHtml({
    title,
    subtitle: `Data: ${naturalDescriptions.join('; ')}. Textures: ${'dataset' in textures ? textures.dataset.description : textures.reason}. ${settingsLine(options)}.`,
    runs: summaries.map((s) => ({ name: s.name, description: s.description })),
    summary: { table: summaryTable(runs), warnings: runs.flatMap(runWarnings) },
    sections,
    footer: `strata report ${packageVersion()}`,
  });
  const sectionJson: Record<SectionId, unknown> = {
    'training-curves': trainingCurvesJson(runs),
    'test-bounds': testBoundsJson(runs),
    'posterior-activity': posteriorActivityJson(runs),
    'texture-decoding': textureDecodingJson(runs),
    'latent-scatter': latentScatterJson(runs),
    'projective-fields': projectiveFieldsJson(runs, arrays.fields),
    'posterior-correlations': posteriorCorrelationsJson(runs, arrays.correlations),
  };
  const json = {
    format: 1,
    title,
    created: new Date().toISOString(),
    strataVersion: packageVersion(),
    options: { count: options.count, textureTrain: options.textureTrain, evalK: options.evalK, sirN: options.sirN, patches: options.patches, repeats: options.repeats, select: options.select, traversal: options.traversal, localizedThreshold: options.localizedThreshold, seed: options.seed, data: options.data ?? null, textures: options.textures },
    data: { natural: naturalDescriptions, textures: 'dataset' in textures ? textures.dataset.description : null, texturesMissing: 'reason' in textures ? textures.reason : null },
    runs: summaries,
    warnings: Object.fromEntries(runs.map((r) => [r.run.name, runWarnings(r)])),
    seconds,
    sections: sectionJson,
  };
  const files = { html: join(out, 'index.html'), json: join(out, 'report.json'), arrays: arrays.all.map((f) => join(out, f)) };
  await writeFileAtomic(files.html, html);
  await writeFileAtomic(files.json, `${JSON.stringify(json, null, 1)}\n`);
  return { files, runs, json };
}
