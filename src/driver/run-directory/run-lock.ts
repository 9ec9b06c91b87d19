/**
 * One writer per run directory: `train.lock`, created atomically and
 * exclusively (`open(O_CREAT | O_EXCL)`, as git's `index.lock`), holding the
 * writer's pid, host, start time and a random token. A second writer finds
 * the file and is refused with the holder's pid; a lock whose process is gone
 * (killed with -9, power loss) is stale and is taken over with a warning.
 *
 * Liveness: on the same host, `kill(pid, 0)` (ESRCH: gone; EPERM: alive,
 * another user's); a lock with this process's own pid is live only while this
 * process holds its token (a copied run directory carries a lock it does not
 * hold). On another host the pid cannot be checked, so the lock is honoured
 * and the message says how to remove it. A lock file that cannot be parsed
 * was torn by a kill between create and write: live for its first
 * {@link TORN_LOCK_GRACE_MS} ms (its writer may be writing it), stale after.
 *
 * Taking over renames the stale file to a unique name first (only one of
 * several racing processes can rename it) and checks that what it renamed is
 * the stale lock it judged; if it was a fresh lock of a faster racer, it is
 * linked back and the race is lost, not won twice.
 */
import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { link, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { errorMessage, UserError } from '../../util/user-error.js';

export const LOCK_FILE = 'train.lock';
/** How long an unparseable (torn) lock file counts as being written. */
export const TORN_LOCK_GRACE_MS = 10_000;

/** What a lock file records about its writer. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  /** ISO 8601 time the lock was taken. */
  readonly started: string;
  readonly token: string;
  /** The command line of the writer, for the refusal message. */
  readonly command: string;
}

/** A held lock; `release` removes the file if it is still this holder's. */
export interface RunLock {
  readonly path: string;
  readonly holder: LockHolder;
  /** The directory holding the lock was renamed to `dir`: the lock file is there now. */
  movedTo(dir: string): void;
  release(): Promise<void>;
}

/** Tokens of the locks this process holds. */
const heldTokens = new Set<string>();

/** Whether a process with this pid runs on this host. */
export function processIsAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

type Found = { kind: 'gone' } | { kind: 'holder'; holder: LockHolder; text: string } | { kind: 'torn'; ageMs: number; text: string };

async function readLock(path: string): Promise<Found> {
  const [text, info] = await Promise.all([readFile(path, 'utf8').catch(() => undefined), stat(path).catch(() => undefined)]);
  if (text === undefined || info === undefined) return { kind: 'gone' };
  try {
    const json = JSON.parse(text) as Partial<LockHolder>;
    if (typeof json.pid === 'number' && typeof json.host === 'string' && typeof json.started === 'string' && typeof json.token === 'string') {
      return { kind: 'holder', holder: { command: '', ...json } as LockHolder, text };
    }
  } catch {
    // torn: handled below
  }
  return { kind: 'torn', ageMs: Date.now() - info.mtimeMs, text };
}

/** Whether the lock's writer may still be running. */
function isLive(found: Found): boolean {
  if (found.kind === 'gone') return false;
  if (found.kind === 'torn') return found.ageMs < TORN_LOCK_GRACE_MS;
  const { holder } = found;
  if (holder.host !== hostname()) return true;
  if (holder.pid === process.pid) return heldTokens.has(holder.token);
  return processIsAlive(holder.pid);
}

/** "process 123 on host h (since T: strata train ...)" */
export function describeHolder(found: Found, path: string): string {
  if (found.kind !== 'holder') return `another process (its lock ${path} is being written)`;
  const { holder } = found;
  return `process ${holder.pid} on ${holder.host} (since ${holder.started}${holder.command ? `: ${holder.command}` : ''})`;
}

/** Moves a stale lock out of the way; false when a racer's fresh lock was there instead. */
async function takeOver(path: string, stale: Found & { text: string }): Promise<boolean> {
  const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await rename(path, aside);
  } catch {
    return false; // gone already: someone else took it over
  }
  const moved = await readFile(aside, 'utf8').catch(() => undefined);
  if (moved !== stale.text) {
    await link(aside, path).catch(() => undefined);
    await unlink(aside).catch(() => undefined);
    return false;
  }
  await unlink(aside).catch(() => undefined);
  return true;
}

/**
 * The refusal for a directory another live process writes in, without taking
 * its lock (for checks made before the data is loaded); undefined when free.
 */
export async function lockRefusal(dir: string): Promise<UserError | undefined> {
  const path = join(dir, LOCK_FILE);
  const found = await readLock(path);
  return isLive(found) ? heldRefusal(dir, path, found) : undefined;
}

function heldRefusal(dir: string, path: string, found: Found): UserError {
  const remote = found.kind === 'holder' && found.holder.host !== hostname();
  return new UserError(
    `run directory '${dir}' is being written by ${describeHolder(found, path)}; ` +
      (remote ? `if that process is gone, delete ${path}; ` : 'wait for it to finish or stop it; ') +
      'or train into another --out',
  );
}

export interface LockOptions {
  /** Told when a stale lock is taken over. */
  readonly warn?: (message: string) => void;
}

/**
 * Takes the lock of run directory `dir` (which must exist).
 *
 * @throws UserError naming the holder's pid when another live process holds it, or when the file cannot be created
 * @example const lock = await acquireRunLock('runs/td'); try { ... } finally { await lock.release(); }
 */
export async function acquireRunLock(dir: string, options: LockOptions = {}): Promise<RunLock> {
  const path = join(dir, LOCK_FILE);
  const holder: LockHolder = {
    pid: process.pid,
    host: hostname(),
    started: new Date().toISOString(),
    token: randomBytes(8).toString('hex'),
    command: ['strata', ...process.argv.slice(2)].join(' ').slice(0, 300),
  };
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await writeFile(path, `${JSON.stringify(holder)}\n`, { flag: 'wx' });
      return holdLock(path, holder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new UserError(`cannot lock run directory '${dir}': ${errorMessage(error)}`, { cause: error });
      }
    }
    const found = await readLock(path);
    if (found.kind === 'gone') continue;
    if (isLive(found)) throw heldRefusal(dir, path, found);
    if (await takeOver(path, found)) {
      options.warn?.(`warning: took over the stale lock of ${describeHolder(found, path)} in '${dir}': that process is gone\n`);
    }
  }
  throw new UserError(`cannot lock run directory '${dir}': other processes keep taking ${path}`);
}

function holdLock(lockPath: string, holder: LockHolder): RunLock {
  let path = lockPath;
  heldTokens.add(holder.token);
  // A process.exit() (a second Ctrl-C) skips finally blocks; remove the lock on the way out.
  const onExit = () => {
    if (!heldTokens.has(holder.token)) return;
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  };
  process.on('exit', onExit);
  return {
    get path() {
      return path;
    },
    holder,
    movedTo(dir: string) {
      path = join(dir, LOCK_FILE);
    },
    async release() {
      if (!heldTokens.delete(holder.token)) return;
      process.off('exit', onExit);
      const found = await readLock(path);
      if (found.kind === 'holder' && found.holder.token === holder.token) await unlink(path).catch(() => undefined);
    },
  };
}
