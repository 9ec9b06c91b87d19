/**
 * Runs one column of the benchmark in a child process that writes its
 * BackendRun as JSON to a file; its stderr (progress) is passed through, and
 * a failed process becomes a BackendFailure with its last line of stderr.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { BackendFailure } from './results.js';
import type { BackendRun } from './worker.js';

export function runJsonChild(
  name: string,
  command: string,
  args: readonly string[],
  resultFile: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<BackendRun | BackendFailure> {
  const child = spawn(command, [...args], { stdio: ['ignore', 'inherit', 'pipe'], env });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    process.stderr.write(chunk);
  });
  return new Promise((resolve) => {
    child.on('error', (error) => resolve({ backend: name, error: error.message }));
    child.on('close', (code, signal) => {
      if (code === 0) {
        try {
          resolve(JSON.parse(readFileSync(resultFile, 'utf8')) as BackendRun);
        } catch (error) {
          resolve({ backend: name, error: `exited 0 but its results are unreadable: ${error instanceof Error ? error.message : String(error)}` });
        }
        return;
      }
      const last = stderr.trim().split('\n').pop() ?? '';
      resolve({ backend: name, error: signal !== null ? `killed by ${signal}` : `exit code ${code}: ${last}` });
    });
  });
}
