/**
 * What tiling costs MAXIM. Its grid mixing spans the whole input, so a tiled run never equals a whole one;
 * the question is whether a user could tell. On a clean 512² photo (astronaut.png, public domain), degraded
 * the way the model expects, this runs the model once on the whole image and then tiled exactly as the
 * helper tiles it (the real planner and blender: fixed-side tiles whose cores are side − 2·overlap, cross-faded
 * over half the overlap), and reports PSNR of tiled against whole, PSNR-Y of each against the clean photo,
 * and the time per tile and per megapixel.
 *
 *   npx tsx models/scripts/maxim-tiling.ts quality denoising 512 256/32 256/64 128/32 384/64 384/96 256/96
 *   npx tsx models/scripts/maxim-tiling.ts speed denoising 128 256 384 512
 *
 * `quality` takes the photo side (astronaut resized where above 512) and tile/overlap options; `speed` times
 * one tile of each side and works out the time for a 12 MP photo with each overlap.
 */
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { psnr as planePsnr } from '../../native-helper/src/eval/psnr';
import { rgbPlanes } from '../../native-helper/src/eval/planes';
import { scoreImage } from '../../native-helper/src/eval/score';
import { ImageCollector } from '../../native-helper/src/imaging/image-sink';
import { createImage, type PixelImage } from '../../native-helper/src/imaging/pixel-image';
import { quantize } from '../../native-helper/src/imaging/sample-conversion';
import { readTileTensor, type TensorFormat } from '../../native-helper/src/imaging/tensor';
import { EDGE_CONTEXT } from '../../native-helper/src/imaging/tiling';
import { seededRandom } from '../../native-helper/src/protocol';
import { planFor, runTiled, type TiledModel, type TileShape } from '../../native-helper/src/tasks/tiled-inference';
import { convertMaxim, type MaximTask } from './parity-maxim';

const PHOTO = path.join(__dirname, '..', '..', 'tests', 'fixtures', 'images', 'astronaut.png');
const FORMAT: TensorFormat = { channelOrder: 'RGB', valueRange: [0, 1] };
/** A 12 MP camera photo, for the time a user waits. */
const PHOTO_12MP = { width: 4000, height: 3000 };

/** The damage each model was trained to undo, made deterministic (8-bit out, as a photo would be). */
const DEGRADATIONS: Partial<Record<MaximTask, { label: string; apply(truth: PixelImage): PixelImage }>> = {
  denoising: {
    // Signal-dependent noise as a phone sensor at high ISO: variance 0.006·x + 0.0004 for x in 0..1 (σ ≈ 15/255 at mid grey).
    label: 'Poisson–Gaussian noise, σ² = 0.006·x + 0.0004',
    apply: (truth) => mapSamples(truth, (x, gaussian) => x + Math.sqrt(0.006 * x + 0.0004) * gaussian()),
  },
  enhancement: { label: 'low light: 4× darker (−2 EV)', apply: (truth) => mapSamples(truth, (x) => x / 4) },
};

function mapSamples(image: PixelImage, f: (x: number, gaussian: () => number) => number): PixelImage {
  const random = seededRandom(14);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const out = createImage(image.width, image.height, image.channels, 8);
  image.data.forEach((v, i) => (out.data[i] = quantize(f(v / 255, gaussian) * 255, 255)));
  return out;
}

function toFloat(image: PixelImage): PixelImage {
  const out = createImage(image.width, image.height, image.channels, 32);
  image.data.forEach((v, i) => (out.data[i] = v / image.maxValue));
  return out;
}

/** What the user would get from an 8-bit photo: the float output rounded and clipped to 8 bits. */
function to8Bit(image: PixelImage): PixelImage {
  const out = createImage(image.width, image.height, image.channels, 8);
  image.data.forEach((v, i) => (out.data[i] = quantize(v * 255, 255)));
  return out;
}

/** astronaut.png (512²) as the clean photo; resized (Lanczos) where a larger whole image is asked for. */
async function readPhoto(side: number): Promise<PixelImage> {
  const photo = sharp(PHOTO).removeAlpha();
  const { width } = await sharp(PHOTO).metadata();
  const { data, info } = await (side === width ? photo : photo.resize(side, side, { kernel: 'lanczos3' })).raw().toBuffer({ resolveWithObject: true });
  const image = createImage(info.width, info.height, 3, 8);
  image.data.set(data);
  return image;
}

async function run(session: ort.InferenceSession, planar: Float32Array, side: number): Promise<Float32Array> {
  return (await session.run({ input: new ort.Tensor('float32', planar, [1, 3, side, side]) })).output.data as Float32Array;
}

/** The model on the whole (square) image at once: the answer tiling approximates. */
async function runWhole(task: MaximTask, image: PixelImage): Promise<{ output: PixelImage; seconds: number }> {
  const side = image.width;
  const session = await ort.InferenceSession.create((await convertMaxim(task, side)).onnx);
  const started = performance.now();
  const planar = await run(session, readTileTensor(image, { x: 0, y: 0, width: side, height: side }, FORMAT), side);
  const seconds = (performance.now() - started) / 1000;
  await session.release();
  const output = createImage(side, side, 3, 32);
  for (let i = 0; i < side * side; i++) for (let c = 0; c < 3; c++) output.data[i * 3 + c] = planar[c * side * side + i];
  return { output, seconds };
}

/** The tile plan the helper makes for a model exported at `side`² (see fixedSideTiling in tasks/tiled-model.ts). */
function fixedSidePlan(image: { width: number; height: number }, side: number, overlap: number) {
  const shape: TileShape = { scale: 1, overlap, edgeContext: EDGE_CONTEXT, multipleOf: side, minSize: side };
  return { shape, plan: planFor(image, shape, side - 2 * overlap) };
}

async function runTiledWith(session: ort.InferenceSession, image: PixelImage, side: number, overlap: number): Promise<{ output: PixelImage; tiles: number; seconds: number }> {
  const { shape, plan } = fixedSidePlan(image, side, overlap);
  const model: TiledModel = {
    id: `maxim-${side}`,
    format: FORMAT,
    ...shape,
    parallelRuns: 1,
    run: async (input, height, width) => ({ data: await run(session, input, side), height, width }),
  };
  const collector = new ImageCollector();
  const started = performance.now();
  await runTiled(image, model, plan, collector, { signal: new AbortController().signal, onTile: () => undefined });
  return { output: collector.collected(), tiles: plan.tiles.length, seconds: (performance.now() - started) / 1000 };
}

/** Seconds one tile of each side takes, the fastest of `runs` after a first warm-up run (the machine is shared, so the fastest is the least disturbed), and the process's memory after. */
export async function tileSeconds(task: MaximTask, sides: number[], runs = 3): Promise<Array<{ side: number; seconds: number; rssGB: number }>> {
  const rows = [];
  for (const side of sides) {
    const session = await ort.InferenceSession.create((await convertMaxim(task, side)).onnx);
    const planar = new Float32Array(3 * side * side).fill(0.5);
    await run(session, planar, side);
    let seconds = Number.POSITIVE_INFINITY;
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      await run(session, planar, side);
      seconds = Math.min(seconds, (performance.now() - started) / 1000);
    }
    rows.push({ side, seconds, rssGB: process.memoryUsage().rss / 2 ** 30 });
    console.log(JSON.stringify(rows[rows.length - 1]));
    await session.release();
  }
  return rows;
}

/** Tiles a 12 MP photo takes with each option. */
export function tilesFor12Megapixels(side: number, overlap: number): number {
  return fixedSidePlan(PHOTO_12MP, side, overlap).plan.tiles.length;
}

export interface TilingRow {
  side: number;
  overlap: number;
  tiles: number;
  /** dB, RGB, tiled output against the whole-image output (floats, before rounding). */
  againstWhole: number;
  /** dB, PSNR-Y of the 8-bit tiled output against the clean photo. */
  againstTruth: number;
  secondsPerTile: number;
}

export async function measureTiling(
  task: MaximTask,
  options: Array<{ side: number; overlap: number }>,
  photoSide: number,
): Promise<{ degradation: string; degradedY: number; wholeY: number; wholeSeconds: number; rows: TilingRow[] }> {
  const degradation = DEGRADATIONS[task];
  if (!degradation) throw new Error(`no degradation is defined for maxim-${task}; choose ${Object.keys(DEGRADATIONS).join(' or ')}`);
  const truth = await readPhoto(photoSide);
  const degraded = degradation.apply(truth);
  const input = toFloat(degraded);
  const whole = await runWhole(task, input);
  console.log(`whole ${input.width}²: ${whole.seconds.toFixed(1)} s`);
  const rows: TilingRow[] = [];
  for (const side of [...new Set(options.map((o) => o.side))]) {
    const session = await ort.InferenceSession.create((await convertMaxim(task, side)).onnx);
    for (const { overlap } of options.filter((o) => o.side === side)) {
      const tiled = await runTiledWith(session, input, side, overlap);
      const row = {
        side,
        overlap,
        tiles: tiled.tiles,
        againstWhole: planePsnr(rgbPlanes(whole.output), rgbPlanes(tiled.output)),
        againstTruth: scoreImage(truth, to8Bit(tiled.output), 0).psnrY,
        secondsPerTile: tiled.seconds / tiled.tiles,
      };
      console.log(JSON.stringify(row));
      rows.push(row);
    }
    await session.release();
  }
  return {
    degradation: degradation.label,
    degradedY: scoreImage(truth, degraded, 0).psnrY,
    wholeY: scoreImage(truth, to8Bit(whole.output), 0).psnrY,
    wholeSeconds: whole.seconds,
    rows,
  };
}

async function main(): Promise<void> {
  const [mode, task, ...rest] = process.argv.slice(2) as [string, MaximTask, ...string[]];
  if (mode === 'speed') {
    const sides = rest.map(Number);
    const timed = await tileSeconds(task, sides);
    console.log('\n| tile / overlap (core) | s per tile | tiles for 12 MP | min per 12 MP | s per MP |\n|---|---|---|---|---|');
    for (const { side, seconds } of timed) {
      for (const overlap of [32, 64, 96].filter((o) => side - 2 * o >= 64)) {
        const tiles = tilesFor12Megapixels(side, overlap);
        console.log(
          `| ${side} / ${overlap} (${side - 2 * overlap}) | ${seconds.toFixed(1)} | ${tiles} | ${((tiles * seconds) / 60).toFixed(0)} | ${((tiles * seconds) / 12).toFixed(0)} |`,
        );
      }
    }
    return;
  }
  if (mode !== 'quality') throw new Error('usage: maxim-tiling.ts quality <task> <photo side> <tile>/<overlap>... | speed <task> <tile side>...');
  const [photoSide, ...specs] = rest;
  const options = specs.map((spec) => {
    const [side, overlap] = spec.split('/').map(Number);
    return { side, overlap };
  });
  const { degradation, degradedY, wholeY, wholeSeconds, rows } = await measureTiling(task, options, Number(photoSide));
  console.log(
    `\nmaxim-${task} on astronaut.png at ${photoSide}², ${degradation}: degraded ${degradedY.toFixed(2)} dB PSNR-Y; whole-image run ${wholeY.toFixed(2)} dB in ${wholeSeconds.toFixed(1)} s\n`,
  );
  console.log('| tile / overlap (core) | tiles | tiled vs whole (dB) | PSNR-Y vs clean (dB) | Δ vs whole run (dB) | s per tile (this run) |\n|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.side} / ${r.overlap} (${r.side - 2 * r.overlap}) | ${r.tiles} | ${r.againstWhole.toFixed(1)} | ${r.againstTruth.toFixed(2)} | ${(r.againstTruth - wholeY).toFixed(2)} | ${r.secondsPerTile.toFixed(1)} |`,
    );
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
