import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Catalog } from '../../../native-helper/src/catalog/catalog';
import type { InferenceEngine, ModelSession } from '../../../native-helper/src/engine/inference-engine';
import { CancelledError } from '../../../native-helper/src/errors';
import { createImage, type PixelImage } from '../../../native-helper/src/imaging/pixel-image';
import { CATMULL_ROM, resampleImage } from '../../../native-helper/src/imaging/resample';
import type { JobOptions } from '../../../native-helper/src/protocol';
import { createTaskRunner } from '../../../native-helper/src/tasks/runner';
import type { TaskProgress } from '../../../native-helper/src/tasks/types';
import { writeTinyCatalog } from '../../helpers/tiny-models';
import { nearest } from '../cli/fake-app';

/** How far the "GAN" models' texture departs from the plain enlargement, in the models' 0..1 range. */
const TEXTURE = 0.2;

/**
 * An engine without onnxruntime whose models enlarge each pixel into a block (nearest neighbour); the models
 * named "tiny-gan…" add a texture inside each block (lighter top-left, darker bottom-right), as a GAN invents detail.
 * Every tile run is counted by model file.
 */
class BlockEngine implements InferenceEngine {
  readonly runs: string[] = [];
  /** Called after each tile run, with the file's name: lets a test cancel mid-job. */
  afterRun: (file: string) => void = () => undefined;

  load(): Promise<ModelSession> {
    return Promise.reject(new Error('not used here'));
  }

  async loadForTiles(file: string): Promise<ModelSession> {
    const name = path.basename(file, '.onnx');
    const scale = Number(/x(\d)$/.exec(name)?.[1] ?? 1);
    const textured = name.startsWith('tiny-gan');
    return {
      provider: 'cpu',
      parallelRuns: 1,
      run: async (input, height, width) => {
        const [h, w] = [height * scale, width * scale];
        const data = new Float32Array(3 * h * w);
        for (let c = 0; c < 3; c++) {
          for (let y = 0; y < h; y++) {
            for (let x = 0; x < w; x++) {
              const texture = !textured ? 0 : y % scale === 0 && x % scale === 0 ? TEXTURE : y % scale === scale - 1 && x % scale === scale - 1 ? -TEXTURE : 0;
              data[(c * h + y) * w + x] = input[(c * height + Math.floor(y / scale)) * width + Math.floor(x / scale)] + texture;
            }
          }
        }
        this.runs.push(name);
        this.afterRun(name);
        return { data, height: h, width: w };
      },
      runNamed: () => Promise.reject(new Error('not used here')),
      release: async () => undefined,
    };
  }
}

/** A mid-gray gradient, so the texture never clips, even doubled. */
function source(width: number, height: number): PixelImage {
  const image = createImage(width, height, 3, 8);
  image.data.forEach((_, i) => (image.data[i] = 110 + ((i * 7) % 41)));
  return image;
}

/** Largest difference between two images' samples. */
function maxDifference(a: PixelImage, b: PixelImage): number {
  expect([a.width, a.height, a.channels]).toEqual([b.width, b.height, b.channels]);
  let max = 0;
  for (let i = 0; i < a.data.length; i++) max = Math.max(max, Math.abs(a.data[i] - b.data[i]));
  return max;
}

describe('detail strength and compare jobs (over a stand-in engine)', () => {
  let dir: string;
  let catalog: Catalog;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'mend-detail-'));
    const { manifestDir, cacheDir } = writeTinyCatalog(dir, [
      { id: 'tiny-gan-x2', task: 'upscale', scale: 2, bytes: new Uint8Array([1]), overlap: 0, tile: 16, default: true },
      { id: 'tiny-gan-x3', task: 'upscale', scale: 3, bytes: new Uint8Array([2]), overlap: 0, tile: 16 },
      // The PSNR-oriented model of ×2 (the catalog has none of ×3: bicubic stands in there).
      { id: 'esrgan-thick-x2', task: 'upscale', scale: 2, bytes: new Uint8Array([3]), overlap: 0, tile: 16 },
    ]);
    catalog = await Catalog.open({ manifestDirs: [manifestDir], cacheDir });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function run(options: JobOptions, image: PixelImage, engine = new BlockEngine(), signal = new AbortController().signal) {
    const progress: TaskProgress[] = [];
    const output = await createTaskRunner({ catalog, engine })({ options, image }, { signal, onProgress: (p) => progress.push(p) });
    return { output, progress, engine };
  }

  /** What the stand-in GAN makes of `image` at ×`scale`, 8-bit. */
  function ganOf(image: PixelImage, scale: number): PixelImage {
    const out = nearest(image, scale);
    const step = Math.round(TEXTURE * 255);
    for (let y = 0; y < out.height; y++) {
      for (let x = 0; x < out.width; x++) {
        const shift = y % scale === 0 && x % scale === 0 ? step : y % scale === scale - 1 && x % scale === scale - 1 ? -step : 0;
        for (let c = 0; c < 3; c++) out.data[(y * out.width + x) * 3 + c] += shift;
      }
    }
    return out;
  }

  it("at detail 1 without a map streams the model's own output, and runs no fidelity model", async () => {
    const image = source(40, 24);
    const { output, engine } = await run({ task: 'upscale', detail: 1 }, image);
    expect(maxDifference(output.image, ganOf(image, 2))).toBeLessThanOrEqual(1);
    expect(output).toMatchObject({ models: ['tiny-gan-x2'], main: { kind: 'result', label: 'tiny-gan-x2' } });
    expect(output.extraOutputs).toBeUndefined();
    expect(new Set(engine.runs)).toEqual(new Set(['tiny-gan-x2']));
  });

  it('at detail 0 answers the fidelity model of the factor, with progress over both models', async () => {
    const image = source(40, 24);
    const { output, progress } = await run({ task: 'upscale', detail: 0 }, image);
    expect(maxDifference(output.image, nearest(image, 2))).toBeLessThanOrEqual(1);
    expect(output).toMatchObject({ models: ['tiny-gan-x2', 'esrgan-thick-x2'], main: { label: 'tiny-gan-x2 · detail 0' } });
    // One bar over both runs: the total never changes, done never goes back, each model is a stage.
    expect(new Set(progress.map((p) => p.total))).toEqual(new Set([output.tiles]));
    expect(progress.map((p) => p.done)).toEqual([...progress.map((p) => p.done)].sort((a, b) => a - b));
    expect(progress[progress.length - 1].done).toBe(output.tiles);
    expect([...new Set(progress.map((p) => p.stage))]).toEqual(['tiny-gan-x2', 'esrgan-thick-x2']);
  });

  it('answers the map of invented detail as a second output: one channel at the output size, 0 where the output is the base', async () => {
    const image = source(20, 12);
    const atBase = (await run({ task: 'upscale', detail: 0, inventedDetailMap: true }, image)).output;
    const map = atBase.extraOutputs?.[0];
    expect(map).toMatchObject({ kind: 'invented-detail', label: 'Invented detail', models: ['tiny-gan-x2', 'esrgan-thick-x2'] });
    expect(map && [map.image.width, map.image.height, map.image.channels, map.image.bitDepth]).toEqual([40, 24, 1, 8]);
    expect(Math.max(...(map?.image.data ?? [1]))).toBe(0);

    const own = (await run({ task: 'upscale', inventedDetailMap: true }, image)).output;
    expect(Math.max(...(own.extraOutputs?.[0].image.data ?? [0]))).toBeGreaterThan(0);
    // The same job again maps the same.
    const again = (await run({ task: 'upscale', inventedDetailMap: true }, image)).output;
    expect(Buffer.from(again.extraOutputs?.[0].image.data ?? []).equals(Buffer.from(own.extraOutputs?.[0].image.data ?? []))).toBe(true);
  });

  it('falls back to bicubic where the catalog has no fidelity model of the factor', async () => {
    const image = source(20, 12);
    const { output, engine } = await run({ task: 'upscale', model: 'tiny-gan-x3', detail: 0 }, image);
    expect(maxDifference(output.image, resampleImage(image, 60, 36, CATMULL_ROM))).toBeLessThanOrEqual(1);
    expect(output.models).toEqual(['tiny-gan-x3']);
    expect(new Set(engine.runs)).toEqual(new Set(['tiny-gan-x3']));
  });

  it('leaves the output as it is when the upscaler is itself the fidelity base', async () => {
    const image = source(20, 12);
    const { output, engine } = await run({ task: 'upscale', model: 'esrgan-thick-x2', detail: 0.3 }, image);
    expect(maxDifference(output.image, nearest(image, 2))).toBe(0);
    expect(output.models).toEqual(['esrgan-thick-x2']);
    expect(engine.runs.every((name) => name === 'esrgan-thick-x2')).toBe(true);
  });

  it('runs compare variants in one job, one output each in order; detail strengths of one model share its run', async () => {
    const image = source(40, 24);
    const variants = [
      { task: 'upscale', detail: 0 },
      { task: 'upscale', model: 'esrgan-thick-x2' },
      { task: 'upscale', detail: 2 },
    ] as const;
    const { output, progress, engine } = await run({ task: 'compare', variants: [...variants] }, image);
    expect(output.main).toEqual({ kind: 'variant', label: 'tiny-gan-x2 · detail 0', models: ['tiny-gan-x2', 'esrgan-thick-x2'] });
    expect(output.extraOutputs?.map(({ kind, label, models }) => ({ kind, label, models }))).toEqual([
      { kind: 'variant', label: 'esrgan-thick-x2 · detail 1', models: ['esrgan-thick-x2'] },
      { kind: 'variant', label: 'tiny-gan-x2 · detail 2', models: ['tiny-gan-x2', 'esrgan-thick-x2'] },
    ]);
    expect(maxDifference(output.image, nearest(image, 2))).toBeLessThanOrEqual(1);
    const [thick, doubled] = output.extraOutputs?.map((o) => o.image) ?? [];
    expect(maxDifference(thick, nearest(image, 2))).toBe(0);
    // Detail 2 departs from the base further than the GAN itself does.
    expect(maxDifference(doubled, nearest(image, 2))).toBeGreaterThan(maxDifference(ganOf(image, 2), nearest(image, 2)));

    // The GAN ran once for both of its variants; its fidelity base once, and the fidelity model once more as a variant.
    const tilesOfGan = engine.runs.filter((name) => name === 'tiny-gan-x2').length;
    expect(engine.runs.filter((name) => name === 'esrgan-thick-x2')).toHaveLength(2 * tilesOfGan);
    expect(engine.runs).toHaveLength(output.tiles);
    expect(new Set(progress.map((p) => p.total))).toEqual(new Set([output.tiles]));
    expect(progress[progress.length - 1].done).toBe(output.tiles);
  });

  it('cancels a compare job between tiles, also in a later variant', async () => {
    const engine = new BlockEngine();
    const controller = new AbortController();
    engine.afterRun = (name) => name === 'tiny-gan-x3' && controller.abort();
    const job = run(
      {
        task: 'compare',
        variants: [
          { task: 'upscale', model: 'esrgan-thick-x2', scale: 3 },
          { task: 'upscale', model: 'tiny-gan-x3' },
        ],
      },
      source(40, 40),
      engine,
      controller.signal,
    );
    await expect(job).rejects.toBeInstanceOf(CancelledError);
    const done = engine.runs.filter((name) => name === 'tiny-gan-x3').length;
    expect(done).toBe(1);
  });

  it('refuses, before any tile, variants that would make images of different sizes', async () => {
    const engine = new BlockEngine();
    const job = run(
      {
        task: 'compare',
        variants: [
          { task: 'upscale', model: 'tiny-gan-x2' },
          { task: 'upscale', model: 'tiny-gan-x3' },
        ],
      },
      source(8, 8),
      engine,
    );
    await expect(job).rejects.toMatchObject({
      code: 'bad_usage',
      message: 'compare variants must make images of one size, but tiny-gan-x2 makes 16×16 and tiny-gan-x3 24×24: give the variants one scale',
    });
    expect(engine.runs).toEqual([]);
  });
});
