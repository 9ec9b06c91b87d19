/**
 * The checkpoint directory: its files and run.json, generations and what a
 * kill between writes leaves, and every refusal (missing or corrupt files,
 * another format, another model, changed source) with a message that says
 * what is wrong.
 */
import { copyFile, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCheckpoint, restoreInto, saveCheckpoint, type RunJson } from '../../src/driver/checkpoint/checkpoint.js';
import { sourceSha256 } from '../../src/driver/checkpoint/run-info.js';
import { readSafetensors, writeSafetensors } from '../../src/driver/checkpoint/safetensors.js';
import { compileModel, infer, type EpochRecord, type StrataModel } from '../../src/index.js';
import { compile, INFO, MODEL_PATH, parameterBytes, SOURCE, trainOptions, TWO_LEVEL_SOURCE } from './fixture.js';

let dir = '';
const models: StrataModel[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strata-ckf-'));
});
afterEach(async () => {
  models.splice(0).forEach((m) => m.dispose());
  await rm(dir, { recursive: true });
});

async function fresh(seed: number, source = SOURCE): Promise<StrataModel> {
  const model = source === SOURCE ? await compile(seed) : await compileModel(source, { backend: 'cpu', seed, fileName: 'other.ppl' });
  models.push(model);
  return model;
}

async function trained(): Promise<{ model: StrataModel; last: EpochRecord }> {
  const model = await fresh(0);
  const { history } = await infer(model, trainOptions(1));
  return { model, last: history.at(-1)! };
}

const readRun = async () => JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')) as RunJson;
const writeRun = (run: unknown) => writeFile(join(dir, 'run.json'), JSON.stringify(run));

describe('the checkpoint directory', () => {
  it('holds one generation of tensor files and a run.json that names them and records the run', async () => {
    const { model, last } = await trained();
    const before = Date.now();
    const run = await saveCheckpoint(dir, model, { ...INFO, lastEpoch: last });
    expect((await readdir(dir)).sort()).toEqual(['optimizer-000001.safetensors', 'params-000001.safetensors', 'run.json']);
    expect(await readRun()).toEqual(run);
    expect(run).toMatchObject({
      format: 1,
      generation: 1,
      files: { params: 'params-000001.safetensors', optimizer: 'optimizer-000001.safetensors' },
      model: { path: MODEL_PATH, sha256: sourceSha256(SOURCE), guide: 'q' },
      options: INFO.options,
      position: { epoch: 1, step: 0 },
      rng: { seed: INFO.options.seed },
      backend: 'cpu',
      strataVersion: '0.1.0',
      metrics: { epoch: 1, steps: 5, loss: last.loss },
    });
    expect(Date.parse(run.created)).toBeGreaterThanOrEqual(before - 1000);
    expect(run.updated).toBe(run.created);

    const params = await readSafetensors(join(dir, run.files.params));
    expect([...params.tensors.keys()]).toEqual(model.parameterNames());
    expect(params.tensors.get('decoder.weight')).toMatchObject({ dtype: 'F32', shape: [4, 6] });
    expect(params.metadata).toMatchObject({ generation: '1', model: MODEL_PATH });
    const optimizer = await readSafetensors(join(dir, run.files.optimizer!));
    expect([...optimizer.tensors.keys()]).toEqual(['iter', 'acc_beta1', 'acc_beta2', ...model.parameterNames().flatMap((n) => [`${n}/m`, `${n}/v`])]);
    expect(optimizer.tensors.get('iter')).toMatchObject({ dtype: 'I32', shape: [], data: Int32Array.of(5) });
    expect(optimizer.metadata).toMatchObject({ optimizer: 'adam', learningRate: '0.01', beta1: '0.9', beta2: '0.999' });
  });

  it('each save is a new generation: older files go, created stays, updated moves', async () => {
    const { model } = await trained();
    const first = await saveCheckpoint(dir, model, INFO);
    await new Promise((r) => setTimeout(r, 5));
    await infer(model, trainOptions(1));
    const second = await saveCheckpoint(dir, model, INFO);
    expect(second.generation).toBe(2);
    expect(second.created).toBe(first.created);
    expect(Date.parse(second.updated)).toBeGreaterThan(Date.parse(first.updated));
    expect(second.position).toEqual({ epoch: 2, step: 0 });
    expect((await readdir(dir)).sort()).toEqual(['optimizer-000002.safetensors', 'params-000002.safetensors', 'run.json']);
  });

  it('after a kill between the tensor files and run.json, loading reads the older consistent set; the next save moves past the orphans', async () => {
    const { model } = await trained();
    await saveCheckpoint(dir, model, INFO);
    const saved = parameterBytes(model);
    // What a killed save leaves: the next generation's params written, its optimizer half-written (a temp file), run.json not yet.
    const zeros = new Map(model.ir.parameters.map((p) => [p.name, { dtype: 'F32' as const, shape: [...p.shape], data: new Float32Array(p.shape.reduce((a, b) => a * b, 1)) }]));
    await writeSafetensors(join(dir, 'params-000002.safetensors'), zeros, { format: 'strata-params-1', generation: '2' });
    await writeFile(join(dir, '.optimizer-000002.safetensors.123.abcd.tmp'), 'partial');

    const restored = await fresh(5);
    await restoreInto(restored, await loadCheckpoint(dir), { source: SOURCE });
    expect(parameterBytes(restored)).toEqual(saved);

    const run = await saveCheckpoint(dir, model, INFO);
    expect(run.generation).toBe(3);
    expect((await readdir(dir)).filter((f) => !f.startsWith('.')).sort()).toEqual(['optimizer-000003.safetensors', 'params-000003.safetensors', 'run.json']);
  });

  it('will not overwrite a run.json it cannot read (another format, hand-edited)', async () => {
    const { model } = await trained();
    const run = await saveCheckpoint(dir, model, INFO);
    await writeRun({ ...run, format: 2 });
    await expect(saveCheckpoint(dir, model, INFO)).rejects.toThrow(/^will not overwrite the checkpoint in '.*': cannot read '.*run\.json': checkpoint format 2; .* remove it or save elsewhere$/);
    expect((await readRun()).format).toBe(2);
  });

  it('saves a model with no optimizer yet (optimizer: null)', async () => {
    const model = await fresh(0);
    const run = await saveCheckpoint(dir, model, INFO);
    expect(run.files.optimizer).toBeNull();
    expect(run.metrics).toBeNull();
    expect((await readdir(dir)).sort()).toEqual(['params-000001.safetensors', 'run.json']);
    expect((await loadCheckpoint(dir)).optimizerState).toBeUndefined();
  });
});

describe('loading refuses', () => {
  beforeEach(async () => {
    const { model } = await trained();
    await saveCheckpoint(dir, model, INFO);
  });

  it('a directory without run.json', async () => {
    await rm(join(dir, 'run.json'));
    await expect(loadCheckpoint(dir)).rejects.toThrow(`no checkpoint in '${dir}': run.json is missing`);
    await expect(loadCheckpoint(join(dir, 'nowhere'))).rejects.toThrow(/run\.json is missing/);
  });

  it('run.json that is not JSON, of another format, or with a bad field', async () => {
    const run = await readRun();
    await writeFile(join(dir, 'run.json'), '{"format": 1,');
    await expect(loadCheckpoint(dir)).rejects.toThrow(/run\.json': not valid JSON/);
    await writeRun({ ...run, format: 2 });
    await expect(loadCheckpoint(dir)).rejects.toThrow(/checkpoint format 2; Strata .* reads format 1/);
    await writeRun({ ...run, files: { params: '../../etc/passwd', optimizer: null }, position: { epoch: -1, step: 0 } });
    await expect(loadCheckpoint(dir)).rejects.toThrow(/'files\.params' must be a file name; 'position\.epoch' must be a non-negative integer/);
  });

  it('a missing or corrupt tensor file, naming it', async () => {
    const run = await readRun();
    await copyFile(join(dir, run.files.params), join(dir, 'backup'));
    await rm(join(dir, run.files.params));
    await expect(loadCheckpoint(dir)).rejects.toThrow(`cannot read '${join(dir, run.files.params)}': no such file`);
    await copyFile(join(dir, 'backup'), join(dir, run.files.params));
    await truncate(join(dir, run.files.params), (await readFile(join(dir, 'backup'))).length - 10);
    await expect(loadCheckpoint(dir)).rejects.toThrow(/params-000001\.safetensors': tensor '.*' has data_offsets .* outside the \d+-byte data section \(truncated file\?\)/);
  });

  it('a tensor file of another generation', async () => {
    const run = await readRun();
    await copyFile(join(dir, run.files.params), join(dir, 'params-000009.safetensors'));
    await writeRun({ ...run, generation: 9, files: { ...run.files, params: 'params-000009.safetensors' } });
    await expect(loadCheckpoint(dir)).rejects.toThrow(/params-000009\.safetensors': it is generation 1 but run\.json names generation 9/);
  });

  it('optimizer slots that do not pair with the parameters', async () => {
    const run = await readRun();
    const path = join(dir, run.files.optimizer!);
    const { tensors: read, metadata } = await readSafetensors(path);
    const tensors = new Map(read);
    tensors.delete('decoder.bias/v');
    await writeSafetensors(path, tensors, metadata);
    await expect(loadCheckpoint(dir)).rejects.toThrow(/only one of their m and v slots: decoder\.bias/);
    tensors.delete('decoder.bias/m');
    await writeSafetensors(path, tensors, metadata);
    await expect(loadCheckpoint(dir)).rejects.toThrow(/no slots for 'decoder\.bias'/);
  });
});

describe('restoring refuses', () => {
  beforeEach(async () => {
    const { model } = await trained();
    await saveCheckpoint(dir, model, INFO);
  });

  it('a changed source unless allowed, and a call with neither source nor permission', async () => {
    const loaded = await loadCheckpoint(dir);
    const model = await fresh(1);
    const edited = SOURCE + '\n// tuned\n';
    await expect(restoreInto(model, loaded, { source: edited })).rejects.toThrow(
      new RegExp(`checkpoint '.*' was saved from different source for models/linear-gaussian\\.ppl \\(sha256 ${sourceSha256(SOURCE).slice(0, 12)}…\\) than models/linear-gaussian\\.ppl now has \\(${sourceSha256(edited).slice(0, 12)}…\\)`),
    );
    await expect(restoreInto(model, loaded)).rejects.toThrow(/pass the model's source .* or allowSourceChange/);
    await restoreInto(model, loaded, { source: edited, allowSourceChange: true });
    expect(model.position).toEqual({ epoch: 1, step: 0 });
  });

  it('another model, listing every mismatch', async () => {
    const other = await fresh(0, TWO_LEVEL_SOURCE);
    const before = parameterBytes(other);
    const error = await restoreInto(other, await loadCheckpoint(dir), { allowSourceChange: true }).then(
      () => new Error('restoreInto did not throw'),
      (e: unknown) => e as Error,
    );
    expect(error.name).toBe('UserError');
    expect(error.message).toMatch(/^checkpoint '.*' does not fit other\.ppl: /);
    expect(error.message).toContain("'prior_z1.weight' [3, 5] is missing from the checkpoint");
    expect(error.message).toContain("'decoder.weight' is [4, 6] in the checkpoint but [5, 6] in the model");
    expect(error.message).toContain("'encoder.weight' [6, 4] is not a parameter of the model");
    expect(error.message).toContain("'guide_log_scale' [4] is not a parameter of the model");
    expect(parameterBytes(other)).toEqual(before);
    expect(other.optimizer).toBeUndefined();
  });
});
