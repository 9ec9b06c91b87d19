/**
 * What the report says before its figures (regressions from a user's MNIST
 * report: "natural test patches" on MNIST, texture decoding of a collapsed
 * latent without a word, SIR correlations at ESS 1.1 of 5 without comment,
 * no summary at the top of a long page).
 */
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html/index.js';
import type { RunResults } from '../../src/report/run-results.js';
import { collapsedWarning, highParetoKWarning, lowEssWarning, runWarnings, summaryTable, testSetLabel } from '../../src/report/run-warnings.js';
import { posteriorCorrelationsSection } from '../../src/report/sections/posterior-correlations.js';
import { testBoundsSection } from '../../src/report/sections/test-bounds.js';
import { textureDecodingSection } from '../../src/report/sections/texture-decoding.js';

const activity = (latent: string, d: number, active: number[]) => ({
  latent, d, active, threshold: 0.01, locMean: new Float64Array(d), locStd: new Float64Array(d), locVariance: new Float64Array(d),
});
const summary = (mean: number) => ({ mean, se: 0.5, n: 100 });

/** A run's results with only what these sections read. */
function runResults(name: string, dataName: string, options: { collapsed?: boolean; ess?: number; psisK?: number; decoding?: boolean } = {}): RunResults {
  return {
    run: { name, dir: `runs/${name}`, objective: 'tdiwae', k: 5, epochs: 10, model: 'models/tdvae.ppl', guide: 'topdown', data: dataName, description: 'TD-IWAE' },
    naturalData: `${dataName}: 100 test rows`,
    dataName,
    curves: { epochs: [], series: {} },
    bounds: { natural: { k: 50, bound: summary(-108.3), terms: { 'log p(x|·)': summary(-90) } } },
    activity: [activity('z2', 4, options.collapsed ? [] : [0, 2]), activity('z1', 6, [0, 1, 2])],
    ...(options.decoding ? { decoding: { chance: 0.2, classes: ['a', 'b'], latents: {}, subsets: {} } } : {}),
    ...(options.ess === undefined
      ? {}
      : {
          correlations: {
            latent: 'z1', k: 5, n: 100, d: 6, units: [0, 1, 2],
            patches: [{ row: 3, contrast: 1, image: new Float32Array(4), ess: options.ess, psisK: options.psisK ?? 0.2, psisThreshold: 0.62, top: [], top5Mean: 0.1, top10Mean: 0.1, meanAbs: 0.1 }],
            rank: [], top5: { mean: 0.1, std: 0 }, top10: { mean: 0.1, std: 0 }, example: { row: 3, matrix: new Float64Array(0) }, absValues: new Float64Array(0),
          },
        }),
    skipped: {},
  } as unknown as RunResults;
}

describe('report warnings and summary', () => {
  it('labels the test set by the runs\' own dataset, not as natural patches', async () => {
    const mnist = [runResults('a', 'mnist:dynamic')];
    expect(testSetLabel(mnist)).toBe('mnist:dynamic test rows');
    expect(testSetLabel([runResults('b', 'natural:olshausen')])).toBe('natural:olshausen test patches');
    const section = await testBoundsSection(mnist);
    expect(section.tables[0]!.caption).toBe('Means ± standard errors on the mnist:dynamic test rows');
    expect(JSON.stringify(section.tables)).not.toContain('natural');
  });

  it('warns about a collapsed latent, in the summary and in the texture-decoding section', async () => {
    const collapsed = runResults('c', 'natural:olshausen', { collapsed: true, decoding: true });
    expect(collapsedWarning(collapsed)).toBe('c: z2 (0 of 4 dimensions active) collapsed to the prior: the guide gives every input the same posterior, so its texture decoding and scatter show the prior, not learned features');
    expect(collapsedWarning(runResults('d', 'natural:olshausen', { decoding: true }))).toBeUndefined();
    expect((await textureDecodingSection([collapsed])).description).toContain(`Warning — ${collapsedWarning(collapsed)}.`);
  });

  it('warns about SIR correlations at a mean ESS below 2, in the summary and in the correlations section', async () => {
    const low = runResults('e', 'mnist:dynamic', { ess: 1.1 });
    expect(lowEssWarning(low)).toBe("e: the SIR correlations of z1 rest on a mean effective sample size of 1.1 of k = 5: each draw is nearly always the same few particles, so the correlations are the guide's more than the posterior's");
    expect(lowEssWarning(runResults('f', 'mnist:dynamic', { ess: 3.2 }))).toBeUndefined();
    expect((await posteriorCorrelationsSection([low])).description).toContain('Warning — e: the SIR correlations of z1 rest on a mean effective sample size of 1.1');
  });

  it('warns when patches have PSIS k̂ above the threshold, in the correlations section, with k̂ in its tables', async () => {
    const heavy = runResults('p', 'mnist:dynamic', { ess: 3, psisK: 0.91 });
    expect(highParetoKWarning(heavy)).toBe('p: on 1 of 1 patches the SIR weights of z1 have PSIS k̂ above 0.62 (max 0.91): the guide misses posterior mass there, so those draws and bounds are unreliable');
    expect(highParetoKWarning(runResults('q', 'mnist:dynamic', { ess: 3, psisK: 0.3 }))).toBeUndefined();
    expect(runWarnings(heavy)).toEqual([highParetoKWarning(heavy)]);
    const section = await posteriorCorrelationsSection([heavy]);
    expect(section.description).toContain('Warning — p: on 1 of 1 patches');
    expect(section.tables[0]!.rows[0]!.at(-1)).toBe('1 of 1');
    expect(section.tables[1]!.columns).toContain('PSIS k̂');
  });

  it('puts a summary table and every warning at the top of the page', () => {
    const runs = [runResults('g', 'mnist:dynamic', { collapsed: true, ess: 1.1 }), runResults('h', 'mnist:dynamic', { ess: 4 })];
    const table = summaryTable(runs);
    expect(table.rows).toEqual([
      ['g', 'mnist:dynamic', 'tdiwae', 5, 10, '-108.30 ± 0.50 (k = 50)', 'z2 0/4, z1 3/6', 2],
      ['h', 'mnist:dynamic', 'tdiwae', 5, 10, '-108.30 ± 0.50 (k = 50)', 'z2 2/4, z1 3/6', 0],
    ]);
    const html = renderHtml({ title: 'T', runs: [], sections: [], summary: { table, warnings: runs.flatMap(runWarnings) } });
    const summaryAt = html.indexOf('<section id="summary">');
    expect(summaryAt).toBeGreaterThan(0);
    expect(summaryAt).toBeLessThan(html.indexOf('id="runs"'));
    expect(html.match(/<strong>Warning:<\/strong>/g)).toHaveLength(2);
    expect(html).toContain('<a href="#summary">Summary</a>');
    expect(() => renderHtml({ title: 'T', runs: [], sections: [{ id: 'summary', title: 's', description: '', figures: [], tables: [] }] })).toThrow(/used by the page itself/);
  });
});
