/**
 * Kernel call counts for the native backend: how often each tfjs kernel ran
 * natively and how often it fell back to the JavaScript cpu kernel (because
 * the native backend lacks it, or for inputs it does not handle natively,
 * e.g. int32). With STRATA_NATIVE_STATS=1 the kernels are also timed and the
 * table is printed to stderr when the process exits, so a slow run shows
 * which kernels to port next.
 */

export interface KernelCount {
  native: number;
  fallback: number;
  /** Milliseconds spent in the kernel (measured only with STRATA_NATIVE_STATS=1). */
  ms?: number;
}

/** True when STRATA_NATIVE_STATS asks for the exit report (and kernel timing). */
export function statsRequested(): boolean {
  return /^(1|true|yes)$/i.test(process.env['STRATA_NATIVE_STATS'] ?? '');
}

const counts = new Map<string, KernelCount>();
let exitHookInstalled = false;

/** The live counter of one kernel (kept by the kernel wrapper, so counting is one increment). */
export function kernelCounter(kernelName: string): KernelCount {
  let count = counts.get(kernelName);
  if (count === undefined) counts.set(kernelName, (count = { native: 0, fallback: 0 }));
  return count;
}

/** A snapshot of the counts of kernels that ran, by kernel name. */
export function nativeKernelStats(): Record<string, KernelCount> {
  const out: Record<string, KernelCount> = {};
  for (const [name, count] of counts) {
    if (count.native + count.fallback > 0) out[name] = { ...count };
  }
  return out;
}

/** Sets every count to zero. */
export function resetNativeKernelStats(): void {
  for (const count of counts.values()) {
    count.native = 0;
    count.fallback = 0;
    if (count.ms !== undefined) count.ms = 0;
  }
}

/**
 * The counts as a table, kernels with fallbacks first, then by calls.
 * @example
 * kernel            native  fallback
 * Multiply           12000         0
 * Pack                   0       200   <- fallback
 */
export function formatNativeKernelStats(stats: Record<string, KernelCount> = nativeKernelStats()): string {
  const rows = Object.entries(stats).sort(
    ([, a], [, b]) => Number(b.fallback > 0) - Number(a.fallback > 0) || b.native + b.fallback - (a.native + a.fallback),
  );
  const total: KernelCount = rows.reduce((t, [, c]) => ({ native: t.native + c.native, fallback: t.fallback + c.fallback }), { native: 0, fallback: 0 });
  const timed = rows.some(([, c]) => c.ms !== undefined);
  const width = Math.max(6, ...rows.map(([name]) => name.length));
  const time = (c: KernelCount) => (timed ? `  ${(c.ms ?? 0).toFixed(1).padStart(10)}` : '');
  const line = (name: string, c: KernelCount, note = '') =>
    `${name.padEnd(width)}  ${String(c.native).padStart(9)}  ${String(c.fallback).padStart(9)}${time(c)}${note}`;
  if (timed) total.ms = rows.reduce((t, [, c]) => t + (c.ms ?? 0), 0);
  return [
    `${'kernel'.padEnd(width)}  ${'native'.padStart(9)}  ${'fallback'.padStart(9)}${timed ? '        ms' : ''}`,
    ...rows.map(([name, c]) => line(name, c, c.fallback > 0 ? '   <- fallback to the JavaScript cpu kernel' : '')),
    line('total', total),
  ].join('\n');
}

/** With STRATA_NATIVE_STATS=1, prints the table to stderr at exit (installed once). */
export function installStatsReport(): void {
  if (exitHookInstalled || !statsRequested()) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    process.stderr.write(`strata native backend: kernel calls (STRATA_NATIVE_STATS)\n${formatNativeKernelStats()}\n`);
  });
}
