/**
 * What the numbers were measured on: CPU, cores, memory, Node and tfjs
 * versions, the commit, and the load average (a benchmark on a shared
 * machine is only as good as its load).
 */
import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly platform: string;
  readonly node: string;
  readonly tfjs: string;
  /** `git rev-parse --short HEAD` plus '+dirty' with uncommitted changes; undefined outside git. */
  readonly commit?: string;
  /** 1-minute load average when the run started. */
  readonly loadAverageStart: number;
}

/** The `model name` line of /proc/cpuinfo, or os.cpus()'s model where there is none (macOS, Windows). */
export function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    if (line !== undefined) return line.slice(line.indexOf(':') + 1).trim();
  } catch {
    // Not Linux: fall through.
  }
  return os.cpus()[0]?.model.trim() ?? 'unknown';
}

function gitCommit(cwd: string): string | undefined {
  try {
    const run = (args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const commit = run(['rev-parse', '--short', 'HEAD']);
    return run(['status', '--porcelain', '--untracked-files=no']) === '' ? commit : `${commit}+dirty`;
  } catch {
    return undefined;
  }
}

/** Describes this machine; `root` is the repository, for the commit. */
export function machineInfo(root: string): MachineInfo {
  return {
    cpu: cpuModel(),
    cores: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.platform()} ${os.arch()} ${os.release()}`,
    node: process.version,
    tfjs: tf.version.tfjs,
    commit: gitCommit(root),
    loadAverageStart: os.loadavg()[0]!,
  };
}
