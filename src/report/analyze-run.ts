/**
 * Everything the report computes for one run with its model open: test
 * bounds, posterior parameters on the natural and texture sets, the
 * projective fields and the SIR correlations; the model is disposed before
 * returning, so runs are analysed one at a time.
 */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Matrix } from '../data/matrix.js';
import { parseRunJson } from '../driver/checkpoint/run-info.js';
import type { LoadedDataset } from '../data/load-dataset.js';
import { openRun, type OpenedRun } from '../driver/open-run.js';
import { checkModelFitsData } from '../driver/run-data.js';
import type { StrataModel } from '../driver/strata-model.js';
import { readMetrics } from '../driver/training-run.js';
import { latentScatter } from './analyses/latent-scatter.js';
import { posteriorActivity } from './analyses/posterior-activity.js';
import { posteriorCorrelations } from './analyses/posterior-correlations.js';
import { projectiveFields, type ProjectiveFields } from './analyses/projective-fields.js';
import { testBounds } from './analyses/test-bounds.js';
import { textureDecoding } from './analyses/texture-decoding.js';
import { trainingCurves } from './analyses/training-curves.js';
import { decoderLatents } from './model/decode-latent.js';
import { posteriorParams } from './model/posterior-params.js';
import type { LabelledDataset, ReportData } from './report-data.js';
import type { ReportOptions } from './report-options.js';
import type { RunResults, RunSummary, SectionId } from './run-results.js';

/** A stage starting (`done` undefined) or advancing. */
export type ProgressListener = (event: { readonly run: string; readonly stage: string; readonly done?: number; readonly total?: number }) => void;

/** What run.json says about a run, for the report's list of runs. */
export async function summarizeRun(dir: string, name: string): Promise<RunSummary> {
  const runJson = parseRunJson(await readFile(join(dir, 'run.json'), 'utf8'), join(dir, 'run.json'));
  const o = runJson.options;
  const data = (o.data ?? {}) as { spec?: string; seed?: number; train?: number };
  const k = o.k ?? 1;
  const epochs = runJson.position.epoch;
  const dataText = `${data.spec ?? '?'} (seed ${data.seed ?? '?'}${data.train === undefined ? '' : `, ${data.train} patches`})`;
  return {
    name,
    dir,
    objective: o.objective,
    k,
    epochs,
    model: basename(runJson.model.path),
    guide: runJson.model.guide,
    data: data.spec ?? '?',
    description: `${o.objective}, k = ${k}, ${epochs} epoch${epochs === 1 ? '' : 's'}; ${runJson.model.path} (guide ${runJson.model.guide}); trained on ${dataText}`,
  };
}

/** The lowest latent the likelihood reads (z1 in TDVAE), or undefined. */
function decoderLatent(model: StrataModel): string | undefined {
  const parents = new Set(decoderLatents(model));
  return model.ir.latents.map((l) => l.name).filter((n) => parents.has(n)).at(-1);
}

type Skipped = Partial<Record<SectionId, string>>;
type Stage = { readonly stage: (what: string) => void; readonly step: (what: string) => (done: number, total: number) => void };

/** The run's natural data and the texture set when it fits the model; what is missing goes into `skipped`. */
async function loadSets(run: RunSummary, model: StrataModel, runData: OpenedRun['data'], data: ReportData, skipped: Skipped): Promise<{ natural: LoadedDataset; textures?: LabelledDataset }> {
  const natural = await data.naturalFor(runData);
  checkModelFitsData(model.ir, run.dir, natural);
  const set = await data.textureSet();
  const why = 'reason' in set ? set.reason : set.dataset.test.cols !== natural.test.cols ? `texture patches have ${set.dataset.test.cols} values but the model observes ${natural.test.cols}` : undefined;
  if (why !== undefined || !('dataset' in set)) {
    skipped['texture-decoding'] = skipped['latent-scatter'] = why;
    skipped['test-bounds'] = `texture test set: ${why}`;
    return { natural };
  }
  return { natural, textures: set.dataset };
}

/** Sections 4 and 5: regressions and the scatter from posterior parameters on the texture sets. */
async function textureAnalyses(model: StrataModel, textures: LabelledDataset, fields: ProjectiveFields | undefined, options: ReportOptions, at: Stage): Promise<Pick<RunResults, 'decoding' | 'scatter'>> {
  const train = await posteriorParams(model, textures.train, { seed: options.seed, onProgress: at.step('posterior parameters, texture train') });
  const test = await posteriorParams(model, textures.test, { seed: options.seed + 1, onProgress: at.step('posterior parameters, texture test') });
  const subsets = fields
    ? [
        { name: `${fields.latent} localized`, latent: fields.latent, dims: fields.localized },
        { name: `${fields.latent} non-localized`, latent: fields.latent, dims: fields.nonLocalized },
      ]
    : [];
  const decoding = textureDecoding(train, test, textures.labels, textures.classes, { repeats: options.repeats, seed: options.seed, maxSelected: options.select, subsets, onProgress: at.stage });
  return { decoding, scatter: latentScatter(test[0]!, textures.labels.test) };
}

/**
 * Runs every model-dependent analysis of one run.
 *
 * @param run its summary (name and directory)
 */
export async function analyzeRun(run: RunSummary, data: ReportData, options: ReportOptions, onProgress: ProgressListener = () => {}): Promise<RunResults> {
  const at: Stage = {
    stage: (what) => onProgress({ run: run.name, stage: what }),
    step: (what) => (done, total) => onProgress({ run: run.name, stage: what, done, total }),
  };
  const curves = trainingCurves(await readMetrics(run.dir));
  const opened = await openRun(run.dir, options.backend ? { backend: options.backend } : {});
  const model = opened.model;
  const skipped: Skipped = {};
  try {
    at.stage('loading data');
    const { natural, textures } = await loadSets(run, model, opened.data, data, skipped);
    const sets: Record<string, Matrix> = { natural: natural.test, ...(textures ? { textures: textures.test } : {}) };
    const bounds = await testBounds(model, sets, { k: options.evalK, seed: options.seed, onProgress: (set, done, total) => at.step(`test bound (k = ${options.evalK}) on ${set === 'textures' ? 'texture test patches' : `${natural.name} test rows`}`)(done, total) });
    const activity = posteriorActivity(await posteriorParams(model, natural.test, { seed: options.seed, onProgress: at.step(`posterior parameters, ${natural.name} test`) }));

    const latent = decoderLatent(model);
    let fields: ProjectiveFields | undefined;
    let correlations: RunResults['correlations'];
    if (!latent) {
      skipped['projective-fields'] = skipped['posterior-correlations'] = 'the likelihood reads no latent directly';
    } else {
      const units = activity.find((a) => a.latent === latent)!;
      if (!natural.imageShape) skipped['projective-fields'] = `dataset '${natural.name}' has no image shape`;
      else {
        at.stage(`projective fields of ${latent}`);
        fields = await projectiveFields(model, units, natural.imageShape, { c: options.traversal, threshold: options.localizedThreshold });
      }
      const k = opened.k ?? 1;
      correlations = await posteriorCorrelations(model, natural.test, latent, {
        k, n: options.sirN, patches: Math.min(options.patches, natural.test.rows), units: units.active, seed: options.seed,
        onProgress: at.step(`SIR correlations of ${latent} (k = ${k}, n = ${options.sirN})`),
      });
    }
    const texture = textures ? await textureAnalyses(model, textures, fields, options, at) : {};
    return {
      run,
      naturalData: natural.description,
      dataName: natural.name,
      ...(natural.imageShape ? { imageShape: natural.imageShape } : {}),
      curves,
      bounds,
      activity,
      ...texture,
      ...(fields ? { fields } : {}),
      ...(correlations ? { correlations } : {}),
      skipped,
    };
  } finally {
    model.dispose();
  }
}
