import { gaussianTaps } from '../imaging/gaussian-blur';
import { filterValid } from './gaussian-filter';
import type { Plane } from './planes';

const BLUR = gaussianTaps(1);

/**
 * Mean squared detail: the energy a Gaussian blur (σ = 1 px) removes from the plane, i.e. the band
 * a ×2..×4 downscale destroys and an upscaler must restore or invent. Measured only where the blur
 * window fits. No reference is needed; next to the ground truth's it tells blur (< 1) from invented
 * or amplified detail (> 1), which PSNR and SSIM cannot tell apart.
 */
export function highFrequencyEnergy(plane: Plane): number {
  const blurred = filterValid(plane, BLUR);
  const r = (BLUR.length - 1) / 2;
  let sum = 0;
  for (let y = 0; y < blurred.height; y++) {
    for (let x = 0; x < blurred.width; x++) {
      const d = plane.data[(y + r) * plane.width + x + r] - blurred.data[y * blurred.width + x];
      sum += d * d;
    }
  }
  return sum / blurred.data.length;
}
