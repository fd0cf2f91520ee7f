import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Catalog } from '../../native-helper/src/catalog/catalog';
import { Engine } from '../../native-helper/src/engine/engine';
import { CancelledError, MendError } from '../../native-helper/src/errors';
import { createImage, type PixelImage } from '../../native-helper/src/imaging/pixel-image';
import { createTaskRunner } from '../../native-helper/src/tasks/runner';
import type { TaskRunner } from '../../native-helper/src/tasks/types';
import type { JobOptions } from '../../native-helper/src/protocol';
import { convModel, identityModel, nearestUpscaleModel, standardTinyModels, writeTinyCatalog } from '../helpers/tiny-models';

function randomImage(width: number, height: number, channels: 1 | 2 | 3 | 4, bitDepth: 8 | 16 | 32, maxValue?: number): PixelImage {
  const image = createImage(width, height, channels, bitDepth, maxValue);
  let state = width * 31 + height;
  for (let i = 0; i < image.data.length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    const unit = state / 2 ** 32;
    image.data[i] = bitDepth === 32 ? unit : Math.floor(unit * (image.maxValue + 1));
  }
  return image;
}

function maxAbsDiff(a: PixelImage, b: PixelImage): number {
  expect([a.width, a.height, a.channels]).toEqual([b.width, b.height, b.channels]);
  let max = 0;
  for (let i = 0; i < a.data.length; i++) max = Math.max(max, Math.abs(a.data[i] - b.data[i]));
  return max;
}

const idle = () => ({ signal: new AbortController().signal, onProgress: () => undefined });

describe('tiny ONNX models through onnxruntime', () => {
  const engine = new Engine({ provider: 'cpu' });
  afterAll(() => engine.close());
  const io = { input: 'input', output: 'output' };

  it('identity returns its input exactly and nearest ×4 repeats each pixel', async () => {
    const input = Float32Array.from({ length: 3 * 2 * 3 }, (_, i) => i / 7);
    const same = await (await engine.load(identityModel(), io, 'identity')).run(input, 2, 3);
    expect(Array.from(same.data)).toEqual(Array.from(input));
    const up = await (await engine.load(nearestUpscaleModel(4), io, 'nearest4')).run(input, 2, 3);
    expect([up.height, up.width]).toEqual([8, 12]);
    expect(up.data[0 * 12 + 11]).toBe(input[2]);
    expect(up.data[7 * 12 + 5]).toBe(input[1 * 3 + 1]);
  });

  it('a 3×3 convolution reaches exactly the 3×3 neighbourhood', async () => {
    const w = 5;
    const impulse = new Float32Array(3 * w * w);
    impulse[12] = 1;
    const zero = await (await engine.load(convModel(3), io, 'conv3')).run(new Float32Array(3 * w * w), w, w);
    const response = await (await engine.load(convModel(3), io, 'conv3')).run(impulse, w, w);
    // Linear + bias: response − bias-only output is zero outside the 3×3 neighbourhood of the impulse.
    for (let c = 0; c < 3; c++)
      for (let y = 0; y < w; y++)
        for (let x = 0; x < w; x++) {
          const i = c * w * w + y * w + x;
          const near = Math.abs(y - 2) <= 1 && Math.abs(x - 2) <= 1;
          if (!near) expect(Math.abs(response.data[i] - zero.data[i])).toBeLessThan(1e-6);
        }
    expect(response.data[12] - zero.data[12]).toBeGreaterThan(0.3);
  });
});

describe('task runner on tiny models', () => {
  let dir: string;
  let runTask: TaskRunner;
  let engine: Engine;
  let catalog: Catalog;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'mend-engine-'));
    const { manifestDir, cacheDir } = writeTinyCatalog(dir, standardTinyModels());
    catalog = await Catalog.open({ manifestDirs: [manifestDir], cacheDir });
    engine = new Engine({ provider: 'cpu' });
    runTask = createTaskRunner({ catalog, engine });
  });
  afterAll(async () => {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (image: PixelImage, options: JobOptions) => runTask({ options, image }, idle());

  it.each([
    ['tiny-conv5', 'restore', 1],
    ['tiny-conv5-x2', 'upscale', 2],
    ['tiny-shuffle-x4', 'upscale', 4],
  ] as const)('%s: tiled output equals whole-image output (sizes not multiples of the tile)', async (model, task, scale) => {
    const image = randomImage(101, 67, 3, 32);
    const whole = await run(image, { task, model, tile: 4096 });
    const tiled = await run(image, { task, model, tile: 32 });
    expect(tiled.tiles).toBeGreaterThanOrEqual(12);
    expect([tiled.image.width, tiled.image.height]).toEqual([101 * scale, 67 * scale]);
    expect(maxAbsDiff(whole.image, tiled.image)).toBeLessThan(1e-5);
  });

  it('16-bit (Photoshop 0..32768) RGBA comes back exactly through an identity model', async () => {
    const dirId = mkdtempSync(path.join(tmpdir(), 'mend-id-'));
    const folders = writeTinyCatalog(dirId, [{ id: 'tiny-identity', task: 'restore', scale: 1, bytes: identityModel(), overlap: 0 }]);
    const identity = createTaskRunner({ catalog: await Catalog.open({ manifestDirs: [folders.manifestDir], cacheDir: folders.cacheDir }), engine });
    for (const image of [randomImage(50, 37, 4, 16, 32768), randomImage(50, 37, 2, 16), randomImage(50, 37, 4, 8)]) {
      const out = await identity({ options: { task: 'restore', model: 'tiny-identity', tile: 16 }, image }, idle());
      expect(out.image.maxValue).toBe(image.maxValue);
      expect(maxAbsDiff(out.image, image)).toBe(0);
    }
    rmSync(dirId, { recursive: true, force: true });
  });

  it('reports progress per tile and stops between tiles when cancelled', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const job = runTask(
      { options: { task: 'restore', model: 'tiny-conv5', tile: 32 }, image: randomImage(128, 128, 3, 8) },
      {
        signal: controller.signal,
        onProgress: ({ done, total }) => {
          seen.push(done);
          expect(total).toBe(16);
          if (done === 3) controller.abort();
        },
      },
    );
    await expect(job).rejects.toBeInstanceOf(CancelledError);
    expect(seen).toEqual([0, 1, 2, 3]);
  });

  it('reaches ×8 with three passes of a ×2 model, and ×3 with a ×4 pass resampled down', async () => {
    const out = await run(randomImage(9, 7, 3, 8), { task: 'upscale', model: 'tiny-conv5-x2', scale: 8 });
    expect([out.image.width, out.image.height]).toEqual([72, 56]);
    expect(out.models).toEqual(['tiny-conv5-x2', 'tiny-conv5-x2', 'tiny-conv5-x2']);
    const three = await run(randomImage(9, 7, 3, 8), { task: 'upscale', model: 'tiny-nearest-x4', scale: 3 });
    expect([three.image.width, three.image.height]).toEqual([27, 21]);
  });

  it('cleans first with a restore model in the same job', async () => {
    const out = await run(randomImage(20, 20, 3, 8), { task: 'upscale', model: 'tiny-nearest-x4', cleanFirst: 'tiny-conv3' });
    expect(out.models).toEqual(['tiny-conv3', 'tiny-nearest-x4']);
  });

  it('says what to do about an unknown, unbuilt or damaged model, or a model of the wrong task', async () => {
    const image = randomImage(8, 8, 3, 8);
    await expect(run(image, { task: 'upscale', model: 'nope' })).rejects.toThrow(/no model "nope".*mend models/);
    await expect(run(image, { task: 'upscale', model: 'tiny-conv3' })).rejects.toThrow(/tiny-conv3 is made for restore, not upscale/);
    writeFileSync(path.join(dir, 'onnx', 'tiny-conv5.onnx'), 'garbage');
    const error = await run(image, { task: 'restore', model: 'tiny-conv5' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MendError);
    expect((error as MendError).code).toBe('model_missing');
    expect((error as Error).message).toMatch(/damaged.*mend models prepare/);
    expect((await catalog.statuses()).find((m) => m.id === 'tiny-conv5')?.status).toBe('corrupt');
  });
});
