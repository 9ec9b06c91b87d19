/**
 * Progress of a long multi-stage job (`strata report`): on a terminal a
 * cli-progress bar per stage with its count and ETA; otherwise one line when a
 * stage starts and one when it ends, with its time (CI logs, pipes).
 */
import cliProgress from 'cli-progress';
import type { Io } from './io.js';

export interface StageProgress {
  /** A stage starts (no count) or advances (`done` of `total`). */
  update(label: string, done?: number, total?: number): void;
  /** Ends the last stage. */
  stop(): void;
}

/** A stage display on `io`; a live bar only when stderr is a TTY. */
export function createStageProgress(io: Io, interactive = process.stderr.isTTY === true): StageProgress {
  let current: string | undefined;
  let started = 0;
  let bar: cliProgress.SingleBar | undefined;
  const finish = () => {
    if (current === undefined) return;
    bar?.stop();
    bar = undefined;
    io.stderr(`${current}: done (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
    current = undefined;
  };
  return {
    update(label, done, total) {
      if (label !== current) {
        finish();
        current = label;
        started = Date.now();
        if (!interactive || total === undefined) io.stderr(`${label} ...\n`);
      }
      if (interactive && total !== undefined) {
        if (!bar) {
          bar = new cliProgress.SingleBar({ format: `${label} |{bar}| {value}/{total} | ETA {eta_formatted}`, hideCursor: true, clearOnComplete: true, stream: process.stderr }, cliProgress.Presets.shades_classic);
          bar.start(total, done ?? 0);
        } else bar.update(done ?? 0);
      }
    },
    stop: finish,
  };
}
