import { randomBytes } from 'node:crypto';
import { access, mkdir, rename, rm, writeFile } from 'node:fs/promises';
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
 * either the old file or the whole new one, and a failure leaves nothing behind. `writeTemporary`
 * writes the temporary file itself (an encoder streaming to disk never holds the whole file).
 */
export async function writeFileAtomicWith(file: string, writeTemporary: (temporary: string) => Promise<void>, overwrite: boolean): Promise<void> {
  await assertWritable(file, overwrite);
  await mkdir(path.dirname(file), { recursive: true });
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.partial`);
  try {
    await writeTemporary(temp);
    await assertWritable(file, overwrite);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** `writeFileAtomicWith` for bytes produced in memory. */
export async function writeFileAtomic(file: string, produce: () => Promise<Uint8Array>, overwrite: boolean): Promise<void> {
  await writeFileAtomicWith(file, async (temp) => writeFile(temp, await produce(), { flag: 'wx' }), overwrite);
}
