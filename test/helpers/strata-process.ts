/** Spawns `strata ARGS` as a real child process (see strata-child.ts) and collects what it prints. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const VITE_NODE = fileURLToPath(new URL('../../node_modules/vite-node/vite-node.mjs', import.meta.url));
const CHILD = fileURLToPath(new URL('./strata-child.ts', import.meta.url));

export interface StrataProcess {
  readonly child: ChildProcess;
  /** Everything printed so far. */
  readonly output: { stdout: string; stderr: string };
  /** Settles when the process ends: its exit code (null when killed) and signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  /** Resolves when stderr has printed a line matching `pattern`; rejects if the process ends first. */
  waitForStderr(pattern: RegExp): Promise<string>;
}

export function spawnStrata(args: readonly string[]): StrataProcess {
  const child = spawn(process.execPath, [VITE_NODE, CHILD, '--', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  let closed = false;
  const waiters: { pattern: RegExp; resolve: (line: string) => void; reject: (e: Error) => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      const line = output.stderr.split('\n').find((l) => w.pattern.test(l));
      if (line !== undefined) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  child.stdout!.on('data', (chunk: Buffer) => void (output.stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => {
    output.stderr += chunk.toString();
    check();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code, signal) => {
      closed = true;
      for (const w of waiters.splice(0)) w.reject(new Error(`strata ${args.join(' ')} ended (code ${code}, signal ${signal}) before printing ${w.pattern}:\n${output.stderr}`));
      resolve({ code, signal, ...output });
    });
  });
  return {
    child,
    output,
    exited,
    waitForStderr: (pattern) =>
      new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve, reject });
        check();
        if (closed && waiters.some((w) => w.pattern === pattern)) reject(new Error(`strata ${args.join(' ')} had ended before printing ${pattern}:\n${output.stderr}`));
      }),
  };
}
