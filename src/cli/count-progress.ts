/**
 * Progress of a count (`strata eval`'s rows): on a terminal one line rewritten
 * in place (`\revaluated 300/1000`); otherwise (a log file, a pipe, CI) a plain
 * line each time another tenth is done, so at most 10 lines and no `\r`.
 */
import type { Io } from './io.js';

export interface CountProgress {
  /** `done` of `total` are finished. */
  update(done: number, total: number): void;
  /** Ends the display (the terminal line gets its newline). */
  stop(): void;
}

/**
 * A count display on `io`, rewritten in place only when stderr is a TTY (as
 * `createProgress` decides).
 * @example const progress = createCountProgress(io, 'evaluated'); progress.update(100, 500); progress.stop();
 */
export function createCountProgress(io: Io, label: string, interactive = process.stderr.isTTY === true): CountProgress {
  let tenthsShown = 0;
  let live = false;
  return {
    update(done, total) {
      if (interactive) {
        io.stderr(`\r${label} ${done}/${total}`);
        live = true;
        return;
      }
      const tenths = total > 0 ? Math.floor((10 * Math.min(done, total)) / total) : 10;
      if (tenths <= tenthsShown) return;
      tenthsShown = tenths;
      io.stderr(`${label} ${done}/${total}\n`);
    },
    stop() {
      if (live) io.stderr('\n');
      live = false;
    },
  };
}
