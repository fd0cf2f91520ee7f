import type { PixelImage } from '../imaging/pixel-image';
import type { Plane } from './planes';

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

/**
 * Separable filtering without padding ("valid"): the result is smaller by taps.length - 1 on each
 * axis, so no made-up border pixels enter a metric.
 */
export function filterValid(plane: Plane, taps: Float64Array): Plane {
  const n = taps.length;
  const width = plane.width - n + 1;
  const height = plane.height - n + 1;
  if (width <= 0 || height <= 0) throw new Error(`a ${plane.width}×${plane.height} plane is smaller than the ${n}×${n} filter`);
  const rows = new Float64Array(width * plane.height);
  for (let y = 0; y < plane.height; y++) {
    const line = y * plane.width;
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let t = 0; t < n; t++) acc += plane.data[line + x + t] * taps[t];
      rows[y * width + x] = acc;
    }
  }
  const data = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let t = 0; t < n; t++) acc += rows[(y + t) * width + x] * taps[t];
      data[y * width + x] = acc;
    }
  }
  return { width, height, data };
}

const mirror = (i: number, n: number) => (i < 0 ? -i - 1 : i >= n ? 2 * n - i - 1 : i);

/**
 * Gaussian blur of every channel of an image at its own size, edges mirrored, as float samples on the
 * image's scale (for the filters that need a same-size blur: unsharp mask, the haze's depth proxy).
 */
export function gaussianBlur(image: PixelImage, sigma: number): Float32Array {
  const taps = gaussianTaps(sigma);
  const radius = (taps.length - 1) / 2;
  const { width, height, channels } = image;
  const rows = new Float32Array(image.data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        let acc = 0;
        for (let t = 0; t < taps.length; t++) acc += taps[t] * image.data[(y * width + mirror(x + t - radius, width)) * channels + c];
        rows[(y * width + x) * channels + c] = acc;
      }
    }
  }
  const out = new Float32Array(image.data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        let acc = 0;
        for (let t = 0; t < taps.length; t++) acc += taps[t] * rows[(mirror(y + t - radius, height) * width + x) * channels + c];
        out[(y * width + x) * channels + c] = acc;
      }
    }
  }
  return out;
}
