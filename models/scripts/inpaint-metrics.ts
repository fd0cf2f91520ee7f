/** Image quality inside a region and detection scores, for the inpainting measurements. */
import { lumaAt } from '../../native-helper/src/imaging/luma';
import type { PixelImage } from '../../native-helper/src/imaging/pixel-image';

function colorChannels(image: PixelImage): number {
  return image.channels <= 2 ? 1 : 3;
}

/** PSNR (dB) over the colour samples of the pixels where `region` is non-zero, on a 0..255 scale. */
export function psnrInside(result: PixelImage, truth: PixelImage, region: Uint8Array): number {
  const channels = colorChannels(truth);
  const scale = 255 / truth.maxValue;
  let sum = 0;
  let count = 0;
  for (let i = 0; i < region.length; i++) {
    if (!region[i]) continue;
    for (let c = 0; c < channels; c++) {
      const d = (result.data[i * result.channels + c] - truth.data[i * truth.channels + c]) * scale;
      sum += d * d;
      count++;
    }
  }
  return count === 0 ? Infinity : 10 * Math.log10((255 * 255) / Math.max(sum / count, 1e-10));
}

function luma(image: PixelImage): Float64Array {
  const out = new Float64Array(image.width * image.height);
  const scale = 255 / image.maxValue;
  for (let i = 0; i < out.length; i++) out[i] = lumaAt(image.data, i * image.channels, image.channels) * scale;
  return out;
}

/** Separable Gaussian blur (σ 1.5, 11 taps), edges clamped: SSIM's local statistics. */
function gaussian(values: Float64Array, width: number, height: number): Float64Array {
  const taps = Array.from({ length: 11 }, (_, k) => Math.exp(-((k - 5) ** 2) / (2 * 1.5 * 1.5)));
  const total = taps.reduce((a, b) => a + b, 0);
  const kernel = taps.map((t) => t / total);
  const rows = new Float64Array(values.length);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let k = 0; k < 11; k++) acc += kernel[k] * values[y * width + Math.min(width - 1, Math.max(0, x + k - 5))];
      rows[y * width + x] = acc;
    }
  const out = new Float64Array(values.length);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let k = 0; k < 11; k++) acc += kernel[k] * rows[Math.min(height - 1, Math.max(0, y + k - 5)) * width + x];
      out[y * width + x] = acc;
    }
  return out;
}

/** Mean SSIM (Wang et al. 2004, luma, Gaussian window) over the pixels where `region` is non-zero. */
export function ssimInside(result: PixelImage, truth: PixelImage, region: Uint8Array): number {
  const { width, height } = truth;
  const a = luma(result);
  const b = luma(truth);
  const product = (p: Float64Array, q: Float64Array) => p.map((v, i) => v * q[i]);
  const muA = gaussian(a, width, height);
  const muB = gaussian(b, width, height);
  const aa = gaussian(product(a, a), width, height);
  const bb = gaussian(product(b, b), width, height);
  const ab = gaussian(product(a, b), width, height);
  const c1 = (0.01 * 255) ** 2;
  const c2 = (0.03 * 255) ** 2;
  let sum = 0;
  let count = 0;
  for (let i = 0; i < region.length; i++) {
    if (!region[i]) continue;
    const varA = aa[i] - muA[i] * muA[i];
    const varB = bb[i] - muB[i] * muB[i];
    const cov = ab[i] - muA[i] * muB[i];
    sum += ((2 * muA[i] * muB[i] + c1) * (2 * cov + c2)) / ((muA[i] ** 2 + muB[i] ** 2 + c1) * (varA + varB + c2));
    count++;
  }
  return count === 0 ? 1 : sum / count;
}

/** Non-zero pixels of `mask` grown by `radius` (a square neighbourhood). */
export function grown(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      if (!mask[y * width + x]) continue;
      for (let v = Math.max(0, y - radius); v <= Math.min(height - 1, y + radius); v++)
        out.fill(1, v * width + Math.max(0, x - radius), v * width + Math.min(width - 1, x + radius) + 1);
    }
  return out;
}

export interface DetectionScore {
  /** Share of detected pixels within `tolerance` of a true defect pixel. */
  precision: number;
  /** Share of true defect pixels within `tolerance` of a detected pixel. */
  recall: number;
  detected: number;
  truth: number;
}

/** Pixel precision and recall of a detected mask against the true one, forgiving `tolerance` pixels of position. */
export function detectionScore(detected: Uint8Array, truth: Uint8Array, width: number, height: number, tolerance: number): DetectionScore {
  const nearTruth = grown(truth, width, height, tolerance);
  const nearDetected = grown(detected, width, height, tolerance);
  let detectedCount = 0;
  let hits = 0;
  let truthCount = 0;
  let found = 0;
  for (let i = 0; i < truth.length; i++) {
    if (detected[i]) {
      detectedCount++;
      if (nearTruth[i]) hits++;
    }
    if (truth[i]) {
      truthCount++;
      if (nearDetected[i]) found++;
    }
  }
  return { precision: detectedCount ? hits / detectedCount : 1, recall: truthCount ? found / truthCount : 1, detected: detectedCount, truth: truthCount };
}
