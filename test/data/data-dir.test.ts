import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findDataDir, packageRoot } from '../../src/data/data-dir.js';
import { loadDataset } from '../../src/data/load-dataset.js';
import { tempDir } from './helpers.js';

const root = tempDir();
const work = join(root, 'work', 'main');
const shared = join(root, 'work', 'shared', 'data');
mkdirSync(work, { recursive: true });
mkdirSync(shared, { recursive: true });
const bare = join(root, 'elsewhere');
mkdirSync(bare);
const isolated = { env: {}, packageRoot: null } as const;

describe('findDataDir', () => {
  it('prefers an explicit directory, then STRATA_DATA, then ../shared/data', () => {
    expect(findDataDir({ ...isolated, dataDir: bare, cwd: work })).toMatchObject({ dir: bare, from: 'option' });
    expect(findDataDir({ ...isolated, env: { STRATA_DATA: bare }, cwd: work })).toMatchObject({ dir: bare, from: 'STRATA_DATA' });
    expect(findDataDir({ ...isolated, cwd: work })).toMatchObject({ dir: shared, from: 'cwd' });
    expect(findDataDir({ env: {}, cwd: bare, packageRoot: work })).toMatchObject({ dir: shared, from: 'package' });
    expect(findDataDir({ ...isolated, cwd: bare })).toEqual({ dir: undefined, from: undefined, looked: [join(root, 'shared', 'data')] });
  });

  it('resolves relative paths against the working directory', () => {
    expect(findDataDir({ ...isolated, dataDir: '../shared/data', cwd: work }).dir).toBe(shared);
  });

  it('fails loudly when an explicit directory does not exist', () => {
    expect(() => findDataDir({ ...isolated, dataDir: join(root, 'nope') })).toThrow(`data directory ${join(root, 'nope')} (given by --data-dir) does not exist`);
    expect(() => findDataDir({ ...isolated, env: { STRATA_DATA: join(root, 'nope') } })).toThrow('(from STRATA_DATA) does not exist');
  });

  it('finds this package root', () => {
    expect(packageRoot()).toMatch(/main$|strata/);
  });
});

describe('a dataset whose data directory is missing', () => {
  it('says where it looked and how to point to the data', async () => {
    await expect(loadDataset('mnist:binarized', { ...isolated, cwd: bare, seed: 0 })).rejects.toThrow(
      `dataset 'mnist:binarized' needs data files but no data directory was found (looked in ${join(root, 'shared', 'data')}); pass --data-dir DIR or set STRATA_DATA=DIR`,
    );
    await expect(loadDataset('textures:brodatz', { ...isolated, cwd: bare, seed: 0 })).rejects.toThrow('pass --data-dir DIR or set STRATA_DATA=DIR');
    await expect(loadDataset('natural:hyvarinen', { ...isolated, cwd: bare, seed: 0 })).rejects.toThrow("dataset 'natural:hyvarinen' needs data files");
  });

  it("falls back to dead leaves for 'natural', with a notice", async () => {
    const d = await loadDataset('natural', { ...isolated, cwd: bare, seed: 0, train: 200, test: 20 });
    expect(d.name).toBe('natural');
    expect(d.description).toContain('natural:deadleaves');
    expect(d.description).toContain('Olshausen images not found');
    expect(d.description).toContain('--data-dir');
    expect(d.train).toMatchObject({ rows: 200, cols: 400 });
    const inEmptyDir = await loadDataset('natural', { ...isolated, dataDir: bare, seed: 0, train: 10, test: 10 });
    expect(inEmptyDir.description).toContain(join(bare, 'natural_images'));
  });
});
