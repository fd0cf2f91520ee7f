import { CancelledError } from '../../../native-helper/src/errors';
import { ImageCollector } from '../../../native-helper/src/imaging/image-sink';
import { createImage, type PixelImage } from '../../../native-helper/src/imaging/pixel-image';
import { Resampler } from '../../../native-helper/src/imaging/resample';
import type { PixelLayout } from '../../../native-helper/src/protocol';
import { EDGE_CONTEXT } from '../../../native-helper/src/imaging/tiling';
import { planFor, runTiled, type TiledModel } from '../../../native-helper/src/tasks/tiled-inference';

/** A pure-JS stand-in for a model: 3×3 convolution with zero padding, then nearest ×scale. */
/**
 * Holds each tile until a later turn of the event loop, then lets them go one per turn, newest or oldest
 * first: tiles overlap and finish in an order the test sets, the same on every run and machine.
 */
function tileGate(order: 'newest-first' | 'oldest-first'): () => Promise<void> {
  const waiting: Array<() => void> = [];
  let scheduled = false;
  const releaseOne = () => {
    scheduled = false;
    (order === 'newest-first' ? waiting.pop() : waiting.shift())?.();
    if (waiting.length) schedule();
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(releaseOne);
  };
  return () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      schedule();
    });
}

function convThenNearest(scale: number, multipleOf = 1): TiledModel {
  const kernel = [0.05, 0.1, 0.05, 0.1, 0.4, 0.1, 0.05, 0.1, 0.05];
  return {
    id: `conv-x${scale}`,
    scale,
    format: { channelOrder: 'RGB', valueRange: [0, 1] },
    overlap: 4,
    edgeContext: EDGE_CONTEXT,
    parallelRuns: 1,
    multipleOf,
    minSize: 1,
    run: async (input, height, width) => {
      if (height % multipleOf || width % multipleOf) throw new Error(`input ${width}×${height} is not a multiple of ${multipleOf}`);
      const plane = width * height;
      const conv = new Float32Array(3 * plane);
      for (let c = 0; c < 3; c++)
        for (let y = 0; y < height; y++)
          for (let x = 0; x < width; x++) {
            let acc = 0;
            for (let ky = -1; ky <= 1; ky++)
              for (let kx = -1; kx <= 1; kx++) {
                const yy = y + ky;
                const xx = x + kx;
                if (yy >= 0 && yy < height && xx >= 0 && xx < width) acc += input[c * plane + yy * width + xx] * kernel[(ky + 1) * 3 + kx + 1];
              }
            conv[c * plane + y * width + x] = acc;
          }
      const ow = width * scale;
      const oh = height * scale;
      const out = new Float32Array(3 * ow * oh);
      for (let c = 0; c < 3; c++)
        for (let y = 0; y < oh; y++) for (let x = 0; x < ow; x++) out[c * ow * oh + y * ow + x] = conv[c * plane + Math.floor(y / scale) * width + Math.floor(x / scale)];
      return { data: out, height: oh, width: ow };
    },
  };
}

function randomImage(width: number, height: number, channels: 1 | 2 | 3 | 4, bitDepth: 8 | 16 | 32, seed = 1): PixelImage {
  const image = createImage(width, height, channels, bitDepth);
  let state = seed;
  for (let i = 0; i < image.data.length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    const unit = state / 2 ** 32;
    image.data[i] = bitDepth === 32 ? unit : Math.floor(unit * (image.maxValue + 1));
  }
  return image;
}

const idle = { signal: new AbortController().signal, onTile: () => undefined };

async function run(image: PixelImage, model: TiledModel, tile: number): Promise<PixelImage> {
  const output = new ImageCollector();
  await runTiled(image, model, planFor(image, model, tile), output, idle);
  return output.collected();
}

function maxAbsDiff(a: PixelImage, b: PixelImage): number {
  expect(a.data.length).toBe(b.data.length);
  let max = 0;
  for (let i = 0; i < a.data.length; i++) max = Math.max(max, Math.abs(a.data[i] - b.data[i]));
  return max;
}

describe('tiled inference', () => {
  it.each([1, 2, 4])('tiled output equals the whole-image output at scale %i on sizes that are not tile multiples', async (scale) => {
    const model = convThenNearest(scale);
    const image = randomImage(37, 23, 3, 32);
    const whole = await run(image, model, 1024);
    const tiled = await run(image, model, 9);
    expect(planFor(image, model, 9).tiles.length).toBeGreaterThan(8);
    expect(tiled.width).toBe(37 * scale);
    expect(tiled.height).toBe(23 * scale);
    expect(maxAbsDiff(whole, tiled)).toBeLessThan(1e-5);
  });

  it('without enough context the seams show, so the equality above is not vacuous', async () => {
    const model = { ...convThenNearest(1), overlap: 0 };
    const image = randomImage(37, 23, 3, 32);
    expect(maxAbsDiff(await run(image, model, 1024), await run(image, model, 9))).toBeGreaterThan(1e-3);
  });

  it('pads sizes that are not a multiple of what the model needs and crops back', async () => {
    const model = convThenNearest(2, 8);
    const image = randomImage(13, 5, 3, 8);
    const out = await run(image, model, 6);
    expect([out.width, out.height]).toEqual([26, 10]);
  });

  it('pads tiles up to the smallest size the model accepts', async () => {
    const model = { ...convThenNearest(2, 4), minSize: 12 };
    const inner = model.run;
    model.run = async (input, h, w) => {
      expect(Math.min(h, w)).toBeGreaterThanOrEqual(12);
      return inner(input, h, w);
    };
    const out = await run(randomImage(5, 30, 3, 8), model, 8);
    expect([out.width, out.height]).toEqual([10, 60]);
  });

  it('handles an image smaller than one tile and a 1-pixel image', async () => {
    const model = convThenNearest(4);
    for (const [w, h] of [
      [3, 2],
      [1, 1],
    ]) {
      const out = await run(randomImage(w, h, 3, 8), model, 256);
      expect([out.width, out.height]).toEqual([w * 4, h * 4]);
    }
  });

  it('keeps 16-bit depth and its maxValue, and gray stays gray', async () => {
    const image = { ...randomImage(10, 8, 1, 16), maxValue: 32768 };
    for (let i = 0; i < image.data.length; i++) image.data[i] = Math.min(image.data[i], 32768);
    const out = await run(image, convThenNearest(1), 4);
    expect(out.bitDepth).toBe(16);
    expect(out.maxValue).toBe(32768);
    expect(out.channels).toBe(1);
    expect(Math.max(...out.data)).toBeLessThanOrEqual(32768);
  });

  it('carries alpha through unchanged at scale 1 and resampled at scale 2', async () => {
    const image = randomImage(12, 9, 4, 8);
    const same = await run(image, convThenNearest(1), 5);
    for (let i = 3; i < image.data.length; i += 4) expect(same.data[i]).toBe(image.data[i]);

    const flat = randomImage(12, 9, 4, 8);
    for (let i = 3; i < flat.data.length; i += 4) flat.data[i] = 200;
    const up = await run(flat, convThenNearest(2), 5);
    for (let i = 3; i < up.data.length; i += 4) expect(up.data[i]).toBe(200);
  });

  it('hands the output over in bands of one row of tiles, top to bottom, alpha resampled as on the whole image', async () => {
    const image = randomImage(30, 41, 4, 8);
    const model = convThenNearest(2);
    const plan = planFor(image, model, 10);
    const bands: PixelImage[] = [];
    const collector = new ImageCollector();
    const recorder = {
      begin: (layout: PixelLayout) => collector.begin(layout),
      write: async (band: PixelImage) => {
        bands.push({ ...band, data: band.data.slice() });
        await collector.write(band);
      },
    };
    await runTiled(image, model, plan, recorder, idle);
    expect(bands.length).toBe(plan.rows.length);
    expect(bands.reduce((rows, band) => rows + band.height, 0)).toBe(82);
    const oneRowOfTiles = (10 + 2 * plan.blend) * 2;
    expect(Math.max(...bands.map((band) => band.height))).toBeLessThanOrEqual(oneRowOfTiles);

    const alpha = createImage(60, 82, 4, 8);
    new Resampler(30, 41, 60, 82).resampleRows(image, alpha, [[3, 3]], 0, 82);
    const out = collector.collected();
    for (let i = 3; i < out.data.length; i += 4) if (out.data[i] !== alpha.data[i]) throw new Error(`alpha differs at pixel ${(i - 3) / 4}`);
  });

  it('keeps parallelRuns tiles in flight and blends them in plan order whatever order they finish in', async () => {
    const base = convThenNearest(2);
    const wait = tileGate('newest-first');
    let inFlight = 0;
    let most = 0;
    const finished: number[] = [];
    let started = 0;
    const model: TiledModel = {
      ...base,
      parallelRuns: 3,
      run: async (input, h, w) => {
        const tile = started++;
        most = Math.max(most, ++inFlight);
        await wait();
        finished.push(tile);
        inFlight--;
        return base.run(input, h, w);
      },
    };
    const image = randomImage(40, 33, 3, 8);
    const parallel = await run(image, model, 10);
    expect(most).toBe(3);
    expect(finished.slice(0, 3)).toEqual([2, 1, 0]);
    expect(maxAbsDiff(parallel, await run(image, base, 10))).toBe(0);
  });

  it('fails with the first failing tile while others still run, and nothing is left unhandled', async () => {
    const base = convThenNearest(1);
    const wait = tileGate('oldest-first');
    const runs: Array<Promise<unknown>> = [];
    let calls = 0;
    const model: TiledModel = {
      ...base,
      parallelRuns: 4,
      run: (input, h, w) => {
        const call = calls++;
        const tile = (async () => {
          await wait();
          if (call >= 1) throw new Error(`tile ${call} failed`);
          return base.run(input, h, w);
        })();
        runs.push(tile);
        return tile;
      },
    };
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await expect(run(randomImage(40, 40, 3, 8), model, 10)).rejects.toThrow('tile 1 failed');
      expect(runs.length).toBeGreaterThan(2);
      await Promise.allSettled(runs);
      // Node reports an unhandled rejection once the microtasks after it have run: one more turn of the loop.
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('stops between tiles when cancelled', async () => {
    const controller = new AbortController();
    const base = convThenNearest(1);
    let calls = 0;
    const model: TiledModel = {
      ...base,
      run: async (input, h, w) => {
        calls++;
        return base.run(input, h, w);
      },
    };
    const image = randomImage(40, 40, 3, 8);
    const plan = planFor(image, model, 10);
    const job = runTiled(image, model, plan, new ImageCollector(), {
      signal: controller.signal,
      onTile: () => {
        if (calls === 2) controller.abort();
      },
    });
    await expect(job).rejects.toBeInstanceOf(CancelledError);
    expect(calls).toBe(2);
    expect(plan.tiles.length).toBe(16);
  });

  it('ends a cancelled job without waiting for the tile in flight, which no run can interrupt', async () => {
    const controller = new AbortController();
    const base = convThenNearest(1);
    let started = 0;
    const model: TiledModel = {
      ...base,
      run: () => {
        started++;
        controller.abort();
        return new Promise(() => undefined);
      },
    };
    const image = randomImage(40, 40, 3, 8);
    const job = runTiled(image, model, planFor(image, model, 10), new ImageCollector(), { signal: controller.signal, onTile: () => undefined });
    await expect(job).rejects.toBeInstanceOf(CancelledError);
    expect(started).toBe(1);
  });
});
