/**
 * scripts/build-native.mjs, the package's install script, never fails the
 * install: skipped or broken builds exit 0 with one line saying why native
 * speed is unavailable. Runs on a copy of native/ in a temporary folder so
 * the real build is untouched.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const UNAVAILABLE = /^strata: native CPU speed unavailable \((.+)\); Strata will fall back to the wasm backend\. See docs\/performance\.md\.$/;
let copy: string;

function runScript(env: Record<string, string>): { status: number | null; lines: string[] } {
  const run = spawnSync(process.execPath, [path.join(copy, 'scripts', 'build-native.mjs')], {
    cwd: copy,
    encoding: 'utf8',
    env: { ...process.env, STRATA_SKIP_NATIVE: '', STRATA_OPENBLAS_LIB: '', ...env },
    timeout: 120_000,
  });
  return { status: run.status, lines: `${run.stdout}${run.stderr}`.split('\n').filter((l) => l.trim() !== '') };
}

beforeAll(() => {
  copy = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-build-native-'));
  fs.mkdirSync(path.join(copy, 'scripts'));
  fs.copyFileSync(path.join(repo, 'scripts', 'build-native.mjs'), path.join(copy, 'scripts', 'build-native.mjs'));
  fs.cpSync(path.join(repo, 'native', 'src'), path.join(copy, 'native', 'src'), { recursive: true });
  fs.copyFileSync(path.join(repo, 'native', 'binding.gyp'), path.join(copy, 'native', 'binding.gyp'));
  fs.writeFileSync(path.join(copy, 'package.json'), '{ "name": "strata-ppl-build-test", "private": true }\n');
});

afterAll(() => {
  fs.rmSync(copy, { recursive: true, force: true });
});

describe('scripts/build-native.mjs', () => {
  it('with STRATA_SKIP_NATIVE=1, builds nothing, exits 0 and says so in one line', () => {
    const { status, lines } = runScript({ STRATA_SKIP_NATIVE: '1' });
    expect(status).toBe(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(UNAVAILABLE);
    expect(lines[0]).toContain('STRATA_SKIP_NATIVE is set');
    expect(fs.existsSync(path.join(copy, 'native', 'build', 'Release', 'strata_native.node'))).toBe(false);
  });

  it('when the build fails (no compiler), exits 0 with one line giving the reason', () => {
    const { status, lines } = runScript({ CXX: path.join(copy, 'no-such-compiler'), CC: path.join(copy, 'no-such-compiler') });
    expect(status).toBe(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(UNAVAILABLE);
    expect(fs.existsSync(path.join(copy, 'native', 'build', 'Release', 'strata_native.node'))).toBe(false);
  });
});
