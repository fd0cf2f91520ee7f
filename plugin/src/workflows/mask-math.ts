import type { Bounds, HostMask } from './host';
import { boundsHeight, boundsWidth } from './region';

/** The mask's values over `region` (0 where the mask does not reach). */
export function cropMask(mask: HostMask, region: Bounds): HostMask {
  const width = boundsWidth(region);
  const height = boundsHeight(region);
  const data = new Uint8Array(width * height);
  const maskWidth = boundsWidth(mask.bounds);
  for (let y = Math.max(region.top, mask.bounds.top); y < Math.min(region.bottom, mask.bounds.bottom); y++) {
    for (let x = Math.max(region.left, mask.bounds.left); x < Math.min(region.right, mask.bounds.right); x++) {
      data[(y - region.top) * width + (x - region.left)] = mask.data[(y - mask.bounds.top) * maskWidth + (x - mask.bounds.left)];
    }
  }
  return { bounds: region, data };
}

/** The rows (or the columns) of a width×height image as lines of samples, so one 1-D filter serves both directions. */
function linesOf(width: number, height: number, horizontal: boolean): { count: number; length: number; step: number; start(line: number): number } {
  return horizontal ? { count: height, length: width, step: 1, start: (line) => line * width } : { count: width, length: height, step: width, start: (line) => line };
}

/** The largest value within `r` samples along each line: a gray dilation, so soft selection edges stay soft. */
function maxAlong(src: Float32Array, width: number, height: number, r: number, horizontal: boolean): Float32Array {
  const out = new Float32Array(src.length);
  const { count, length, step, start } = linesOf(width, height, horizontal);
  for (let line = 0; line < count; line++) {
    const base = start(line);
    for (let i = 0; i < length; i++) {
      let m = 0;
      for (let j = Math.max(0, i - r); j <= Math.min(length - 1, i + r); j++) m = Math.max(m, src[base + j * step]);
      out[base + i * step] = m;
    }
  }
  return out;
}

/** The mean of the 2r+1 samples around each one along each line (edges repeated), as a running sum. */
function meanAlong(src: Float32Array, width: number, height: number, r: number, horizontal: boolean): Float32Array {
  const out = new Float32Array(src.length);
  const { count, length, step, start } = linesOf(width, height, horizontal);
  for (let line = 0; line < count; line++) {
    const base = start(line);
    let sum = 0;
    for (let i = -r; i <= r; i++) sum += src[base + Math.min(length - 1, Math.max(0, i)) * step];
    for (let i = 0; i < length; i++) {
      out[base + i * step] = sum / (2 * r + 1);
      sum += src[base + Math.min(length - 1, i + r + 1) * step] - src[base + Math.max(0, i - r) * step];
    }
  }
  return out;
}

/**
 * A selection turned into a layer mask: grown by `grow` pixels (the AI result should cover the
 * selection's edge) and feathered by a share of its smaller side (three box blurs ≈ a Gaussian).
 * Soft selection edges stay soft.
 */
export function growAndFeather(mask: HostMask, grow: number, feather: number): HostMask {
  const width = boundsWidth(mask.bounds);
  const height = boundsHeight(mask.bounds);
  let values: Float32Array = Float32Array.from(mask.data);
  if (grow > 0) values = maxAlong(maxAlong(values, width, height, grow, true), width, height, grow, false);
  let top = height;
  let bottom = -1;
  let left = width;
  let right = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (values[y * width + x] < 128) continue;
      top = Math.min(top, y);
      bottom = Math.max(bottom, y);
      left = Math.min(left, x);
      right = Math.max(right, x);
    }
  }
  const side = bottom < 0 ? 0 : Math.min(bottom - top + 1, right - left + 1);
  const radius = Math.round((feather * side) / 3);
  for (let i = 0; i < 3 && radius > 0; i++) values = meanAlong(meanAlong(values, width, height, radius, true), width, height, radius, false);
  return { bounds: mask.bounds, data: Uint8Array.from(values, (v) => Math.round(Math.min(255, Math.max(0, v)))) };
}

/** The mask enlarged by a whole factor (nearest): the selection of an upscaled result. */
export function scaleMask(mask: HostMask, factor: number): HostMask {
  const width = boundsWidth(mask.bounds);
  const height = boundsHeight(mask.bounds);
  const out = new Uint8Array(width * factor * height * factor);
  for (let y = 0; y < height * factor; y++) {
    const row = Math.floor(y / factor) * width;
    for (let x = 0; x < width * factor; x++) out[y * width * factor + x] = mask.data[row + Math.floor(x / factor)];
  }
  const b = mask.bounds;
  return { bounds: { left: b.left * factor, top: b.top * factor, right: b.right * factor, bottom: b.bottom * factor }, data: out };
}

export function isEmptyMask(mask: HostMask): boolean {
  return mask.data.every((v) => v === 0);
}
