import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import * as tar from 'tar';
import { writeFileAtomicWith } from '../codecs/atomic-write';
import { MendError, messageOf, throwIfCancelled } from '../errors';
import { sha256File } from './catalog';

/** One model as an archive carries it: its files, named relative to the model cache, with the sha256 this helper pins for each. */
export interface ArchivedModel {
  id: string;
  files: { name: string; sha256: string }[];
}

/** Every member of an archive sits in this folder, so unpacking one by hand makes no mess and other tars are told apart. */
const ARCHIVE_FOLDER = 'mend-models';

function memberName(file: string): string {
  return `${ARCHIVE_FOLDER}/${file}`;
}

/** Model files lie flat in the cache; a name with a folder in it could reach outside it. */
function assertPlainName(name: string): void {
  if (path.basename(name) !== name || name.startsWith('.')) throw new MendError('model_invalid', `${name}: a model file of the cache must be a plain file name`);
}

/**
 * Writes the models' files from the model cache into a tar archive (gzipped when its name ends in .gz or
 * .tgz), written atomically: no half archive is left when it fails. The files are taken as they are; the
 * machine that installs them checks each against its own pins.
 */
export async function exportModels(archive: string, models: ArchivedModel[], cacheDir: string, overwrite: boolean): Promise<{ bytes: number }> {
  const names = models.flatMap((m) => m.files.map((f) => f.name));
  names.forEach(assertPlainName);
  const gzip = /\.(t?gz)$/i.test(archive);
  await writeFileAtomicWith(
    archive,
    // portable: no owner, group or inode numbers from this machine in the archive.
    (temporary) => tar.c({ file: temporary, cwd: cacheDir, prefix: ARCHIVE_FOLDER, gzip, portable: true }, names),
    overwrite,
  );
  return { bytes: (await stat(archive)).size };
}

export interface ImportResult {
  /** Models whose every file was in the archive with its pinned content, now in the cache. */
  installed: string[];
  /** Models the archive holds with other content than pinned (another Mend version's build, or damage), with why; nothing of them was installed. */
  refused: { id: string; reason: string }[];
  /** Models the archive lacks a file of. */
  absent: string[];
}

/**
 * Installs models from an archive made by `exportModels` into the model cache: only the members named like a
 * wanted model's files are unpacked (plain files; links, folders and other paths are never written), into a
 * staging folder beside the cache; each file is checked against the sha256 this helper pins and moved into
 * place only when all of its model's files match. The staging folder is removed whatever happens.
 */
export async function importModels(archive: string, models: ArchivedModel[], cacheDir: string, signal?: AbortSignal): Promise<ImportResult> {
  models.forEach((m) => {
    m.files.forEach((f) => assertPlainName(f.name));
  });
  const wanted = new Set(models.flatMap((m) => m.files.map((f) => memberName(f.name))));
  await mkdir(cacheDir, { recursive: true });
  const staging = path.join(cacheDir, `.import-${randomBytes(4).toString('hex')}.partial`);
  await mkdir(staging);
  try {
    let ours = false;
    try {
      await tar.x({
        file: archive,
        cwd: staging,
        strict: true,
        filter: (member, entry) => {
          if (member.startsWith(`${ARCHIVE_FOLDER}/`)) ours = true;
          return wanted.has(member) && 'type' in entry && entry.type === 'File';
        },
      });
    } catch (error) {
      throw new MendError('bad_input', `${archive} cannot be read as a tar archive: ${messageOf(error)}`);
    }
    if (!ours) throw new MendError('bad_input', `${archive} is not an archive made by \`mend models export\` (it has no ${ARCHIVE_FOLDER}/ folder)`);
    throwIfCancelled(signal);
    const result: ImportResult = { installed: [], refused: [], absent: [] };
    for (const model of models) {
      const staged = model.files.map((f) => ({ ...f, from: path.join(staging, ARCHIVE_FOLDER, f.name) }));
      const present = await Promise.all(
        staged.map((f) =>
          stat(f.from).then(
            () => true,
            () => false,
          ),
        ),
      );
      if (present.includes(false)) {
        result.absent.push(model.id);
        continue;
      }
      const wrong: string[] = [];
      for (const file of staged) if ((await sha256File(file.from)) !== file.sha256) wrong.push(file.name);
      throwIfCancelled(signal);
      if (wrong.length) {
        result.refused.push({ id: model.id, reason: `${wrong.join(', ')} differ${wrong.length === 1 ? 's' : ''} from the sha256 this helper pins` });
        continue;
      }
      for (const file of staged) await rename(file.from, path.join(cacheDir, file.name));
      result.installed.push(model.id);
    }
    return result;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
