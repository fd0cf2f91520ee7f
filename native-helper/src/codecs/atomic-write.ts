import { randomBytes } from 'node:crypto';
import { access, mkdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MendError } from '../errors';

export async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/** Refuses to replace an existing file unless asked: the user's files are never clobbered by surprise. */
export async function assertWritable(file: string, overwrite: boolean): Promise<void> {
  if (!overwrite && (await exists(file))) {
    throw new MendError('output_exists', `${file} already exists; pass --overwrite to replace it`);
  }
}

/**
 * Writes through a temporary file in the same folder and renames it into place, so readers see
 * either the old file or the whole new one, and a failure leaves nothing behind (no temporary file,
 * no folder made for it). `writeTemporary` writes the temporary file itself (an encoder streaming to
 * disk never holds the whole file).
 */
export async function writeFileAtomicWith<T>(file: string, writeTemporary: (temporary: string) => Promise<T>, overwrite: boolean): Promise<T> {
  await assertWritable(file, overwrite);
  const folder = path.dirname(file);
  const firstCreated = await mkdir(folder, { recursive: true });
  const temp = path.join(folder, `.${path.basename(file)}.${randomBytes(4).toString('hex')}.partial`);
  try {
    const result = await writeTemporary(temp);
    await assertWritable(file, overwrite);
    await rename(temp, file);
    return result;
  } catch (error) {
    await rm(temp, { force: true });
    if (firstCreated) await removeEmptyFolders(folder, firstCreated);
    throw error;
  }
}

/** Removes `folder` and its parents up to `top`, as long as they are empty (what a failed write created). */
async function removeEmptyFolders(folder: string, top: string): Promise<void> {
  for (let current = folder; ; current = path.dirname(current)) {
    try {
      await rmdir(current);
    } catch {
      return;
    }
    if (current === top) return;
  }
}

/** `writeFileAtomicWith` for bytes produced in memory. */
export async function writeFileAtomic(file: string, produce: () => Promise<Uint8Array>, overwrite: boolean): Promise<void> {
  await writeFileAtomicWith(file, async (temp) => writeFile(temp, await produce(), { flag: 'wx' }), overwrite);
}
