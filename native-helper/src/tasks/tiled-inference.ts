import { hasAlpha } from '../protocol';
import { MendError, throwIfCancelled, unlessCancelled } from '../errors';
import type { ImageSink } from '../imaging/image-sink';
import { LUMA } from '../imaging/luma';
import { createImage, layoutOf, type PixelImage } from '../imaging/pixel-image';
import { Resampler } from '../imaging/resample';
import { quantize } from '../imaging/sample-conversion';
import { readTileTensor, type TensorFormat } from '../imaging/tensor';
import { TileBlender } from '../imaging/tile-blender';
import { planTiles, type TilePlan } from '../imaging/tiling';

/** What the tiler needs of a model: how to call it and its geometry. */
export interface TiledModel {
  id: string;
  scale: number;
  format: TensorFormat;
  overlap: number;
  /** Context read past the image edges (see `TilingParams.edgeContext`). */
  edgeContext: number;
  multipleOf: number;
  minSize: number;
  /** How many tiles to have running at once (CPU workers run them side by side). */
  parallelRuns: number;
  run(input: Float32Array, height: number, width: number): Promise<{ data: Float32Array; height: number; width: number }>;
}

export interface TiledRunContext {
  signal: AbortSignal;
  /** Called after each tile. */
  onTile(): void;
}

/** What the tile plan of a model depends on. */
export type TileShape = Pick<TiledModel, 'scale' | 'overlap' | 'edgeContext' | 'multipleOf' | 'minSize'>;

export function planFor(image: { width: number; height: number }, shape: TileShape, tile: number): TilePlan {
  return planTiles({
    width: image.width,
    height: image.height,
    tile,
    overlap: shape.overlap,
    edgeContext: shape.edgeContext,
    multipleOf: shape.multipleOf,
    minSize: shape.minSize,
    scale: shape.scale,
  });
}

/**
 * Runs a model over an image tile by tile and sends the output, in the source's own format (channels,
 * bit depth, maxValue), to `sink` one band of rows at a time as soon as no later tile touches them.
 * Pixels are converted to float one tile at a time; alpha bypasses the model and is resampled to the
 * output size.
 */
export async function runTiled(image: PixelImage, model: TiledModel, plan: TilePlan, sink: ImageSink, context: TiledRunContext): Promise<void> {
  const s = model.scale;
  const layout = { ...layoutOf(image), width: image.width * s, height: image.height * s };
  const bandRows = Math.max(...plan.rows.map((r) => r.outputEnd - r.outputStart));
  const band = createImage(layout.width, bandRows, image.channels, image.bitDepth, image.maxValue);
  const channels = image.channels;
  const alphaChannel = hasAlpha(channels) ? channels - 1 : -1;
  const gray = channels <= 2;
  const max = band.maxValue;
  const isFloat = band.bitDepth === 32;
  const alphaResampler = alphaChannel >= 0 && s !== 1 ? new Resampler(image.width, image.height, layout.width, layout.height) : undefined;
  const outWidth = layout.width;
  const bandData = band.data;
  let finished = { y: 0, count: 0 };

  const blender = new TileBlender(plan, model.format, (y, count, rgb) => {
    for (let i = 0, p = 0; i < count * outWidth; i++, p += channels) {
      const r = rgb[i * 3] * max;
      const g = rgb[i * 3 + 1] * max;
      const b = rgb[i * 3 + 2] * max;
      if (gray) {
        const luma = LUMA[0] * r + LUMA[1] * g + LUMA[2] * b;
        bandData[p] = isFloat ? luma : quantize(luma, max);
      } else if (isFloat) {
        bandData[p] = r;
        bandData[p + 1] = g;
        bandData[p + 2] = b;
      } else {
        bandData[p] = quantize(r, max);
        bandData[p + 1] = quantize(g, max);
        bandData[p + 2] = quantize(b, max);
      }
    }
    if (alphaResampler) {
      alphaResampler.resampleRows(image, band, [[alphaChannel, alphaChannel]], y, y + count, y);
    } else if (alphaChannel >= 0) {
      const first = y * outWidth;
      for (let i = 0; i < count * outWidth; i++) bandData[i * channels + alphaChannel] = image.data[(first + i) * channels + alphaChannel];
    }
    finished = { y, count };
  });
  const emit = async (row: number) => {
    blender.finishRow(row);
    await sink.write({ ...band, height: finished.count, data: bandData.subarray(0, finished.count * outWidth * channels) });
  };

  await sink.begin(layout);
  // Tiles start in plan order, up to `parallelRuns` ahead of the one being blended.
  const running = new Map<number, ReturnType<TiledModel['run']>>();
  let started = 0;
  const startUpTo = (end: number) => {
    for (; started < Math.min(end, plan.tiles.length); started++) {
      const tile = plan.tiles[started];
      const run = model.run(readTileTensor(image, tile.input, model.format), tile.input.height, tile.input.width);
      // A run still going when the job fails or is cancelled must not surface as an unhandled rejection.
      run.catch(() => undefined);
      running.set(started, run);
    }
  };
  let row = 0;
  for (const [index, tile] of plan.tiles.entries()) {
    throwIfCancelled(context.signal);
    startUpTo(index + Math.max(1, model.parallelRuns));
    if (tile.row !== row) {
      await emit(row);
      row = tile.row;
    }
    const run = running.get(index);
    running.delete(index);
    if (!run) throw new Error(`tile ${index} was never started`);
    // A MAXIM tile runs for many seconds on a CPU: a cancel ends the job now, the tile in flight unobserved.
    const result = await unlessCancelled(run, context.signal);
    if (result.height !== tile.input.height * s || result.width !== tile.input.width * s) {
      throw new MendError('model_invalid', `${model.id} turned a ${tile.input.width}×${tile.input.height} tile into ${result.width}×${result.height}; its manifest promises ×${s}`);
    }
    blender.add(tile.column, tile.row, result.data);
    context.onTile();
  }
  throwIfCancelled(context.signal);
  await emit(row);
}
