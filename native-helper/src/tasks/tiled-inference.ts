import { hasAlpha } from '../protocol';
import { MendError, throwIfCancelled } from '../errors';
import { createImage, type PixelImage } from '../imaging/pixel-image';
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
  multipleOf: number;
  minSize: number;
  run(input: Float32Array, height: number, width: number): Promise<{ data: Float32Array; height: number; width: number }>;
}

export interface TiledRunContext {
  signal: AbortSignal;
  /** Called after each tile. */
  onTile(): void;
}

export function planFor(image: { width: number; height: number }, model: TiledModel, tile: number): TilePlan {
  return planTiles({ width: image.width, height: image.height, tile, overlap: model.overlap, multipleOf: model.multipleOf, minSize: model.minSize, scale: model.scale });
}

// Rec. 601 luma: a gray source comes back gray.
const LUMA = [0.299, 0.587, 0.114] as const;

/**
 * Runs a model over an image tile by tile and returns the output image in the source's own
 * format (channels, bit depth, maxValue). Pixels are converted to float one tile at a time;
 * alpha bypasses the model and is resampled to the output size.
 */
export async function runTiled(image: PixelImage, model: TiledModel, plan: TilePlan, context: TiledRunContext): Promise<PixelImage> {
  const s = model.scale;
  const out = createImage(image.width * s, image.height * s, image.channels, image.bitDepth, image.maxValue);
  const channels = image.channels;
  const alphaChannel = hasAlpha(channels) ? channels - 1 : -1;
  const gray = channels <= 2;
  const max = out.maxValue;
  const isFloat = out.bitDepth === 32;
  const alphaResampler = alphaChannel >= 0 && s !== 1 ? new Resampler(image.width, image.height, out.width, out.height) : undefined;
  const outWidth = out.width;
  const outData = out.data;

  const blender = new TileBlender(plan, model.format, (y, count, rgb) => {
    for (let i = 0, p = y * outWidth * channels; i < count * outWidth; i++, p += channels) {
      const r = rgb[i * 3] * max;
      const g = rgb[i * 3 + 1] * max;
      const b = rgb[i * 3 + 2] * max;
      if (gray) {
        const luma = LUMA[0] * r + LUMA[1] * g + LUMA[2] * b;
        outData[p] = isFloat ? luma : quantize(luma, max);
      } else if (isFloat) {
        outData[p] = r;
        outData[p + 1] = g;
        outData[p + 2] = b;
      } else {
        outData[p] = quantize(r, max);
        outData[p + 1] = quantize(g, max);
        outData[p + 2] = quantize(b, max);
      }
    }
    if (alphaResampler) {
      alphaResampler.resampleRows(image, out, [[alphaChannel, alphaChannel]], y, y + count);
    } else if (alphaChannel >= 0) {
      for (let i = y * outWidth; i < (y + count) * outWidth; i++) outData[i * channels + alphaChannel] = image.data[i * channels + alphaChannel];
    }
  });

  let row = 0;
  for (const tile of plan.tiles) {
    throwIfCancelled(context.signal);
    if (tile.row !== row) {
      blender.finishRow(row);
      row = tile.row;
    }
    const input = readTileTensor(image, tile.input, model.format);
    const result = await model.run(input, tile.input.height, tile.input.width);
    if (result.height !== tile.input.height * s || result.width !== tile.input.width * s) {
      throw new MendError(
        'model_invalid',
        `${model.id} turned a ${tile.input.width}×${tile.input.height} tile into ${result.width}×${result.height}; its manifest promises ×${s}`,
      );
    }
    blender.add(tile.column, tile.row, result.data);
    context.onTile();
  }
  throwIfCancelled(context.signal);
  blender.finishRow(row);
  return out;
}
