import { lumaAt } from './luma';
import { createImage, type PixelImage } from './pixel-image';
import { quantize } from './sample-conversion';

/**
 * A one-channel mask (white = fill, black = keep, gray = partly) from an image file's pixels: gray
 * as it is, color by its luma; transparent pixels keep.
 */
export function maskFromImage(image: PixelImage): PixelImage {
  if (image.channels === 1) return image;
  const mask = createImage(image.width, image.height, 1, image.bitDepth, image.maxValue);
  const { channels, data, maxValue } = image;
  const isFloat = image.bitDepth === 32;
  const alpha = channels === 2 || channels === 4;
  for (let p = 0, s = 0; p < mask.data.length; p++, s += channels) {
    let value = lumaAt(data, s, channels);
    if (alpha) value *= data[s + channels - 1] / maxValue;
    mask.data[p] = isFloat ? value : quantize(value, maxValue);
  }
  return mask;
}

/** 1 where the mask asks for any fill at all, else 0. */
export function holeOf(mask: PixelImage): Uint8Array {
  const hole = new Uint8Array(mask.width * mask.height);
  for (let i = 0; i < hole.length; i++) hole[i] = mask.data[i] > 0 ? 1 : 0;
  return hole;
}

/** For each destination index, the source range [first, end) that a shrinking cubic filter reads. */
function footprints(srcSize: number, dstSize: number): Int32Array {
  const factor = dstSize / srcSize;
  const support = 2 / factor;
  const ranges = new Int32Array(dstSize * 2);
  for (let d = 0; d < dstSize; d++) {
    const center = (d + 0.5) / factor - 0.5;
    ranges[2 * d] = Math.max(0, Math.floor(center - support));
    ranges[2 * d + 1] = Math.min(srcSize, Math.ceil(center + support) + 1);
  }
  return ranges;
}

/**
 * A hole mask brought down to a smaller size: a destination pixel is a hole when any hole pixel is
 * under the footprint of the filter that shrinks the image, so no hole colour leaks into the known
 * pixels the model sees.
 */
export function shrinkHole(hole: Uint8Array, width: number, height: number, dstWidth: number, dstHeight: number): Uint8Array {
  const xs = footprints(width, dstWidth);
  const ys = footprints(height, dstHeight);
  const columns = new Uint8Array(dstWidth * height);
  for (let y = 0; y < height; y++) {
    for (let d = 0; d < dstWidth; d++) {
      let any = 0;
      for (let x = xs[2 * d]; x < xs[2 * d + 1] && !any; x++) any = hole[y * width + x];
      columns[y * dstWidth + d] = any;
    }
  }
  const out = new Uint8Array(dstWidth * dstHeight);
  for (let d = 0; d < dstHeight; d++) {
    for (let x = 0; x < dstWidth; x++) {
      let any = 0;
      for (let y = ys[2 * d]; y < ys[2 * d + 1] && !any; y++) any = columns[y * dstWidth + x];
      out[d * dstWidth + x] = any;
    }
  }
  return out;
}

/**
 * A binary mask (width×height, 1 = set: a hole to fill, a defect found) grown by `radius` pixels in
 * every direction, square corners included: a dilation by a (2·radius+1)² square. Each pass keeps the
 * distance to the last set pixel seen, so the cost does not grow with the radius.
 */
export function growHole(hole: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  if (radius === 0) return hole;
  const across = new Uint8Array(hole.length);
  for (let row = 0; row < hole.length; row += width) {
    for (let x = 0, lastSet = -Infinity; x < width; x++) {
      if (hole[row + x]) lastSet = x;
      if (x - lastSet <= radius) across[row + x] = 1;
    }
    for (let x = width - 1, lastSet = Infinity; x >= 0; x--) {
      if (hole[row + x]) lastSet = x;
      if (lastSet - x <= radius) across[row + x] = 1;
    }
  }
  const grown = new Uint8Array(hole.length);
  const lastSetRow = new Float64Array(width);
  lastSetRow.fill(-Infinity);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (across[y * width + x]) lastSetRow[x] = y;
      if (y - lastSetRow[x] <= radius) grown[y * width + x] = 1;
    }
  }
  lastSetRow.fill(Infinity);
  for (let y = height - 1; y >= 0; y--) {
    for (let x = 0; x < width; x++) {
      if (across[y * width + x]) lastSetRow[x] = y;
      if (lastSetRow[x] - y <= radius) grown[y * width + x] = 1;
    }
  }
  return grown;
}
