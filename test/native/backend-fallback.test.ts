/**
 * Where the native addon is not built (simulated here whatever this machine
 * has), the automatic choice falls through to wasm and says why, and an
 * explicit request for native is an error that names the remedy. This runs
 * on every machine: it is the optional-install guarantee.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../src/backend/native/addon.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/backend/native/addon.js')>();
  return {
    ...actual,
    loadNativeAddon: () => ({ ok: false, path: '/nowhere/strata_native.node', reason: 'the native addon is not built (simulated)' }),
  };
});

const { describeBackendChoice, selectBackend, availableBackends } = await import('../../src/backend/backend.js');
const { createRequire } = await import('node:module');
const require = createRequire(import.meta.url);
const hasTfjsNode = ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'].some((pkg) => {
  try {
    require.resolve(pkg);
    return true;
  } catch {
    return false;
  }
});

afterEach(() => {
  delete process.env['STRATA_BACKEND'];
});

describe('without the native addon', () => {
  it.skipIf(hasTfjsNode)('chooses wasm automatically and says why native was passed over', async () => {
    expect(await selectBackend()).toBe('wasm');
    expect(describeBackendChoice()).toBe('wasm (native: the native addon is not built (simulated))');
    expect(await availableBackends()).not.toContain('native');
  });

  it('rejects an explicit native choice, naming what is available and how to get native', async () => {
    process.env['STRATA_BACKEND'] = 'native';
    const failure = selectBackend();
    await expect(failure).rejects.toThrow(/Backend 'native' \(from STRATA_BACKEND\) cannot be loaded: the native addon is not built \(simulated\)/);
    await expect(failure).rejects.toThrow(/Available here: .*wasm, cpu; to use it, install OpenBLAS/);
  });
});
