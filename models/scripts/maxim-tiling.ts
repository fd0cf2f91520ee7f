/**
 * Tiled against whole-image MAXIM in onnxruntime: a 512² photo run at once, and as 256² tiles with
 * overlap stitched by keeping each tile's centre. The PSNR between them says which overlap hides the seams.
 */
import * as ort from 'onnxruntime-node';
import { convertMaxim, fixtureTile, nhwcToNchw, type MaximTask } from './parity-maxim';

/** Tile origins along one axis: evenly stepped, the last one flush with the far edge. */
export function tileOrigins(side: number, tile: number, overlap: number): number[] {
  const origins: number[] = [];
  for (let origin = 0; origin + tile < side; origin += tile - overlap) origins.push(origin);
  origins.push(side - tile);
  return origins;
}

/** Pixels [from, to) along one axis a tile at `origin` owns: up to halfway into each overlap with its neighbours. */
function ownedSpan(origins: number[], index: number, tile: number, side: number): [number, number] {
  const from = index === 0 ? 0 : Math.ceil((origins[index - 1] + tile + origins[index]) / 2);
  const to = index === origins.length - 1 ? side : Math.ceil((origins[index] + tile + origins[index + 1]) / 2);
  return [from, to];
}

function crop(nchw: Float32Array, side: number, y: number, x: number, tile: number): Float32Array {
  const out = new Float32Array(3 * tile * tile);
  for (let c = 0; c < 3; c++)
    for (let row = 0; row < tile; row++)
      out.set(nchw.subarray(c * side * side + (y + row) * side + x, c * side * side + (y + row) * side + x + tile), c * tile * tile + row * tile);
  return out;
}

async function run(session: ort.InferenceSession, nchw: Float32Array, side: number): Promise<Float32Array> {
  return (await session.run({ input: new ort.Tensor('float32', nchw, [1, 3, side, side]) })).output.data as Float32Array;
}

export async function tiledAgainstWhole(
  task: MaximTask,
  side: number,
  tile: number,
  overlaps: number[],
): Promise<Array<{ overlap: number; psnr: number; tiles: number; tiledMs: number }>> {
  const image = nhwcToNchw(await fixtureTile(task, side), side, side);
  const whole = await ort.InferenceSession.create((await convertMaxim(task, side)).onnx);
  let started = performance.now();
  const reference = await run(whole, image, side);
  console.log(`whole ${side}²: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await whole.release();
  const tiled = await ort.InferenceSession.create((await convertMaxim(task, tile)).onnx);
  const results = [];
  for (const overlap of overlaps) {
    const origins = tileOrigins(side, tile, overlap);
    const stitched = new Float32Array(image.length);
    started = performance.now();
    for (const [iy, y] of origins.entries()) {
      for (const [ix, x] of origins.entries()) {
        const out = await run(tiled, crop(image, side, y, x, tile), tile);
        const [y0, y1] = ownedSpan(origins, iy, tile, side);
        const [x0, x1] = ownedSpan(origins, ix, tile, side);
        for (let c = 0; c < 3; c++)
          for (let py = y0; py < y1; py++) for (let px = x0; px < x1; px++) stitched[c * side * side + py * side + px] = out[c * tile * tile + (py - y) * tile + (px - x)];
      }
    }
    const tiledMs = performance.now() - started;
    let squared = 0;
    for (let i = 0; i < image.length; i++) squared += (stitched[i] - reference[i]) ** 2;
    results.push({ overlap, psnr: 10 * Math.log10(image.length / squared), tiles: origins.length ** 2, tiledMs });
  }
  await tiled.release();
  return results;
}

if (require.main === module) {
  tiledAgainstWhole((process.argv[2] ?? 'deblurring') as MaximTask, 512, 256, [0, 32, 64])
    .then((rows) => {
      console.log('| overlap | tiles | PSNR tiled vs whole (dB) | tiled time (s) |\n|---|---|---|---|');
      for (const r of rows) console.log(`| ${r.overlap} | ${r.tiles} | ${r.psnr.toFixed(1)} | ${(r.tiledMs / 1000).toFixed(1)} |`);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
