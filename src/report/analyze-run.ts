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
import { openRun } from '../driver/open-run.js';
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
import type { ReportData } from './report-data.js';
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

/**
 * Runs every model-dependent analysis of one run.
 *
 * @param run its summary (name and directory)
 */
export async function analyzeRun(run: RunSummary, data: ReportData, options: ReportOptions, onProgress: ProgressListener = () => {}): Promise<RunResults> {
  const stage = (what: string) => onProgress({ run: run.name, stage: what });
  const step = (what: string) => (done: number, total: number) => onProgress({ run: run.name, stage: what, done, total });
  const curves = trainingCurves(await readMetrics(run.dir));
  const opened = await openRun(run.dir, options.backend ? { backend: options.backend } : {});
  const model = opened.model;
  const skipped: Partial<Record<SectionId, string>> = {};
  try {
    stage('loading data');
    const natural = await data.naturalFor(opened.data);
    checkModelFitsData(model.ir, run.dir, natural);
    const textureSet = await data.textureSet();
    let textures = 'dataset' in textureSet ? textureSet.dataset : undefined;
    if (textures && textures.test.cols !== natural.test.cols) {
      skipped['texture-decoding'] = `texture patches have ${textures.test.cols} values but the model observes ${natural.test.cols}`;
      textures = undefined;
    } else if ('reason' in textureSet) skipped['texture-decoding'] = textureSet.reason;
    if (!textures) {
      skipped['latent-scatter'] = skipped['texture-decoding'];
      skipped['test-bounds'] = `texture test set: ${skipped['texture-decoding']}`;
    }

    const sets: Record<string, Matrix> = { natural: natural.test, ...(textures ? { textures: textures.test } : {}) };
    const bounds = await testBounds(model, sets, { k: options.evalK, seed: options.seed, onProgress: (set, done, total) => step(`test bound (k = ${options.evalK}) on ${set} patches`)(done, total) });

    const naturalParams = await posteriorParams(model, natural.test, { seed: options.seed, onProgress: step('posterior parameters, natural test') });
    const activity = posteriorActivity(naturalParams);

    const latent = decoderLatent(model);
    let fields: ProjectiveFields | undefined;
    if (!latent) skipped['projective-fields'] = 'the likelihood reads no latent directly';
    else if (!natural.imageShape) skipped['projective-fields'] = `dataset '${natural.name}' has no image shape`;
    else {
      stage(`projective fields of ${latent}`);
      fields = await projectiveFields(model, activity.find((a) => a.latent === latent)!, natural.imageShape, { c: options.traversal, threshold: options.localizedThreshold });
    }

    let decoding: RunResults['decoding'];
    let scatter: RunResults['scatter'];
    if (textures) {
      const trainParams = await posteriorParams(model, textures.train, { seed: options.seed, onProgress: step('posterior parameters, texture train') });
      const testParams = await posteriorParams(model, textures.test, { seed: options.seed + 1, onProgress: step('posterior parameters, texture test') });
      const subsets = fields
        ? [
            { name: `${fields.latent} localized`, latent: fields.latent, dims: fields.localized },
            { name: `${fields.latent} non-localized`, latent: fields.latent, dims: fields.nonLocalized },
          ]
        : [];
      decoding = textureDecoding(trainParams, testParams, textures.labels, textures.classes, { repeats: options.repeats, seed: options.seed, maxSelected: options.select, subsets, onProgress: stage });
      scatter = latentScatter(testParams[0]!, textures.labels.test);
    }

    let correlations: RunResults['correlations'];
    if (!latent) skipped['posterior-correlations'] = 'the likelihood reads no latent directly';
    else {
      correlations = await posteriorCorrelations(model, natural.test, latent, {
        k: opened.k ?? 1,
        n: options.sirN,
        patches: Math.min(options.patches, natural.test.rows),
        units: activity.find((a) => a.latent === latent)?.active ?? [],
        seed: options.seed,
        onProgress: step(`SIR correlations of ${latent} (k = ${opened.k ?? 1}, n = ${options.sirN})`),
      });
    }
    return {
      run,
      ...(natural.imageShape ? { imageShape: natural.imageShape } : {}),
      curves,
      bounds,
      activity,
      ...(decoding ? { decoding } : {}),
      ...(scatter ? { scatter } : {}),
      ...(fields ? { fields } : {}),
      ...(correlations ? { correlations } : {}),
      skipped,
    };
  } finally {
    model.dispose();
  }
}
