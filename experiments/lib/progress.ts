/**
 * Progress of a reproduction: on a terminal, two cli-progress bars (the
 * configurations done, and the current phase of the current one with its
 * ETA); elsewhere (a log file under nohup, CI) plain lines, one per tenth of
 * a phase, so a log shows where a long run is without carriage returns.
 */
import cliProgress from 'cli-progress';

export interface ReproduceProgress {
  /** A line of its own (above the bars on a terminal). */
  log(line: string): void;
  /** Starts a phase of `total` units (`steps`, `rows`), `done` of them already done (a resume). */
  phase(label: string, total: number, done?: number): void;
  /** Moves the phase to `done` units, with a short status (`bound -95.2`). */
  update(done: number, status?: string): void;
  /** One more configuration finished. */
  configurationDone(): void;
  stop(): void;
}

function seconds(s: number): string {
  return s < 90 ? `${s.toFixed(0)} s` : s < 5400 ? `${(s / 60).toFixed(1)} min` : `${(s / 3600).toFixed(1)} h`;
}

/** Plain lines: the phase at each tenth, with the rate's ETA. */
function lineProgress(write: (line: string) => void): ReproduceProgress {
  let label = '';
  let total = 1;
  let began = 0;
  let first = 0;
  let nextTenth = 1;
  return {
    log: (line) => write(line),
    phase(l, t, done = 0) {
      [label, total, began, first] = [l, Math.max(1, t), performance.now(), done];
      nextTenth = Math.floor((10 * done) / total) + 1;
    },
    update(done, status) {
      if (done < (nextTenth * total) / 10) return;
      nextTenth = Math.floor((10 * done) / total) + 1;
      const elapsed = (performance.now() - began) / 1000;
      const eta = done > first ? (elapsed / (done - first)) * (total - done) : NaN;
      write(`  ${label}: ${done}/${total}${status ? `  ${status}` : ''}  (${seconds(elapsed)}, ETA ${Number.isFinite(eta) ? seconds(eta) : '-'})`);
    },
    configurationDone: () => {},
    stop: () => {},
  };
}

/**
 * @param totalConfigurations how many configurations this invocation goes through
 * @param options.interactive bars (default: when stderr is a terminal)
 */
export function createReproduceProgress(totalConfigurations: number, options: { interactive?: boolean; write?: (line: string) => void } = {}): ReproduceProgress {
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  if (!(options.interactive ?? process.stderr.isTTY === true)) return lineProgress(write);
  const bars = new cliProgress.MultiBar(
    { format: '{label} |{bar}| {value}/{total} {status} | ETA {eta_formatted}', hideCursor: true, clearOnComplete: false, stream: process.stderr, etaBuffer: 200 },
    cliProgress.Presets.shades_classic,
  );
  const overall = bars.create(totalConfigurations, 0, { label: 'configurations', status: '' });
  let current: cliProgress.SingleBar | undefined;
  return {
    log: (line) => bars.log(`${line}\n`),
    phase(label, total, done = 0) {
      if (current) bars.remove(current);
      current = bars.create(total, done, { label, status: '' });
    },
    update: (done, status) => current?.update(done, { status: status ?? '' }),
    configurationDone: () => overall.increment(),
    stop() {
      bars.stop();
    },
  };
}
