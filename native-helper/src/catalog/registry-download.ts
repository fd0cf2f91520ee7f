import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { open, rm, stat } from 'node:fs/promises';
import { z } from 'zod';
import { messageOf } from '../errors';
import { parseInput } from '../parse-input';

/** Where npm's public registry is; the release archive has no npm to ask. */
export const DEFAULT_REGISTRY = 'https://registry.npmjs.org/';

/** The `registry=` line of an npmrc file, if the file is there and has one (npm's own `${VAR}` expansion is not done). */
function npmrcRegistry(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return /^[ \t]*registry[ \t]*=[ \t]*(\S+)[ \t]*$/m.exec(text)?.[1];
}

/**
 * The npm registry to download from: the one npm is set to through the environment (`npm_config_registry`,
 * as npm itself reads it, which is also what `npm run` and `npx` hand their scripts), else the user's npmrc
 * (`npm_config_userconfig`, else ~/.npmrc: a machine set up for a mirror keeps using it without npm), else
 * npm's public one.
 */
export function registryUrl(env: NodeJS.ProcessEnv = process.env, userConfig = env.npm_config_userconfig ?? path.join(os.homedir(), '.npmrc')): string {
  const configured = env.npm_config_registry ?? env.NPM_CONFIG_REGISTRY ?? npmrcRegistry(userConfig);
  const url = configured?.trim() || DEFAULT_REGISTRY;
  return url.endsWith('/') ? url : `${url}/`;
}

/**
 * fetch with its underlying reason in the message: fetch's own is "fetch failed", its cause says why
 * (ENOTFOUND, ECONNREFUSED, SELF_SIGNED_CERT_IN_CHAIN behind a TLS-inspecting proxy: set NODE_EXTRA_CA_CERTS).
 */
async function fetchSaying(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    if (init.signal?.aborted) throw error;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(`${url}: ${messageOf(error)}${cause ? ` (${[cause.code, cause.message].filter(Boolean).join(': ')})` : ''}`);
  }
}

/** The fields of a packument (the registry's document of a package) Mend reads. */
const packumentSchema = z.object({ versions: z.record(z.string(), z.object({ dist: z.object({ tarball: z.url() }) })) });

/** `name@version` → name and version; a scoped name keeps its `@`. */
function splitSpec(spec: string): { name: string; version: string } {
  const at = spec.lastIndexOf('@');
  if (at <= 0) throw new Error(`${spec} names no version`);
  return { name: spec.slice(0, at), version: spec.slice(at + 1) };
}

/** Where the registry serves the tarball of `name@version`, read from the package's packument. */
export async function tarballUrl(spec: string, registry: string, signal?: AbortSignal): Promise<string> {
  const { name, version } = splitSpec(spec);
  // The registry's path for a scoped package escapes its slash: /@scope%2fname.
  const url = `${registry}${name.replace('/', '%2f')}`;
  // The abbreviated packument is much smaller, and has every version's dist.
  const response = await fetchSaying(url, { signal, headers: { accept: 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8' } });
  if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
  const packument = parseInput(await response.json(), packumentSchema, `the registry's document of ${name}`);
  const dist = packument.versions[version]?.dist;
  if (!dist) throw new Error(`${registry} has no version ${version} of ${name}`);
  return dist.tarball;
}

/** A download that broke off after `done` bytes: they stay in the partial file, for the next try to resume. */
export class DownloadInterrupted extends Error {
  constructor(
    readonly done: number,
    readonly total: number,
    cause: unknown,
  ) {
    super(`the download broke off after ${done} of ${total || 'an unknown number of'} bytes (${messageOf(cause)})`);
    this.name = 'DownloadInterrupted';
  }
}

export interface DownloadOptions {
  signal?: AbortSignal;
  /** Bytes in the file so far (resumed ones included), and the whole size (0 when the server does not say it). */
  onDownload?(done: number, total: number): void;
}

/** Progress is reported at most once per this many bytes (and at the end): a 117 MB package makes ~110 events. */
const PROGRESS_STEP = 1 << 20;

/** The sha512 of the bytes already in `file`, fed into `hash`; answers their count (0 when there is no file). */
async function hashExisting(file: string, hash: ReturnType<typeof createHash>): Promise<number> {
  const size = await stat(file).then(
    (s) => s.size,
    () => 0,
  );
  if (size === 0) return 0;
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return size;
}

/** `bytes 100-199/200` → 200; undefined when absent or `*`. */
function rangeTotal(header: string | null): number | undefined {
  const total = /\/(\d+)\s*$/.exec(header ?? '')?.[1];
  return total === undefined ? undefined : Number(total);
}

/**
 * Downloads `url` into `partial`, resuming after the bytes it already holds (a `Range` request; a server that
 * answers the whole file instead is read from the start), and answers the whole file's sha512 in npm's integrity
 * form. A break in the transfer keeps what arrived and throws DownloadInterrupted; checking the integrity is the
 * caller's, since a resumed file is only known good once it is whole.
 */
export async function downloadResumable(url: string, partial: string, options: DownloadOptions = {}): Promise<string> {
  const { signal, onDownload } = options;
  let hash = createHash('sha512');
  let done = await hashExisting(partial, hash);
  let response = await fetchSaying(url, { signal, headers: done > 0 ? { range: `bytes=${done}-` } : {} });
  if (response.status === 416) {
    // What the file holds is no prefix of this tarball (as long as it, or longer): start over.
    await response.body?.cancel();
    await rm(partial, { force: true });
    hash = createHash('sha512');
    done = 0;
    response = await fetchSaying(url, { signal });
  }
  if (!response.ok || !response.body) throw new Error(`${url} answered HTTP ${response.status}`);
  const resumed = response.status === 206;
  if (!resumed && done > 0) {
    hash = createHash('sha512');
    done = 0;
  }
  const length = Number(response.headers.get('content-length')) || 0;
  const total = (resumed ? rangeTotal(response.headers.get('content-range')) : undefined) ?? (length ? done + length : 0);
  const handle = await open(partial, resumed ? 'a' : 'w');
  let reported = done;
  try {
    onDownload?.(done, total);
    const reader = response.body.getReader();
    try {
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        const chunk = read.value;
        hash.update(chunk);
        await handle.write(chunk);
        done += chunk.byteLength;
        if (done - reported >= PROGRESS_STEP) {
          reported = done;
          onDownload?.(done, total);
        }
      }
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new DownloadInterrupted(done, total, error);
    }
  } finally {
    await handle.close();
  }
  if (total && done < total) throw new DownloadInterrupted(done, total, new Error('the connection closed early'));
  if (reported !== done) onDownload?.(done, total);
  return `sha512-${hash.digest('base64')}`;
}
