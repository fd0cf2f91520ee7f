/**
 * Converts one file of a model on a worker thread (see `prepareModel`): conversions are seconds of
 * synchronous work (MAXIM: 4–10 s), which on the main thread would leave the helper's server unanswered
 * and Ctrl+C unheard. The worker only computes (the bytes and their sha256); the main thread checks and
 * writes them, so terminating it at any moment leaves nothing behind.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { z } from 'zod';
import { MendError, messageOf, type MendErrorCode } from '../errors';
import { parseInput } from '../parse-input';
import { convertModelFile, sha256Hex } from './build-model';
import { modelManifestSchema } from './manifest';

const convertWorkerDataSchema = z.object({
  manifest: modelManifestSchema,
  file: z.object({ file: z.string(), sha256: z.string(), side: z.number().int().optional() }),
  /** The unpacked source package; absent for models built by Mend's own scripts. */
  dir: z.string().optional(),
});
export type ConvertWorkerData = z.input<typeof convertWorkerDataSchema>;

/** `code` is absent for failures that are not a `MendError` (bugs). */
export type ConvertWorkerMessage = { type: 'done'; bytes: Uint8Array; sha256: string } | { type: 'failed'; code?: MendErrorCode; message: string };

async function convert(): Promise<ConvertWorkerMessage> {
  try {
    const { manifest, file, dir } = parseInput(workerData, convertWorkerDataSchema, "the conversion worker's data");
    const bytes = await convertModelFile(manifest, file, dir);
    // Hashed here too: 100 MB would hold the main thread for a few hundred milliseconds.
    return { type: 'done', bytes, sha256: sha256Hex(bytes) };
  } catch (error) {
    return { type: 'failed', code: error instanceof MendError ? error.code : undefined, message: messageOf(error) };
  }
}

if (!parentPort) throw new Error('convert-worker must run on a worker thread');
const port = parentPort;
void convert().then((message) => port.postMessage(message));
