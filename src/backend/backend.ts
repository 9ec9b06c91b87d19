/**
 * Choosing the tfjs backend: the native TensorFlow bindings when installed
 * (GPU first), else Strata's own OpenBLAS addon ('native', built at install
 * where a compiler and OpenBLAS exist), else WebAssembly (SIMD, loaded
 * offline from the package's own .wasm files), else plain JavaScript.
 *
 * `@tensorflow/tfjs-node(-gpu)` are optionalDependencies and the native addon
 * is optional too: where one is missing the next candidate is tried, and
 * `describeBackendChoice()` says which was chosen and why the others were not.
 */
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { suggestName } from '../util/suggest.js';
import { UserError } from '../util/user-error.js';
import { registerFastGradients } from './fast-gradients.js';
import { registerWasmConvFilterKernel } from './wasm-conv-filter.js';
import { registerNativeGradients } from './native/native-gradients.js';
import { NATIVE_BACKEND_NAME, registerNativeBackend } from './native/register-native.js';

/** Names accepted by `selectBackend(preferred)` and `STRATA_BACKEND`. */
export type BackendChoice = 'node-gpu' | 'node' | 'native' | 'wasm' | 'cpu';

/** Candidates in the order the automatic choice tries them. */
export const BACKEND_CHOICES: readonly BackendChoice[] = ['node-gpu', 'node', 'native', 'wasm', 'cpu'];

/** The tfjs backend name each choice registers. */
const TFJS_NAME: Readonly<Record<BackendChoice, string>> = {
  'node-gpu': 'tensorflow',
  node: 'tensorflow',
  native: NATIVE_BACKEND_NAME,
  wasm: 'wasm',
  cpu: 'cpu',
};

/** The package each choice imports (cpu ships inside @tensorflow/tfjs; native is this package's addon). */
const PACKAGE: Readonly<Record<BackendChoice, string | undefined>> = {
  'node-gpu': '@tensorflow/tfjs-node-gpu',
  node: '@tensorflow/tfjs-node',
  native: undefined,
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: undefined,
};

/** What an explicit choice that cannot load should tell the user to do. */
const REMEDY: Readonly<Partial<Record<BackendChoice, string>>> = {
  'node-gpu': 'install @tensorflow/tfjs-node-gpu',
  node: 'install @tensorflow/tfjs-node',
  native: 'install OpenBLAS (e.g. apt-get install libopenblas-dev) and a C++ compiler, then run npm rebuild strata-ppl (see docs/performance.md)',
};

/** The last automatic choice: what was chosen and why earlier candidates were skipped. */
let lastChoice: { readonly choice: BackendChoice; readonly skipped: readonly { choice: BackendChoice; reason: string }[] } | undefined;

/** One import per choice, kept (failures too) so repeated calls are cheap. */
const registrations = new Map<BackendChoice, Promise<void>>();

/**
 * The folder holding tfjs-backend-wasm's .wasm binaries, with a trailing
 * separator, as `setWasmPaths` expects for a prefix.
 *
 * @returns e.g. `/app/node_modules/@tensorflow/tfjs-backend-wasm/dist/`
 */
export function wasmBinaryDirectory(): string {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep;
}

async function importWasm(): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // A file-system prefix: the Node build of the emscripten loader reads it
  // with fs, so nothing is fetched over the network.
  wasm.setWasmPaths(wasmBinaryDirectory());
  registerWasmConvFilterKernel(); // wasm has no Conv2DBackpropFilter: without it conv layers cannot train there
  // tfjs reports no thread support under Node (tfjs issue #3830: the
  // threaded build needs Blob-URL workers), so there the single-threaded
  // SIMD binary loads and the count is moot; where threads exist, leave a core.
  if (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) {
    wasm.setThreadsCount(Math.max(1, os.availableParallelism() - 1));
  }
}

async function importPackage(specifier: string): Promise<void> {
  // A variable specifier: TypeScript must not require the optional package.
  await import(specifier);
}

function register(choice: BackendChoice): Promise<void> {
  let pending = registrations.get(choice);
  if (pending === undefined) {
    pending = (async () => {
      const pkg = PACKAGE[choice];
      if (choice === 'wasm') await importWasm();
      else if (choice === 'native') registerNativeBackend();
      else if (pkg !== undefined) await importPackage(pkg);
      if (tf.findBackendFactory(TFJS_NAME[choice]) == null) {
        throw new Error(`${pkg ?? 'tfjs'} loaded but registered no '${TFJS_NAME[choice]}' backend with this copy of @tensorflow/tfjs`);
      }
    })();
    registrations.set(choice, pending);
  }
  return pending;
}

async function activate(choice: BackendChoice): Promise<string> {
  const name = TFJS_NAME[choice];
  if (tf.engine().backendName !== name) {
    if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') failed to initialize it`);
  }
  await tf.ready();
  if (choice === 'wasm') registerFastGradients();
  if (choice === 'native') registerNativeGradients();
  return name;
}

async function tryChoice(choice: BackendChoice): Promise<string> {
  await register(choice);
  return activate(choice);
}

function parseChoice(value: string, source: string): BackendChoice {
  if ((BACKEND_CHOICES as readonly string[]).includes(value)) return value as BackendChoice;
  const guess = suggestName(value, BACKEND_CHOICES);
  throw new UserError(
    `Unknown backend '${value}' (from ${source}); expected one of ${BACKEND_CHOICES.join(', ')}` +
      (guess === undefined ? '' : `. Did you mean '${guess}'?`),
  );
}

/** The choices whose package imports and registers here (probes each once). */
export async function availableBackends(): Promise<BackendChoice[]> {
  const loads = await Promise.allSettled(BACKEND_CHOICES.map((c) => register(c)));
  return BACKEND_CHOICES.filter((_, i) => loads[i]!.status === 'fulfilled');
}

/**
 * Picks and activates the tfjs backend, memoized: the first call imports and
 * initializes, later calls only switch if a different backend is asked for.
 *
 * Order of precedence: the `preferred` argument, then the `STRATA_BACKEND`
 * environment variable, then automatic (node-gpu, node, native, wasm, cpu:
 * the first that loads). An explicit choice that cannot load is an error
 * naming the backends that can. Selecting wasm also registers the fast
 * gradients.
 *
 * @param preferred 'node-gpu' | 'node' | 'native' | 'wasm' | 'cpu', or undefined for automatic
 * @returns the active tfjs backend name: 'tensorflow', 'native', 'wasm' or 'cpu'
 * @example const name = await selectBackend(); // 'wasm' without tfjs-node
 */
export async function selectBackend(preferred?: string): Promise<string> {
  const fromEnv = process.env['STRATA_BACKEND'];
  const [requested, source] =
    preferred !== undefined ? [preferred, 'the argument'] : fromEnv ? [fromEnv, 'STRATA_BACKEND'] : [undefined, ''];
  if (requested !== undefined) {
    const choice = parseChoice(requested, source);
    try {
      return await tryChoice(choice);
    } catch (cause) {
      const available = (await availableBackends()).filter((c) => c !== choice);
      const reason = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
      throw new UserError(
        `Backend '${choice}' (from ${source}) cannot be loaded: ${reason}. ` +
          `Available here: ${available.join(', ')}` +
          (REMEDY[choice] !== undefined ? `; to use it, ${REMEDY[choice]}` : ''),
        { cause },
      );
    }
  }
  const skipped: { choice: BackendChoice; reason: string }[] = [];
  for (const choice of BACKEND_CHOICES) {
    try {
      const name = await tryChoice(choice);
      lastChoice = { choice, skipped };
      return name;
    } catch (cause) {
      // Not installed or failed to initialize: note why and try the next one.
      skipped.push({ choice, reason: cause instanceof Error ? cause.message.split('\n')[0]! : String(cause) });
    }
  }
  throw new Error(`No tfjs backend could be initialized (tried ${BACKEND_CHOICES.join(', ')})`);
}

/**
 * One line saying which backend the last automatic choice took and why the
 * ones before it were passed over, e.g. "wasm (native: the native addon is
 * not built ...)"; just the active backend's name after an explicit choice.
 */
export function describeBackendChoice(): string {
  const active = activeBackendName() ?? 'none';
  if (lastChoice === undefined || TFJS_NAME[lastChoice.choice] !== active) return active;
  const shown = lastChoice.skipped.filter((s) => s.choice === 'native' || !/Cannot find (module|package)/.test(s.reason));
  return shown.length === 0 ? lastChoice.choice : `${lastChoice.choice} (${shown.map((s) => `${s.choice}: ${s.reason}`).join('; ')})`;
}

/**
 * The name of the active tfjs backend ('tensorflow', 'native', 'wasm', 'cpu'), or
 * undefined before one is active. Unlike `tf.getBackend()` it never
 * initializes a backend as a side effect.
 */
export function activeBackendName(): string | undefined {
  return tf.engine().backendName ?? undefined;
}
