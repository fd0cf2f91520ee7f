import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { CpuWorkerPool, cpuWorkerLayout } from '../../native-helper/src/engine/cpu-worker-pool';
import { Engine } from '../../native-helper/src/engine/engine';
import type { WorkerMessage } from '../../native-helper/src/engine/session-worker';
import { MendError } from '../../native-helper/src/errors';
import { convUpscaleModel } from '../helpers/tiny-models';

/** The pool's workers run the built `dist/engine/session-worker.js` (npm test builds first). */
describe('CPU worker pool', () => {
  let dir: string;
  let model: string;
  const io = { input: 'input', output: 'output' };
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mend-pool-'));
    model = path.join(dir, 'conv-x2.onnx');
    writeFileSync(model, convUpscaleModel(2));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Per thread, what the pool heard from it while `emit` was watched: each answer's type, then its exit. */
  function heardFromThreads(emit: jest.SpyInstance): string[][] {
    const heard = new Map<unknown, string[]>();
    emit.mock.calls.forEach(([event, message]: unknown[], call) => {
      const what = event === 'exit' ? 'exit' : event === 'message' ? (message as WorkerMessage).type : undefined;
      const thread = emit.mock.contexts[call];
      if (what) heard.set(thread, [...(heard.get(thread) ?? []), what]);
    });
    return [...heard.values()];
  }

  const tile = (seed: number, height: number, width: number) => Float32Array.from({ length: 3 * height * width }, (_, i) => ((i * 7919 + seed * 104729) % 1000) / 1000);

  it('shares the cores between two sessions, one on one core', () => {
    expect(cpuWorkerLayout(1)).toEqual({ workers: 1, threads: 1 });
    expect(cpuWorkerLayout(2)).toEqual({ workers: 2, threads: 1 });
    expect(cpuWorkerLayout(16)).toEqual({ workers: 2, threads: 8 });
  });

  it('answers tiles sent all at once exactly as a session in the process does, each with its own answer', async () => {
    const engine = new Engine({ provider: 'cpu' });
    const pool = await CpuWorkerPool.start(model, io, { workers: 2, threads: 1 });
    try {
      expect(pool.parallelRuns).toBe(2);
      const inProcess = await engine.load(model, io);
      const sizes = [
        [20, 30],
        [31, 17],
        [8, 8],
        [40, 12],
        [5, 9],
      ] as const;
      const answers = await Promise.all(sizes.map(([h, w], seed) => pool.run(tile(seed, h, w), h, w)));
      for (const [seed, [h, w]] of sizes.entries()) {
        const expected = await inProcess.run(tile(seed, h, w), h, w);
        expect([answers[seed].height, answers[seed].width]).toEqual([h * 2, w * 2]);
        expect(Buffer.compare(Buffer.from(answers[seed].data.buffer), Buffer.from(expected.data.buffer))).toBe(0);
      }
    } finally {
      await pool.release();
      await engine.close();
    }
  });

  it('runs a single tile on one worker and several on the workers side by side, with the same pixels', async () => {
    const engine = new Engine({ provider: 'cpu' });
    try {
      const single = await engine.loadForTiles(model, io, 1);
      const several = await engine.loadForTiles(model, io, 4);
      expect([single.parallelRuns, several.parallelRuns]).toEqual([1, cpuWorkerLayout().workers]);
      // Off the main thread: opening a large model's session blocks its thread for seconds.
      expect(single).toBeInstanceOf(CpuWorkerPool);
      expect(several).not.toBe(single);
      const [a, b] = await Promise.all([single.run(tile(7, 24, 24), 24, 24), several.run(tile(7, 24, 24), 24, 24)]);
      expect(Buffer.compare(Buffer.from(a.data.buffer), Buffer.from(b.data.buffer))).toBe(0);
    } finally {
      await engine.close();
    }
  });

  it('refuses a model whose inputs are not the ones named, and a file that is no model, saying which', async () => {
    const named = await CpuWorkerPool.start(model, { input: 'image', output: 'output' }, { workers: 2, threads: 1 }).catch((e: unknown) => e);
    expect(named).toBeInstanceOf(MendError);
    expect((named as MendError).message).toMatch(/inputs are \[input\].*names "image"/);
    const junk = path.join(dir, 'junk.onnx');
    writeFileSync(junk, 'not a model');
    const broken = await CpuWorkerPool.start(junk, io, { workers: 2, threads: 1 }).catch((e: unknown) => e);
    expect([(broken as MendError).code, (broken as MendError).message]).toEqual(['model_invalid', expect.stringContaining(`could not load ${junk}`)]);
  });

  it('fails one bad tile without stopping the pool; release cancels the tiles, lets the running ones end, and refuses later work', async () => {
    const pool = await CpuWorkerPool.start(model, io, { workers: 2, threads: 1 });
    await expect(pool.run(new Float32Array(5), 2, 2)).rejects.toThrow();
    const fine = await pool.run(tile(1, 4, 4), 4, 4);
    expect(fine.width).toBe(8);
    // Released as soon as each thread has been handed a large tile: a thread terminated inside onnxruntime's
    // native run aborts the process (and this test with it), so each must finish its tile and end by itself.
    const emit = jest.spyOn(Worker.prototype, 'emit');
    try {
      const queued = [0, 1, 2, 3].map(() => pool.run(new Float32Array(3 * 1024 * 1024).fill(0.5), 1024, 1024).catch((error: unknown) => error));
      await pool.release();
      for (const outcome of await Promise.all(queued)) expect(outcome).toMatchObject({ code: 'cancelled' });
      expect(heardFromThreads(emit)).toEqual([
        ['done', 'exit'],
        ['done', 'exit'],
      ]);
    } finally {
      emit.mockRestore();
    }
    await expect(pool.run(tile(1, 4, 4), 4, 4)).rejects.toMatchObject({ code: 'cancelled' });
  });
});
