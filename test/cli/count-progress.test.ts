/**
 * `createCountProgress` (strata eval's `evaluated i/n`): rewritten in place on
 * a terminal; on a log file or pipe, plain lines, at most one per tenth.
 */
import { describe, expect, it } from 'vitest';
import { createCountProgress } from '../../src/cli/count-progress.js';
import type { Io } from '../../src/cli/io.js';

function capture(): { io: Io; stderr: () => string } {
  let stderr = '';
  return { io: { stdout: () => {}, stderr: (s) => void (stderr += s) }, stderr: () => stderr };
}

describe('createCountProgress', () => {
  it('writes at most 10 plain lines and no carriage return when stderr is not a TTY', () => {
    const { io, stderr } = capture();
    const progress = createCountProgress(io, 'evaluated', false);
    for (let done = 1; done <= 1000; done++) progress.update(done, 1000);
    progress.stop();
    const lines = stderr().split('\n').slice(0, -1);
    expect(stderr()).not.toContain('\r');
    expect(lines).toEqual(Array.from({ length: 10 }, (_, i) => `evaluated ${(i + 1) * 100}/1000`));
  });

  it('writes one line per update when there are fewer than 10, the last one the total', () => {
    const { io, stderr } = capture();
    const progress = createCountProgress(io, 'evaluated', false);
    for (const done of [100, 200, 250]) progress.update(done, 250);
    progress.stop();
    expect(stderr()).toBe('evaluated 100/250\nevaluated 200/250\nevaluated 250/250\n');
  });

  it('rewrites one line in place on a terminal and ends it on stop', () => {
    const { io, stderr } = capture();
    const progress = createCountProgress(io, 'evaluated', true);
    progress.update(100, 200);
    progress.update(200, 200);
    progress.stop();
    expect(stderr()).toBe('\revaluated 100/200\revaluated 200/200\n');
  });

  it('writes nothing when nothing was counted', () => {
    const { io, stderr } = capture();
    createCountProgress(io, 'evaluated', true).stop();
    createCountProgress(io, 'evaluated', false).stop();
    expect(stderr()).toBe('');
  });
});
