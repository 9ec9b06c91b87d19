/**
 * Training progress: a cli-progress bar on a terminal (loss, bound, ETA), one
 * line per epoch otherwise (CI logs, pipes).
 */
import cliProgress from 'cli-progress';
import type { Io } from './io.js';

export interface Progress {
  startEpoch(epoch: number, totalEpochs: number, steps: number, done: number): void;
  step(done: number, loss: number, bound: number): void;
  endEpoch(line: string): void;
  stop(): void;
}

/** A progress display on `io`; a live bar only when stderr is a TTY. */
export function createProgress(io: Io, interactive = process.stderr.isTTY === true): Progress {
  if (!interactive) {
    return { startEpoch: () => {}, step: () => {}, endEpoch: (line) => io.stderr(`${line}\n`), stop: () => {} };
  }
  const bar = new cliProgress.SingleBar(
    {
      format: 'epoch {epoch} |{bar}| {value}/{total} steps | loss {loss} | bound {bound} | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: true,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  let active = false;
  return {
    startEpoch(epoch, totalEpochs, steps, done) {
      bar.start(steps, done, { epoch: `${epoch}/${totalEpochs}`, loss: '-', bound: '-' });
      active = true;
    },
    step(done, loss, bound) {
      bar.update(done, { loss: loss.toFixed(3), bound: bound.toFixed(3) });
    },
    endEpoch(line) {
      if (active) bar.stop();
      active = false;
      io.stderr(`${line}\n`);
    },
    stop() {
      if (active) bar.stop();
      active = false;
    },
  };
}
