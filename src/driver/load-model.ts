/**
 * Loading and compiling models: source -> checked IR -> StrataModel on the
 * active backend (chosen once: node-gpu -> node -> native -> wasm -> cpu).
 */
import { selectBackend } from '../backend/backend.js';
import { checkSource } from '../frontend/check.js';
import { readSourceFile } from './load-source.js';
import { StrataError } from './strata-error.js';
import { StrataModel } from './strata-model.js';

export interface LoadOptions {
  /** Guide used by default (the model's `default_guide` or first guide otherwise). */
  readonly guide?: string;
  /** Seed of the parameter initialization (default 0). */
  readonly seed?: number;
  /** 'node-gpu' | 'node' | 'native' | 'wasm' | 'cpu'; automatic (or STRATA_BACKEND) when omitted. */
  readonly backend?: string;
  /** Name used in messages (default '<source>'). */
  readonly fileName?: string;
}

/**
 * Checks and compiles .ppl source text.
 * @throws StrataError carrying the diagnostics when the model has errors
 */
export async function compileModel(source: string, options: LoadOptions = {}): Promise<StrataModel> {
  const fileName = options.fileName ?? '<source>';
  const checked = checkSource(source);
  if (!checked.ir) throw new StrataError(checked.diagnostics, fileName, source);
  await selectBackend(options.backend);
  return new StrataModel(checked.ir, options.guide ?? checked.ir.defaultGuide, options.seed ?? 0, fileName);
}

/** Reads, checks and compiles a .ppl file. */
export async function loadModel(path: string, options: LoadOptions = {}): Promise<StrataModel> {
  const source = await readSourceFile(path);
  return compileModel(source, { ...options, fileName: options.fileName ?? path });
}
