#!/usr/bin/env node
// Builds the optional native backend addon (native/ -> native/build/Release/
// strata_native.node) with the node-gyp that npm bundles. Run by `npm install`
// / `npm ci` as the package's install script.
//
// It never fails the install: whatever happens it exits 0 and prints one
// line, either that the native backend was built or why native speed is
// unavailable (Strata then uses wasm, or cpu). The full compiler output goes
// to native/build/build-native.log.
//
// Environment:
//   STRATA_SKIP_NATIVE=1     do not build (the addon is then unavailable)
//   STRATA_REBUILD_NATIVE=1  rebuild even if an up-to-date addon exists
//   STRATA_OPENBLAS_LIB=name link -l<name> instead of -lopenblas
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = path.join(root, 'native');
const buildDir = path.join(nativeDir, 'build');
const addonPath = path.join(buildDir, 'Release', 'strata_native.node');
const logPath = path.join(buildDir, 'build-native.log');
const BUILD_TIMEOUT_MS = 10 * 60 * 1000;

const flag = (name) => /^(1|true|yes)$/i.test(process.env[name] ?? '');
const relative = (p) => path.relative(process.cwd(), p) || p;

function unavailable(reason) {
  console.log(`strata: native CPU speed unavailable (${reason}); Strata will fall back to the wasm backend. See docs/performance.md.`);
  process.exit(0);
}

/** The node-gyp CLI script that ships with npm, or one installed beside this package. */
function findNodeGyp() {
  const candidates = [];
  if (process.env.npm_config_node_gyp) candidates.push(process.env.npm_config_node_gyp);
  if (process.env.npm_execpath) candidates.push(path.join(path.dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  const prefix = path.dirname(path.dirname(process.execPath));
  candidates.push(path.join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  candidates.push(path.join(prefix, 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  try {
    candidates.push(createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not installed locally
  }
  return candidates.find((c) => fs.existsSync(c) && c.endsWith('.js'));
}

/** node-gyp arguments that make it use installed headers instead of downloading them. */
function headerArgs() {
  if (process.env.npm_config_nodedir) return []; // npm passes nodedir through the environment
  const prefix = path.dirname(path.dirname(process.execPath));
  return fs.existsSync(path.join(prefix, 'include', 'node', 'node_api.h')) ? [`--nodedir=${prefix}`] : [];
}

/** True when the addon exists and is newer than every source file. */
function upToDate() {
  if (!fs.existsSync(addonPath)) return false;
  const built = fs.statSync(addonPath).mtimeMs;
  const sources = [path.join(nativeDir, 'binding.gyp'), ...fs.readdirSync(path.join(nativeDir, 'src')).map((f) => path.join(nativeDir, 'src', f))];
  return sources.every((s) => fs.statSync(s).mtimeMs < built);
}

/** Loads the addon in a child process and runs a 2x2 sgemm; returns an error line or undefined. */
function checkLoads() {
  const probe = `
    const a = require(${JSON.stringify(addonPath)});
    const c = new Float32Array(4);
    a.gemm(Float32Array.of(1, 2, 3, 4), Float32Array.of(1, 0, 0, 1), c, 1, 2, 2, 2, 0, 0, 0, 0);
    if (c.join() !== '1,2,3,4') throw new Error('sgemm self-test gave ' + c.join());
    process.stdout.write(a.info().variant.replace('variant_', '') + ' kernels, ' + a.info().blasConfig.split(' ').slice(0, 2).join(' '));`;
  const run = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8', timeout: 60_000 });
  if (run.status === 0) return { ok: true, summary: run.stdout.trim() };
  const line = (run.stderr || run.error?.message || 'unknown error').split('\n').find((l) => /Error|error:/.test(l)) ?? 'unknown error';
  return { ok: false, reason: line.trim() };
}

/** One-line reason from the build log. */
function diagnose(log) {
  if (/cblas\.h: No such file/.test(log)) return 'OpenBLAS headers (cblas.h) not found: install libopenblas-dev or your system\'s OpenBLAS development package';
  if (/cannot find -l\S+|library not found for -l\S+/.test(log)) return `the BLAS library was not found by the linker (${log.match(/cannot find -l[^\s:]+|library not found for -l[^\s:]+/)[0]}): install libopenblas-dev`;
  if (/(g\+\+|c\+\+|cc|make): (command )?not found|spawn (make|g\+\+|c\+\+) ENOENT|No such file or directory: '[^']*(g\+\+|c\+\+|clang\+\+|cc)'/.test(log)) return 'no C++ compiler or make found: install build-essential (or your platform\'s compiler tools)';
  if (/gyp ERR! find Python|Could not find any Python/i.test(log)) return 'node-gyp needs Python 3, which was not found';
  if (/gyp ERR! stack Error: .*(download|ENOTFOUND|EAI_AGAIN|ECONNREFUSED)/.test(log)) return 'Node.js headers could not be downloaded (offline?): set npm config nodedir to a Node source or install tree';
  return `the build failed; see ${relative(logPath)}`;
}

function main() {
  if (flag('STRATA_SKIP_NATIVE')) unavailable('STRATA_SKIP_NATIVE is set, so the addon was not built');
  if (process.platform === 'win32') unavailable('the native addon is built on Linux and macOS only');
  if (!flag('STRATA_REBUILD_NATIVE') && !process.env.STRATA_OPENBLAS_LIB && upToDate()) {
    const check = checkLoads();
    if (check.ok) {
      console.log(`strata: native backend already built (${check.summary}).`);
      return;
    }
  }
  const nodeGyp = findNodeGyp();
  if (nodeGyp === undefined) unavailable('node-gyp was not found (it ships with npm)');
  const lib = process.env.STRATA_OPENBLAS_LIB;
  const args = [nodeGyp, 'rebuild', `--jobs=${Math.max(1, os.availableParallelism())}`, ...headerArgs()];
  if (lib) args.push('--', `-Dopenblas_lib=${lib}`);
  const build = spawnSync(process.execPath, args, { cwd: nativeDir, encoding: 'utf8', timeout: BUILD_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
  const log = `$ node ${args.join(' ')}\n${build.stdout ?? ''}${build.stderr ?? ''}${build.error ? `\n${build.error.message}\n` : ''}`;
  fs.mkdirSync(buildDir, { recursive: true });
  fs.writeFileSync(logPath, log);
  if (build.error?.code === 'ETIMEDOUT') unavailable(`the build took longer than ${BUILD_TIMEOUT_MS / 60000} minutes; see ${relative(logPath)}`);
  if (build.status !== 0 || !fs.existsSync(addonPath)) {
    fs.rmSync(addonPath, { force: true });
    unavailable(diagnose(log));
  }
  const check = checkLoads();
  if (!check.ok) {
    fs.rmSync(addonPath, { force: true });
    unavailable(`the addon built but does not load: ${check.reason}`);
  }
  console.log(`strata: built the native backend (${check.summary}).`);
}

try {
  main();
} catch (error) {
  unavailable(`unexpected error in scripts/build-native.mjs: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
}
