/**
 * Atomic file replacement: write a temporary file in the same directory (same
 * file system), flush it, give it the original's mode, rename it over the
 * original, then flush the directory so the rename is durable. Readers see
 * the old contents or the new, never a part; on failure the original is
 * untouched. A symbolic link is followed: the link stays, its target changes.
 */
import { randomBytes } from 'node:crypto';
import { open, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UserError } from './user-error.js';

/**
 * Replaces `path` with `data` (text as UTF-8, or bytes) atomically.
 * @throws UserError naming the file when any step fails
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const target = await realpath(path).catch(() => path);
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const mode = await stat(target).then((s) => s.mode & 0o7777, () => 0o644);
    const handle = await open(temp, 'wx', mode);
    try {
      await handle.writeFile(data);
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (cause) {
    await unlink(temp).catch(() => undefined);
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new UserError(`cannot write '${path}': ${reason}`, { cause });
  }
  await syncDirectory(dirname(target));
}

/**
 * Flushes a directory's entries (the renames in it) to disk. Best effort:
 * some platforms (Windows) cannot open a directory for fsync.
 */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined);
  if (handle === undefined) return;
  try {
    await handle.sync();
  } catch {
    // EISDIR / EPERM / EINVAL on platforms without directory fsync.
  } finally {
    await handle.close();
  }
}
