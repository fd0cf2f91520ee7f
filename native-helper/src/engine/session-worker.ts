/**
 * A CPU session of its own on a worker thread (see `CpuWorkerPool`): onnxruntime's `run` holds the
 * thread that calls it, so tiles run side by side only on separate threads.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import type { SessionIo } from './engine';

export interface SessionWorkerData {
  file: string;
  io: SessionIo;
  threads: number;
}

export interface TileRequest {
  id: number;
  input: Float32Array;
  height: number;
  width: number;
}

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'load-failed'; message: string }
  | { type: 'done'; id: number; data: Float32Array; dims: readonly number[]; tensorType: string }
  | { type: 'failed'; id: number; message: string };

async function serve(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('session-worker must run on a worker thread');
  const { file, io, threads } = workerData as SessionWorkerData;
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(file, { executionProviders: ['cpu'], graphOptimizationLevel: 'all', intraOpNumThreads: threads });
    if (!session.inputNames.includes(io.input) || !session.outputNames.includes(io.output)) {
      throw new Error(`the model's inputs are [${session.inputNames.join(', ')}] and outputs [${session.outputNames.join(', ')}], but its manifest names "${io.input}" → "${io.output}"`);
    }
  } catch (error) {
    port.postMessage({ type: 'load-failed', message: error instanceof Error ? error.message : String(error) } satisfies WorkerMessage);
    return;
  }
  port.on('message', async ({ id, input, height, width }: TileRequest) => {
    try {
      const tensor = new ort.Tensor('float32', input, [1, 3, height, width]);
      const out = (await session.run({ [io.input]: tensor }, [io.output]))[io.output];
      const data = out.data as Float32Array;
      port.postMessage({ type: 'done', id, data, dims: out.dims, tensorType: out.type } satisfies WorkerMessage, [data.buffer as ArrayBuffer]);
    } catch (error) {
      port.postMessage({ type: 'failed', id, message: error instanceof Error ? error.message : String(error) } satisfies WorkerMessage);
    }
  });
  port.postMessage({ type: 'ready' } satisfies WorkerMessage);
}

void serve();
