import { gaussianTaps } from '../imaging/gaussian-blur';
import { filterValid } from './gaussian-filter';
import type { Plane } from './planes';

/** Wang, Bovik, Sheikh & Simoncelli (2004): Gaussian window σ = 1.5 (11×11), K1 = 0.01, K2 = 0.03. */
const WINDOW = gaussianTaps(1.5);
const K1 = 0.01;
const K2 = 0.03;

function product(a: Plane, b: Plane): Plane {
  const data = new Float64Array(a.data.length);
  for (let i = 0; i < data.length; i++) data[i] = a.data[i] * b.data[i];
  return { width: a.width, height: a.height, data };
}

/**
 * Mean structural similarity of one plane pair, L = dataRange. Local statistics are Gaussian-weighted
 * population moments; the mean is taken where the whole window lies inside the image (as skimage's
 * structural_similarity with gaussian_weights=True, use_sample_covariance=False, and the paper's
 * MATLAB code for images under 256 pixels, which it does not downsample).
 */
export function ssim(reference: Plane, test: Plane, dataRange = 255): number {
  if (reference.width !== test.width || reference.height !== test.height) {
    throw new Error(`SSIM of planes of different sizes: ${reference.width}×${reference.height} and ${test.width}×${test.height}`);
  }
  const c1 = (K1 * dataRange) ** 2;
  const c2 = (K2 * dataRange) ** 2;
  const muX = filterValid(reference, WINDOW).data;
  const muY = filterValid(test, WINDOW).data;
  const xx = filterValid(product(reference, reference), WINDOW).data;
  const yy = filterValid(product(test, test), WINDOW).data;
  const xy = filterValid(product(reference, test), WINDOW).data;
  let sum = 0;
  for (let i = 0; i < muX.length; i++) {
    const mx = muX[i];
    const my = muY[i];
    const vx = xx[i] - mx * mx;
    const vy = yy[i] - my * my;
    const cov = xy[i] - mx * my;
    sum += ((2 * mx * my + c1) * (2 * cov + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
  }
  return sum / muX.length;
}

/** SSIM of several planes (R, G, B): the mean of each plane's SSIM, as skimage does with channel_axis. */
export function meanSsim(reference: readonly Plane[], test: readonly Plane[], dataRange = 255): number {
  if (reference.length !== test.length || reference.length === 0) throw new Error(`SSIM needs the same number of planes, got ${reference.length} and ${test.length}`);
  return reference.reduce((sum, r, i) => sum + ssim(r, test[i], dataRange), 0) / reference.length;
}
