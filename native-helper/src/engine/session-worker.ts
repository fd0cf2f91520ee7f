/**
 * A CPU session of its own on a worker thread (see `CpuWorkerPool`): onnxruntime's `run` holds the
 * thread that calls it, so tiles run side by side only on separate threads.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import { z } from 'zod';
import { messageOf } from '../errors';
import { parseInput } from '../parse-input';
import { ORT_LOG_ERRORS_ONLY } from './ort-log-level';

/** The model file, the input and output it runs between, and onnxruntime's threads. */
const sessionWorkerDataSchema = z.object({
  file: z.string(),
  io: z.object({ input: z.string(), output: z.string() }),
  threads: z.number().int().min(1),
});
export type SessionWorkerData = z.infer<typeof sessionWorkerDataSchema>;

const tileRequestSchema = z.object({
  type: z.literal('tile'),
  id: z.number().int(),
  input: z.custom<Float32Array>((value) => value instanceof Float32Array, 'must be a Float32Array'),
  height: z.number().int().min(1),
  width: z.number().int().min(1),
});
export type TileRequest = z.infer<typeof tileRequestSchema>;

/**
 * How the pool asks a worker to stop: it finishes the tile it is running and releases its session first,
 * because a thread terminated inside onnxruntime's native run aborts the whole process.
 */
const poolMessageSchema = z.discriminatedUnion('type', [tileRequestSchema, z.object({ type: z.literal('close') })]);
export type PoolMessage = z.infer<typeof poolMessageSchema>;

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'load-failed'; message: string }
  | { type: 'done'; id: number; data: Float32Array; dims: readonly number[]; tensorType: string }
  | { type: 'failed'; id: number; message: string };

function serve(): void {
  const port = parentPort;
  if (!port) throw new Error('session-worker must run on a worker thread');
  const { file, io, threads } = parseInput(workerData, sessionWorkerDataSchema, "the session worker's data");

  async function load(): Promise<ort.InferenceSession | undefined> {
    try {
      const session = await ort.InferenceSession.create(file, {
        executionProviders: ['cpu'],
        graphOptimizationLevel: 'all',
        intraOpNumThreads: threads,
        logSeverityLevel: ORT_LOG_ERRORS_ONLY,
      });
      if (!session.inputNames.includes(io.input) || !session.outputNames.includes(io.output)) {
        await session.release();
        throw new Error(
          `the model's inputs are [${session.inputNames.join(', ')}] and outputs [${session.outputNames.join(', ')}], but its manifest names "${io.input}" → "${io.output}"`,
        );
      }
      port?.postMessage({ type: 'ready' } satisfies WorkerMessage);
      return session;
    } catch (error) {
      port?.postMessage({ type: 'load-failed', message: messageOf(error) } satisfies WorkerMessage);
      return undefined;
    }
  }

  async function runTile(session: ort.InferenceSession | undefined, { id, input, height, width }: TileRequest): Promise<void> {
    try {
      if (!session) throw new Error('the model did not load');
      const tensor = new ort.Tensor('float32', input, [1, 3, height, width]);
      const out = (await session.run({ [io.input]: tensor }, [io.output]))[io.output];
      const data = out.data as Float32Array;
      port?.postMessage({ type: 'done', id, data, dims: out.dims, tensorType: out.type } satisfies WorkerMessage, [data.buffer as ArrayBuffer]);
    } catch (error) {
      port?.postMessage({ type: 'failed', id, message: messageOf(error) } satisfies WorkerMessage);
    }
  }

  const loading = load();
  // One thing at a time, in the order asked: the load, then each tile, then the close.
  let work: Promise<unknown> = loading;
  port.on('message', (received: unknown) => {
    // A refusal thrown here ends the worker with its 'error' event, which the pool reports with the message.
    const message = parseInput(received, poolMessageSchema, 'a message to the session worker');
    if (message.type === 'close') {
      work = work.then(async () => {
        await (await loading)?.release();
        port.close();
      });
    } else {
      work = work.then(async () => runTile(await loading, message));
    }
  });
}

serve();
