/**
 * Atomic binary writes for checkpoint files: the byte-array counterpart of
 * `writeFileAtomic` in ../format-file.ts (which takes text), plus a directory
 * fsync so a rename is durable before the next file is written.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../../util/user-error.js';

/**
 * Replaces `path` with `bytes` atomically: a temporary file in the same
 * directory, written and fsynced, then renamed over the target and the
 * directory fsynced. Readers see the old file or the new one, never a part.
 *
 * @throws UserError naming the file when any step fails
 */
export async function writeBytesAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (cause) {
    await unlink(temp).catch(() => undefined);
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new UserError(`cannot write '${path}': ${reason}`, { cause });
  }
  await syncDirectory(dirname(path));
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
