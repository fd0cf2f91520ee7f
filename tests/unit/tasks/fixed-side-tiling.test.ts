import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Catalog } from '../../../native-helper/src/catalog/catalog';
import type { ModelManifest } from '../../../native-helper/src/catalog/manifest';
import type { InferenceEngine, ModelSession, SessionIo } from '../../../native-helper/src/engine/inference-engine';
import { createImage } from '../../../native-helper/src/imaging/pixel-image';
import { createTaskRunner } from '../../../native-helper/src/tasks/runner';
import { planFor } from '../../../native-helper/src/tasks/tiled-inference';
import { fixedSideTiling } from '../../../native-helper/src/tasks/tiled-model';
import { writeFixedSideCatalog } from '../../helpers/tiny-models';

/** An engine whose sessions take only inputs of their file's side and answer 1 − input; it records each load and run. */
class FixedSideEngine implements InferenceEngine {
  readonly loads: string[] = [];
  readonly runs: Array<{ file: string; height: number; width: number }> = [];

  async load(): Promise<ModelSession> {
    throw new Error('not used here');
  }

  async loadForTiles(file: string, _io: SessionIo, _tiles: number): Promise<ModelSession> {
    this.loads.push(path.basename(file));
    const side = Number(/-(\d+)\.onnx$/.exec(file)?.[1]);
    return {
      provider: 'cpu',
      parallelRuns: 1,
      run: async (input, height, width) => {
        this.runs.push({ file: path.basename(file), height, width });
        if (height !== side || width !== side) throw new Error(`${path.basename(file)} takes ${side}² inputs, not ${width}×${height}`);
        return { data: input.map((v) => 1 - v), height, width };
      },
      runNamed: () => Promise.reject(new Error('not used here')),
      release: async () => undefined,
    };
  }
}

describe('tiles of a model converted for fixed sides (256² and 128², overlap 32)', () => {
  let dir: string;
  let catalog: Catalog;
  let manifest: ModelManifest;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'mend-fixed-sides-'));
    const { manifestDir, cacheDir } = writeFixedSideCatalog(dir, { id: 'fake-deblur', sides: [256, 128], overlap: 32 });
    catalog = await Catalog.open({ manifestDirs: [manifestDir], cacheDir });
    manifest = catalog.get('fake-deblur');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    // the whole image fits 128²: one run of the small export
    [100, 70, 128, 1],
    [128, 128, 128, 1],
    // too large for 128² whole, fits 256² whole: one run of the large export
    [129, 40, 256, 1],
    [256, 200, 256, 1],
    // larger: 256² tiles of 192² cores, 32 px of context each side
    [257, 100, 256, 2],
    [1000, 700, 256, 6 * 4],
  ])('%i×%i runs at %i² in %i tiles, every input exactly that side, the cores covering the image', (width, height, side, tiles) => {
    const fixed = fixedSideTiling(manifest, { width, height });
    expect(fixed?.side).toBe(side);
    if (!fixed) return;
    const plan = planFor({ width, height }, fixed.shape, fixed.tile);
    expect(plan.tiles.length).toBe(tiles);
    for (const tile of plan.tiles) expect([tile.input.width, tile.input.height]).toEqual([side, side]);
    expect(plan.columns[plan.columns.length - 1].coreEnd).toBe(width);
    expect(plan.rows[plan.rows.length - 1].coreEnd).toBe(height);
    // inner cores keep at least their 32 px of context on each side
    for (const c of [...plan.columns.slice(1, -1), ...plan.rows.slice(1, -1)]) {
      expect(c.coreStart - c.inputStart).toBeGreaterThanOrEqual(32);
      expect(c.inputStart + c.inputLength - c.coreEnd).toBeGreaterThanOrEqual(32);
    }
  });

  const idle = () => ({ signal: new AbortController().signal, onProgress: () => undefined });

  it('restores a small image with the 128² export and a photo with the 256² one, output matching the input size', async () => {
    for (const [width, height, file, runs] of [
      [100, 70, 'fake-deblur-128.onnx', 1],
      [300, 200, 'fake-deblur-256.onnx', 4],
    ] as const) {
      const engine = new FixedSideEngine();
      const image = createImage(width, height, 3, 8);
      image.data.forEach((_, i) => (image.data[i] = (i * 37) % 256));
      const out = await createTaskRunner({ catalog, engine })({ options: { task: 'restore', model: 'fake-deblur' }, image }, idle());
      expect(out).toMatchObject({ models: ['fake-deblur'], tiles: runs, width, height });
      expect(engine.loads).toEqual([file]);
      expect(engine.runs.length).toBe(runs);
      expect(Array.from(out.image.data)).toEqual(Array.from(image.data, (v) => 255 - v));
    }
  });

  it('refuses a tile size: the sides are the model’s own', async () => {
    const engine = new FixedSideEngine();
    const job = createTaskRunner({ catalog, engine })({ options: { task: 'restore', model: 'fake-deblur', tile: 128 }, image: createImage(300, 200, 3, 8) }, idle());
    await expect(job).rejects.toMatchObject({
      code: 'bad_usage',
      message: "fake-deblur runs on tiles of fixed sides (256 or 128 px), chosen by the image's size; leave out the tile size",
    });
    expect(engine.loads).toEqual([]);
  });
});
