/**
 * The `strata` CLI run in-process through `main(argv, io)`: exit codes
 * (0 clean, 1 errors, 2 usage), the model summary, `fmt` in its three modes,
 * and once through the real `bin/strata.js` on the built dist/.
 */
import { execFile } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from './run-cli.js';
import { reportError } from '../../src/cli/report-error.js';
import { StrataError } from '../../src/driver/strata-error.js';
import { checkSource } from '../../src/frontend/check.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MODELS = readdirSync(join(ROOT, 'models')).filter((f) => f.endsWith('.ppl')).sort().map((f) => join(ROOT, 'models', f));
const LINEAR_GAUSSIAN = join(ROOT, 'models', 'linear-gaussian.ppl');
const TDVAE = join(ROOT, 'models', 'tdvae.ppl');


const tempDirs: string[] = [];
function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'strata-cli-'));
  tempDirs.push(dir);
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
afterAll(() => tempDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Parameters of an MLP with these widths: sum of in*out weights plus out biases. */
function mlpParameters(...widths: number[]): number {
  let total = 0;
  for (let i = 1; i < widths.length; i++) total += widths[i - 1]! * widths[i]! + widths[i]!;
  return total;
}

const count = (n: number) => n.toLocaleString('en-US');
const linearGaussian = readFileSync(LINEAR_GAUSSIAN, 'utf8');

describe('strata check', () => {
  it('exits 0 on every model in models/ and prints a summary of each', async () => {
    const r = await run('check', ...MODELS);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const path of MODELS) expect(r.stdout).toContain(`${path}: ok`);
  });

  it('summarizes models/linear-gaussian.ppl', async () => {
    const r = await run('check', LINEAR_GAUSSIAN);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').map((l) => l.trim().replace(/\s+/g, ' '));
    // Z = 4, X = 6: decoder linear(Z -> X), encoder linear(X -> Z), guide_log_scale real[Z].
    const model = mlpParameters(4, 6);
    const guide = mlpParameters(6, 4) + 4;
    expect(lines).toContain('z real[4] Normal (guide q: Normal)');
    expect(lines).toContain('x real[6] observed ~ Normal');
    expect(lines).toContain(`q (default) samples z ${guide} parameters`);
    expect(lines).toContain(`decoder model 4 -> 6 ${model} parameters`);
    expect(lines).toContain(`encoder guide q 6 -> 4 ${mlpParameters(6, 4)} parameters`);
    expect(lines).toContain('guide_log_scale guide q real[4] 4 parameters');
    expect(lines).toContain(`model ${model}`);
    expect(lines).toContain(`guide ${guide}`);
    expect(lines).toContain(`total ${model + guide}`);
  });

  it('summarizes models/tdvae.ppl with parameter counts from its layer sizes', async () => {
    const r = await run('check', TDVAE);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').map((l) => l.trim().replace(/\s+/g, ' '));
    const [X, Z1, Z2, H] = [400, 450, 20, 512];
    const model = mlpParameters(Z2, H, 2 * Z1) + mlpParameters(Z1, X);
    const topdown = mlpParameters(X, H, H) + mlpParameters(H, H, 2 * Z2) + mlpParameters(Z2, H, H) + mlpParameters(2 * H, H, 2 * Z1);
    const bottomup = mlpParameters(X, H, 2 * Z1) + mlpParameters(Z1, H, 2 * Z2);
    expect(lines).toContain('z2 real[20] Normal (guide topdown: Normal, guide bottomup: Normal)');
    expect(lines).toContain('z1 real[450] Laplace (guide topdown: Laplace, guide bottomup: Laplace)');
    expect(lines).toContain('x real[400] observed ~ Normal');
    expect(lines).toContain(`topdown (default) samples z2, z1 ${count(topdown)} parameters`);
    expect(lines).toContain(`bottomup samples z1, z2 ${count(bottomup)} parameters`);
    expect(lines).toContain(`prior_z1 model 20 -> 512 -> 900 softplus ${count(mlpParameters(Z2, H, 2 * Z1))} parameters`);
    expect(lines).toContain(`head_z1 guide topdown 1024 -> 512 -> 900 softplus ${count(mlpParameters(2 * H, H, 2 * Z1))} parameters`);
    expect(lines).toContain(`model ${count(model)}`);
    expect(lines).toContain(`guide ${count(topdown + bottomup)} (topdown ${count(topdown)}, bottomup ${count(bottomup)})`);
    expect(lines).toContain(`total ${count(model + topdown + bottomup)}`);
  });

  it('prints the IR as JSON with --print-ir', async () => {
    const r = await run('check', '--print-ir', LINEAR_GAUSSIAN);
    expect(r.code).toBe(0);
    const ir = JSON.parse(r.stdout) as { latents: { name: string }[]; defaultGuide: string };
    expect(ir.latents.map((l) => l.name)).toEqual(['z']);
    expect(ir.defaultGuide).toBe('q');
  });

  it('exits 0 with warnings, printing them on stderr and the summary on stdout', async () => {
    const path = tempFile('warn.ppl', linearGaussian.replace('X = 6\n', 'X = 6\nY = 3\n'));
    const r = await run('check', path);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('warning PPL2016');
    expect(r.stdout).toContain(`${path}: ok (1 warning)`);
  });

  it('exits 1 on a model with errors, rendering the diagnostics on stderr', async () => {
    const path = tempFile('bad.ppl', linearGaussian.replace('decoder(z)', 'decoder(z1)'));
    const r = await run('check', LINEAR_GAUSSIAN, path);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${path}:13:22: error PPL2001: undefined name 'z1'`);
    expect(r.stderr).toContain("hint: did you mean 'z'?");
    expect(r.stdout).toContain(`${LINEAR_GAUSSIAN}: ok`); // the good file is still summarized
    expect(r.stdout).not.toContain(`${path}: ok`);
  });

  it('exits 1 with a one-line message, and no stack, for a missing file', async () => {
    const r = await run('check', 'no/such/file.ppl');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("strata: cannot read 'no/such/file.ppl': no such file or directory\n");
  });

  it('prints the stack trace with --verbose', async () => {
    const r = await run('--verbose', 'check', 'no/such/file.ppl');
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe("strata: cannot read 'no/such/file.ppl': no such file or directory");
    expect(r.stderr).toMatch(/\n\s+at /);
  });
});

describe('usage', () => {
  it.each([
    [[], 'Usage: strata'],
    [['check'], "missing required argument 'files'"],
    [['frobnicate'], "unknown command 'frobnicate'"],
    [['check', '--bogus', 'x.ppl'], "unknown option '--bogus'"],
    [['fmt', '--write', '--check', 'x.ppl'], 'cannot be used with'],
  ])('strata %j exits 2 and says why once', async (argv, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split(message).length - 1).toBe(1);
  });

  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = await run('--version');
    expect(r).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('--help lists the commands', async () => {
    const r = await run('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\s+check .*<files\.\.\.>/m);
    expect(r.stdout).toMatch(/^\s+fmt .*<files\.\.\.>/m);
  });
});

describe('reportError', () => {
  function report(error: unknown, verbose = false): string {
    let stderr = '';
    reportError({ stdout: () => undefined, stderr: (s) => void (stderr += s) }, error, verbose);
    return stderr;
  }

  it('marks an unexpected error as internal, on one line', () => {
    expect(report(new TypeError('x is undefined\n  somewhere'))).toBe(
      'strata: internal error: x is undefined somewhere (run with --verbose for the stack trace)\n',
    );
  });

  it('prints the rendered diagnostics of a model with errors (StrataError)', () => {
    const source = linearGaussian.replace('decoder(z)', 'decoder(z1)');
    const out = report(new StrataError(checkSource(source).diagnostics, 'bad.ppl', source));
    expect(out).toContain('bad.ppl:13:22: error PPL2001');
    expect(out).not.toContain('internal error');
  });
});

describe('strata fmt', () => {
  // The same model, badly laid out: odd indentation and spacing, runs of blank lines.
  const messy = linearGaussian
    .replace(/^ {2}/gm, '      ')
    .replace('z: real[Z] ~ Normal(0, 1)', 'z :real[ Z ]~Normal( 0,1 )')
    .replace('\nmodel {', '\n\n\n\nmodel   {');

  it('--check exits 0 on every model in models/', async () => {
    const r = await run('fmt', '--check', ...MODELS);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('prints the canonical formatting on stdout', async () => {
    const path = tempFile('messy.ppl', messy);
    const r = await run('fmt', path);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(linearGaussian);
    expect(readFileSync(path, 'utf8')).toBe(messy);
  });

  it('--check exits 1 on a badly formatted file and leaves it alone', async () => {
    const path = tempFile('messy.ppl', messy);
    const r = await run('fmt', '--check', path);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${path}: not formatted`);
    expect(readFileSync(path, 'utf8')).toBe(messy);
  });

  it('--write rewrites a badly formatted file, keeping its mode and leaving no temp file', async () => {
    const path = tempFile('messy.ppl', messy);
    const mode = statSync(path).mode;
    const r = await run('fmt', '--write', path);
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(path, 'utf8')).toBe(linearGaussian);
    expect(statSync(path).mode).toBe(mode);
    expect(readdirSync(join(path, '..'))).toEqual(['messy.ppl']);
    expect((await run('fmt', '--check', path)).code).toBe(0);
  });

  it('--write through a symbolic link rewrites the target and keeps the link', async () => {
    const target = tempFile('messy.ppl', messy);
    const link = join(target, '..', 'link.ppl');
    symlinkSync(target, link);
    expect((await run('fmt', '--write', link)).code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe(linearGaussian);
  });

  it('exits 1 on a syntax error, printing diagnostics and not touching the file', async () => {
    const broken = messy.replace('Normal( 0,1 )', 'Normal( 0,1 ');
    const path = tempFile('broken.ppl', broken);
    const r = await run('fmt', '--write', path);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/broken\.ppl:\d+:\d+: error PPL1\d{3}/);
    expect(readFileSync(path, 'utf8')).toBe(broken);
  });
});

describe('bin/strata.js', () => {
  const built = existsSync(join(ROOT, 'dist', 'cli', 'main.js'));

  it.skipIf(!built)('runs the built CLI as a child process', async () => {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['bin/strata.js', 'check', 'models/linear-gaussian.ppl'], { cwd: ROOT });
    expect(stderr).toBe('');
    expect(stdout).toContain('models/linear-gaussian.ppl: ok');
    expect(stdout).toMatch(/total\s+62\n/);
  });

  it.skipIf(!built)('exits with the code main returns', async () => {
    const failure = await promisify(execFile)(process.execPath, ['bin/strata.js', 'frobnicate'], { cwd: ROOT }).catch((e: { code: number }) => e);
    expect((failure as { code: number }).code).toBe(2);
  });
});
