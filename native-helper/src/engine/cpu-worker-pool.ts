import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { MendError } from '../errors';
import type { SessionIo } from './inference-engine';
import { tileOutput, type TileOutput, type TileSession } from './tile-session';
import type { PoolMessage, SessionWorkerData, WorkerMessage } from './session-worker';

/**
 * The built worker script. From the sources (jest) the built copy is used as well: a worker thread
 * runs JavaScript, and `npm test` builds first.
 */
const SESSION_WORKER = path.join(__dirname, '..', '..', 'dist', 'engine', 'session-worker.js');

/**
 * Two CPU sessions side by side, the cores shared between them: onnxruntime's threads scale 1.7× from
 * one core to two on a 264² tile, two single-threaded sessions 2×. Measured on two cores: 8 tiles 3.32 s
 * against 3.85 s in one session of two threads; a single tile 0.83 s against 0.51 s, hence `Engine.loadForTiles`
 * gives work of one tile a single worker with every core. (Two sessions of two threads each, spinning off, gave 3.56 s and 0.51 s.)
 */
export function cpuWorkerLayout(cores = os.availableParallelism()): { workers: number; threads: number } {
  const workers = Math.min(2, cores);
  return { workers, threads: Math.max(1, Math.floor(cores / workers)) };
}

interface Waiting {
  input: Float32Array;
  height: number;
  width: number;
  resolve(output: TileOutput): void;
  reject(error: Error): void;
}

/** A worker thread and the moment it ends, watched from its start so no exit is missed. */
interface SessionThread {
  worker: Worker;
  exited: Promise<void>;
}

function spawn(workerData: SessionWorkerData): SessionThread {
  const worker = new Worker(SESSION_WORKER, { workerData });
  return { worker, exited: new Promise((resolve) => worker.once('exit', () => resolve())) };
}

/** Lets the thread finish what it runs, release its session and end (see `PoolMessage`). */
async function close({ worker, exited }: SessionThread): Promise<void> {
  worker.postMessage({ type: 'close' } satisfies PoolMessage);
  await exited;
}

function whenReady(worker: Worker, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => {
      worker.off('message', onMessage);
      reject(error);
    };
    const onMessage = (message: WorkerMessage) => {
      worker.off('error', fail);
      if (message.type === 'ready') resolve();
      else if (message.type === 'load-failed') reject(new MendError('model_invalid', `could not load ${file} with the cpu provider: ${message.message}`));
    };
    worker.once('message', onMessage);
    worker.once('error', fail);
  });
}

/** A model loaded once per worker thread; `run` hands each tile to an idle worker (queued when all are busy). */
export class CpuWorkerPool implements TileSession {
  readonly provider = 'cpu' as const;
  readonly parallelRuns: number;
  private readonly idle: Worker[];
  private readonly waiting: Waiting[] = [];
  private readonly running = new Map<number, { worker: Worker; job: Waiting }>();
  private nextId = 0;
  private stopped: Error | undefined;

  static async start(file: string, io: SessionIo, layout: { workers: number; threads: number }): Promise<CpuWorkerPool> {
    if (!existsSync(SESSION_WORKER)) {
      throw new MendError('runtime', `the helper is not built: its CPU worker ${SESSION_WORKER} is missing; run \`npm run build:helper\``);
    }
    const workerData: SessionWorkerData = { file, io, threads: layout.threads };
    const threads = Array.from({ length: layout.workers }, () => spawn(workerData));
    try {
      await Promise.all(threads.map(({ worker }) => whenReady(worker, file)));
    } catch (error) {
      await Promise.all(threads.map(close));
      throw error;
    }
    return new CpuWorkerPool(threads);
  }

  private constructor(private readonly threads: SessionThread[]) {
    this.parallelRuns = threads.length;
    this.idle = threads.map(({ worker }) => worker);
    for (const { worker } of threads) {
      worker.on('message', (message: WorkerMessage) => this.answered(worker, message));
      worker.on('error', (error) => this.stop(new MendError('runtime', `a CPU worker failed: ${error.message}`)));
      worker.on('exit', (code) => this.stop(new MendError('runtime', `a CPU worker stopped (exit code ${code})`)));
    }
  }

  run(input: Float32Array, height: number, width: number): Promise<TileOutput> {
    if (this.stopped) return Promise.reject(this.stopped);
    return new Promise((resolve, reject) => {
      this.waiting.push({ input, height, width, resolve, reject });
      this.dispatch();
    });
  }

  async release(): Promise<void> {
    this.stop(new MendError('cancelled', 'the model was unloaded'));
    await Promise.all(this.threads.map(close));
  }

  private dispatch(): void {
    for (let worker = this.idle.pop(); worker; worker = this.idle.pop()) {
      const job = this.waiting.shift();
      if (!job) {
        this.idle.push(worker);
        return;
      }
      const id = this.nextId++;
      this.running.set(id, { worker, job });
      // Transferred, not copied; a view into a larger buffer is copied out first so nothing else is detached.
      const input = job.input.byteOffset === 0 && job.input.byteLength === job.input.buffer.byteLength ? job.input : job.input.slice();
      worker.postMessage({ type: 'tile', id, input, height: job.height, width: job.width } satisfies PoolMessage, [input.buffer as ArrayBuffer]);
    }
  }

  private answered(worker: Worker, message: WorkerMessage): void {
    if (message.type !== 'done' && message.type !== 'failed') return;
    const running = this.running.get(message.id);
    if (!running) return;
    this.running.delete(message.id);
    this.idle.push(worker);
    try {
      if (message.type === 'failed') throw new Error(message.message);
      running.job.resolve(tileOutput(message.tensorType, message.dims, message.data));
    } catch (error) {
      running.job.reject(error as Error);
    }
    this.dispatch();
  }

  private stop(reason: Error): void {
    if (this.stopped) return;
    this.stopped = reason;
    for (const { job } of this.running.values()) job.reject(reason);
    for (const job of this.waiting.splice(0)) job.reject(reason);
    this.running.clear();
  }
}
