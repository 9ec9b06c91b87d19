/**
 * What `strata train` may do to a run directory, decided before it writes
 * anything there:
 *
 * - a new run goes into a directory that is absent or empty; one that holds a
 *   run is refused (naming the run and the ways on), or with `force` moved
 *   aside whole to `DIR.old-<UTC time>`, never deleted; one holding files that
 *   are not a run is refused, `force` or not;
 * - a resume takes the directory's lock and removes the temporary files of
 *   saves that were killed;
 * - either way one writer at a time: {@link acquireRunLock}.
 */
import { mkdir, rename, stat } from 'node:fs/promises';
import { UserError } from '../../util/user-error.js';
import { removeStaleTempFiles, runDirectoryContents, type RunDirectoryContents } from './run-contents.js';
import { acquireRunLock, lockRefusal, type RunLock } from './run-lock.js';

export interface ClaimOptions {
  /** Move a run already in the directory aside instead of refusing. */
  readonly force?: boolean;
  /** Told of what was done on the user's behalf: a stale lock taken over, a run moved aside, temporary files removed. */
  readonly notice?: (message: string) => void;
}

const MAX_LISTED = 5;

function refusal(dir: string, contents: RunDirectoryContents, force: boolean): UserError | undefined {
  switch (contents.kind) {
    case 'not-a-directory':
      return new UserError(`train: --out '${dir}' is a file, not a directory; give a directory for the run`);
    case 'foreign': {
      const listed = contents.files.slice(0, MAX_LISTED).join(', ') + (contents.files.length > MAX_LISTED ? `, ... (${contents.files.length} in all)` : '');
      return new UserError(`train: '${dir}' holds files that are not a Strata run (${listed}); nothing was written there; give a new or empty --out`);
    }
    case 'run':
      return force
        ? undefined
        : new UserError(`train: '${dir}' already holds a run (${contents.summary}); continue it with --resume ${dir}, or give a new --out (--force moves this run aside to ${dir}.old-<time>)`);
    default:
      return undefined;
  }
}

/**
 * The refusals a new run into `dir` can get, checked without writing, so
 * that they come before the data is loaded.
 * @throws UserError when another process writes in `dir`, or it is a file, holds files that are not a run, or holds a run and `force` is not given
 */
export async function checkNewRunDirectory(dir: string, options: ClaimOptions = {}): Promise<void> {
  const contents = await runDirectoryContents(dir);
  const refused = (contents.kind === 'absent' || contents.kind === 'not-a-directory' ? undefined : await lockRefusal(dir)) ?? refusal(dir, contents, options.force === true);
  if (refused) throw refused;
}

/** `DIR.old-20261202T215729Z`, with `-2`, `-3`, ... when that exists. */
async function asideName(dir: string): Promise<string> {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  for (let n = 1; ; n++) {
    const name = `${dir}.old-${stamp}${n === 1 ? '' : `-${n}`}`;
    if ((await stat(name).catch(() => undefined)) === undefined) return name;
  }
}

/**
 * Makes `dir` ready for a new run and locks it: created if absent; a run in
 * it moved aside when `force` is given. The checks are repeated under the
 * lock, so a run another process finished meanwhile is not overwritten.
 *
 * @returns the lock; the caller releases it when the run ends
 * @throws UserError as {@link checkNewRunDirectory}, or when another process writes in `dir`
 */
export async function claimNewRunDirectory(dir: string, options: ClaimOptions = {}): Promise<RunLock> {
  const path = dir.replace(/(.)[\\/]+$/, '$1');
  await checkNewRunDirectory(path, options);
  await mkdir(path, { recursive: true });
  const warn = options.notice;
  const lock = await acquireRunLock(path, warn ? { warn } : {});
  try {
    const contents = await runDirectoryContents(path);
    const refused = refusal(path, contents, options.force === true);
    if (refused) throw refused;
    if (contents.kind !== 'run') {
      await removeStaleTempFiles(path);
      return lock;
    }
    const aside = await asideName(path);
    await rename(path, aside).catch((cause: unknown) => {
      throw new UserError(`train: cannot move the run in '${path}' aside to '${aside}': ${(cause as Error).message}`, { cause });
    });
    lock.movedTo(aside);
    options.notice?.(`moved the earlier run in ${path} (${contents.summary}) to ${aside}\n`);
    await mkdir(path, { recursive: true });
    const fresh = await acquireRunLock(path, warn ? { warn } : {});
    await lock.release();
    return fresh;
  } catch (error) {
    await lock.release();
    throw error;
  }
}

/**
 * Locks the run in `dir` for `--resume` and deletes the temporary files its
 * killed saves left.
 * @throws UserError when `dir` does not exist or another process writes in it
 */
export async function claimRunToResume(dir: string, options: ClaimOptions = {}): Promise<RunLock> {
  const contents = await runDirectoryContents(dir);
  if (contents.kind === 'absent' || contents.kind === 'not-a-directory') {
    throw new UserError(`no checkpoint in '${dir}': ${contents.kind === 'absent' ? 'the directory does not exist' : 'it is a file, not a run directory'}`);
  }
  const warn = options.notice;
  const lock = await acquireRunLock(dir, warn ? { warn } : {});
  const removed = await removeStaleTempFiles(dir);
  if (removed.length > 0) options.notice?.(`removed ${removed.length} temporary file${removed.length === 1 ? '' : 's'} of an interrupted save in ${dir}: ${removed.join(', ')}\n`);
  return lock;
}
