import type { PixelImage } from './pixel-image';
import { reflectIndex, type Rect } from './rect';

/** How a model wants its color samples: order of the three planes and the values meaning black and white. */
export interface TensorFormat {
  channelOrder: 'RGB' | 'BGR';
  valueRange: readonly [number, number];
}

export const MODEL_CHANNELS = 3;

/** Plane index (in the model tensor) of R, G and B. */
export function planeOrder(format: TensorFormat): readonly [number, number, number] {
  return format.channelOrder === 'RGB' ? [0, 1, 2] : [2, 1, 0];
}

function reflectedIndices(start: number, length: number, size: number): Int32Array {
  const indices = new Int32Array(length);
  for (let i = 0; i < length; i++) indices[i] = reflectIndex(start + i, size);
  return indices;
}

/**
 * Reads `rect` of the image as a planar 3×H×W float tensor in the model's format. Positions outside
 * the image are mirrored (reflect padding). Gray is repeated into the three planes; alpha is left out.
 */
export function readTileTensor(image: PixelImage, rect: Rect, format: TensorFormat): Float32Array {
  const { width, height, channels, data } = image;
  const plane = rect.width * rect.height;
  const out = new Float32Array(MODEL_CHANNELS * plane);
  const [lo, hi] = format.valueRange;
  const scale = (hi - lo) / image.maxValue;
  const [rPlane, gPlane, bPlane] = planeOrder(format);
  const xs = reflectedIndices(rect.x, rect.width, width);
  const ys = reflectedIndices(rect.y, rect.height, height);
  const isGray = channels <= 2;
  for (let ty = 0; ty < rect.height; ty++) {
    const rowBase = ys[ty] * width;
    const outRow = ty * rect.width;
    for (let tx = 0; tx < rect.width; tx++) {
      const src = (rowBase + xs[tx]) * channels;
      const o = outRow + tx;
      if (isGray) {
        const v = data[src] * scale + lo;
        out[o] = v;
        out[plane + o] = v;
        out[2 * plane + o] = v;
      } else {
        out[rPlane * plane + o] = data[src] * scale + lo;
        out[gPlane * plane + o] = data[src + 1] * scale + lo;
        out[bPlane * plane + o] = data[src + 2] * scale + lo;
      }
    }
  }
  return out;
}
