import type { PixelImage } from './pixel-image';

/**
 * Normalized 1-D Gaussian taps of standard deviation `sigma`, cut at `truncate` sigmas as scipy's
 * gaussian_filter does (σ = 1.5 with truncate 3.5 gives SSIM's 11 taps).
 */
export function gaussianTaps(sigma: number, truncate = 3.5): Float64Array {
  const radius = Math.floor(truncate * sigma + 0.5);
  const taps = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    taps[i + radius] = Math.exp((-0.5 * i * i) / (sigma * sigma));
    sum += taps[i + radius];
  }
  for (let i = 0; i < taps.length; i++) taps[i] /= sum;
  return taps;
}

/** Index `i` reflected into [0, n) about the edges (…2 1 0 | 0 1 2 … n−1 | n−1 n−2 …), for any i. */
export function mirrorIndex(i: number, n: number): number {
  const period = 2 * n;
  const j = ((i % period) + period) % period;
  return j < n ? j : period - 1 - j;
}

/** Answers row y (0 ≤ y < height) of a plane of one float sample per pixel, `width` long. */
export type PlaneRows = (y: number) => ArrayLike<number>;

/**
 * Rows [top, bottom) of a plane's separable Gaussian blur, edges mirrored. The plane is read row by
 * row through `rowAt`, only the rows within the taps' reach of [top, bottom), so a caller can blur a
 * large image in bands without holding it whole as floats.
 */
export function blurPlaneRows(rowAt: PlaneRows, width: number, height: number, taps: Float64Array, top: number, bottom: number): Float32Array {
  const radius = (taps.length - 1) / 2;
  const out = new Float32Array((bottom - top) * width);
  if (bottom <= top) return out;
  let first = height;
  let last = -1;
  for (let y = top - radius; y < bottom + radius; y++) {
    const source = mirrorIndex(y, height);
    if (source < first) first = source;
    if (source > last) last = source;
  }
  // Horizontal pass over every source row the vertical pass will read, through a mirrored, padded copy.
  const horizontal = new Float32Array((last - first + 1) * width);
  const padded = new Float64Array(width + 2 * radius);
  for (let y = first; y <= last; y++) {
    const row = rowAt(y);
    for (let x = -radius; x < width + radius; x++) padded[x + radius] = row[mirrorIndex(x, width)];
    const offset = (y - first) * width;
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let t = 0; t < taps.length; t++) acc += taps[t] * padded[x + t];
      horizontal[offset + x] = acc;
    }
  }
  const acc = new Float64Array(width);
  for (let y = top; y < bottom; y++) {
    acc.fill(0);
    for (let t = 0; t < taps.length; t++) {
      const w = taps[t];
      const offset = (mirrorIndex(y + t - radius, height) - first) * width;
      for (let x = 0; x < width; x++) acc[x] += w * horizontal[offset + x];
    }
    out.set(acc, (y - top) * width);
  }
  return out;
}

/** A whole plane of `width`×`height` float samples blurred, same size, edges mirrored. */
export function blurPlane(plane: Float32Array | Float64Array, width: number, height: number, sigma: number): Float32Array {
  return blurPlaneRows((y) => plane.subarray(y * width, (y + 1) * width), width, height, gaussianTaps(sigma), 0, height);
}

/**
 * Gaussian blur of every channel of an image at its own size, edges mirrored, as interleaved float
 * samples on the image's scale (for the filters that need a same-size blur: unsharp mask, the haze's depth proxy).
 */
export function gaussianBlur(image: PixelImage, sigma: number): Float32Array {
  const { width, height, channels } = image;
  const taps = gaussianTaps(sigma);
  const out = new Float32Array(image.data.length);
  const row = new Float32Array(width);
  for (let c = 0; c < channels; c++) {
    const rowAt = (y: number) => {
      for (let x = 0; x < width; x++) row[x] = image.data[(y * width + x) * channels + c];
      return row;
    };
    const blurred = blurPlaneRows(rowAt, width, height, taps, 0, height);
    for (let p = 0; p < blurred.length; p++) out[p * channels + c] = blurred[p];
  }
  return out;
}
