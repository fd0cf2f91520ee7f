import { createImage, type PixelImage } from '../imaging/pixel-image';
import { quantize } from '../imaging/sample-conversion';

/** Median absolute deviation of a normal variable over its σ. */
const MAD_OF_NORMAL = 0.6745;

/**
 * The noise's standard deviation (on the samples' scale), estimated from the image alone as Donoho &
 * Johnstone do: the median absolute diagonal Haar detail of 2×2 blocks, (a − b − c + d)/2, over 0.6745.
 * Flat or smooth image content gives almost no diagonal detail, noise gives σ; texture inflates it a little.
 */
export function estimateNoiseSigma(image: PixelImage): number {
  const { width, height, channels } = image;
  const details: number[] = [];
  for (let y = 0; y + 1 < height; y += 2) {
    for (let x = 0; x + 1 < width; x += 2) {
      for (let c = 0; c < channels; c++) {
        const at = (dx: number, dy: number) => image.data[((y + dy) * width + x + dx) * channels + c];
        details.push(Math.abs(at(0, 0) - at(1, 0) - at(0, 1) + at(1, 1)) / 2);
      }
    }
  }
  if (details.length === 0) throw new Error('the noise of an image needs at least 2×2 pixels');
  details.sort((a, b) => a - b);
  return details[Math.floor(details.length / 2)] / MAD_OF_NORMAL;
}

interface NlmParameters {
  patchRadius: number;
  searchRadius: number;
  /** Filtering strength h over σ. */
  hOverSigma: number;
}

/** Buades, Coll & Morel, "Non-Local Means Denoising" (IPOL 2011), their table for colour images. */
function parametersFor(sigma: number): NlmParameters {
  if (sigma <= 25) return { patchRadius: 1, searchRadius: 10, hOverSigma: 0.55 };
  if (sigma <= 55) return { patchRadius: 2, searchRadius: 17, hOverSigma: 0.4 };
  return { patchRadius: 3, searchRadius: 17, hOverSigma: 0.35 };
}

const mirror = (i: number, n: number) => (i < 0 ? -i - 1 : i >= n ? 2 * n - i - 1 : i);

/** Sum over each pixel's (2r+1)² square of a one-channel plane, edges mirrored (two running sums). */
function boxSum(plane: Float32Array, width: number, height: number, r: number): Float32Array {
  const rows = new Float32Array(plane.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let k = -r; k <= r; k++) sum += plane[y * width + mirror(x + k, width)];
      rows[y * width + x] = sum;
    }
  }
  const out = new Float32Array(plane.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let k = -r; k <= r; k++) sum += rows[mirror(y + k, height) * width + x];
      out[y * width + x] = sum;
    }
  }
  return out;
}

/**
 * Non-local means (the pixelwise variant of Buades, Coll & Morel): each pixel becomes the weighted mean of the
 * pixels in its search window whose surrounding patches look alike, weight e^(−max(d² − 2σ², 0) / h²) with d²
 * the mean squared difference of the two colour patches; the pixel itself counts as much as its best match.
 * σ is the noise's, on the samples' scale (`estimateNoiseSigma` when unknown); patch, window and h follow the
 * paper's table for colour images. Signal-dependent noise gets one σ for the whole image.
 */
export function nonLocalMeans(image: PixelImage, sigma: number): PixelImage {
  const { width, height, channels } = image;
  const { patchRadius, searchRadius, hOverSigma } = parametersFor(sigma);
  const h2 = (hOverSigma * sigma) ** 2;
  const pixels = width * height;
  const patchSamples = (2 * patchRadius + 1) ** 2 * channels;
  const weighted = new Float64Array(pixels * channels);
  const totals = new Float64Array(pixels);
  const best = new Float64Array(pixels);
  const difference = new Float32Array(pixels);
  for (let dy = -searchRadius; dy <= searchRadius; dy++) {
    for (let dx = -searchRadius; dx <= searchRadius; dx++) {
      if (dx === 0 && dy === 0) continue;
      for (let y = 0; y < height; y++) {
        const other = mirror(y + dy, height) * width;
        for (let x = 0; x < width; x++) {
          const a = (y * width + x) * channels;
          const b = (other + mirror(x + dx, width)) * channels;
          let sum = 0;
          for (let c = 0; c < channels; c++) sum += (image.data[a + c] - image.data[b + c]) ** 2;
          difference[y * width + x] = sum;
        }
      }
      const distances = boxSum(difference, width, height, patchRadius);
      for (let y = 0; y < height; y++) {
        const other = mirror(y + dy, height) * width;
        for (let x = 0; x < width; x++) {
          const p = y * width + x;
          const weight = Math.exp(-Math.max(distances[p] / patchSamples - 2 * sigma * sigma, 0) / h2);
          if (weight > best[p]) best[p] = weight;
          totals[p] += weight;
          const b = (other + mirror(x + dx, width)) * channels;
          for (let c = 0; c < channels; c++) weighted[p * channels + c] += weight * image.data[b + c];
        }
      }
    }
  }
  const out = createImage(width, height, channels, image.bitDepth, image.maxValue);
  for (let p = 0; p < pixels; p++) {
    // A pixel without any similar neighbour keeps its own value.
    const self = best[p] > 0 ? best[p] : 1;
    for (let c = 0; c < channels; c++)
      out.data[p * channels + c] = quantize((weighted[p * channels + c] + self * image.data[p * channels + c]) / (totals[p] + self), image.maxValue);
  }
  return out;
}
