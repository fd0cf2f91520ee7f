import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Catalog } from '../../../native-helper/src/catalog/catalog';
import type { InferenceEngine, ModelSession, SessionIo } from '../../../native-helper/src/engine/inference-engine';
import { createImage } from '../../../native-helper/src/imaging/pixel-image';
import { createTaskRunner } from '../../../native-helper/src/tasks/runner';
import { writeTinyCatalog } from '../../helpers/tiny-models';

/** An engine without onnxruntime: every model answers 1 − its input, on a GPU that runs two tiles at once. */
class InvertingEngine implements InferenceEngine {
  readonly loads: Array<{ file: string; io: SessionIo; tiles?: number }> = [];
  private readonly session: ModelSession = {
    provider: 'webgpu',
    parallelRuns: 2,
    run: async (input, height, width) => ({ data: input.map((v) => 1 - v), height, width }),
    runNamed: () => Promise.reject(new Error('not used here')),
    release: async () => undefined,
  };

  async load(file: string, io: SessionIo): Promise<ModelSession> {
    this.loads.push({ file, io });
    return this.session;
  }

  async loadForTiles(file: string, io: SessionIo, tiles: number): Promise<ModelSession> {
    this.loads.push({ file, io, tiles });
    return this.session;
  }
}

describe('task runner over any inference engine', () => {
  let dir: string;
  let catalog: Catalog;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'mend-tasks-'));
    // The engine never reads the file: any bytes, as long as the manifest's checksum is theirs.
    const { manifestDir, cacheDir } = writeTinyCatalog(dir, [
      { id: 'tiny-invert', task: 'restore', scale: 1, bytes: new Uint8Array([1, 2, 3]), overlap: 4, tile: 16 },
      { id: 'tiny-lowlight', task: 'restore', scale: 1, bytes: new Uint8Array([4, 5, 6]), overlap: 4, tile: 16, roles: ['lowlight'] },
    ]);
    catalog = await Catalog.open({ manifestDirs: [manifestDir], cacheDir });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const idle = () => ({ signal: new AbortController().signal, onProgress: () => undefined });

  it("runs a restore through the engine's session, at the GPU's tile side on the provider it chose", async () => {
    const engine = new InvertingEngine();
    const image = createImage(40, 30, 3, 8);
    image.data.forEach((_, i) => (image.data[i] = (i * 37) % 256));
    const out = await createTaskRunner({ catalog, engine })({ options: { task: 'restore', model: 'tiny-invert' }, image }, idle());
    expect(out).toMatchObject({ models: ['tiny-invert'], provider: 'webgpu', tiles: 1, width: 40, height: 30 });
    expect(Array.from(out.image.data)).toEqual(Array.from(image.data, (v) => 255 - v));
    expect(engine.loads).toEqual([{ file: path.join(dir, 'onnx', 'tiny-invert.onnx'), io: { input: 'input', output: 'output' }, tiles: expect.any(Number) }]);
    expect(engine.loads[0].tiles).toBeGreaterThan(1);
  });

  it("runs the catalog's model of the problem a restore job asks for by role, and refuses a role no model holds", async () => {
    const engine = new InvertingEngine();
    const image = createImage(20, 10, 3, 8);
    const out = await createTaskRunner({ catalog, engine })({ options: { task: 'restore', role: 'lowlight' }, image }, idle());
    expect(out.models).toEqual(['tiny-lowlight']);
    const job = createTaskRunner({ catalog, engine })({ options: { task: 'restore', role: 'derain' }, image }, idle());
    await expect(job).rejects.toMatchObject({ code: 'model_missing', message: 'no model for derain is in the catalog; run `mend models` to see what is there' });
    expect(engine.loads.map((load) => path.basename(load.file))).toEqual(['tiny-lowlight.onnx']);
  });

  it('refuses a model made for another task before the engine loads anything', async () => {
    const engine = new InvertingEngine();
    const job = createTaskRunner({ catalog, engine })({ options: { task: 'upscale', model: 'tiny-invert' }, image: createImage(8, 8, 3, 8) }, idle());
    await expect(job).rejects.toMatchObject({ code: 'bad_usage', message: expect.stringContaining('tiny-invert is made for restore, not upscale') });
    expect(engine.loads).toEqual([]);
  });
});
