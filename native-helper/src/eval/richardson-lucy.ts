import type { PixelImage } from '../imaging/pixel-image';
import { type BlurKernel, convolve, flipKernel } from './blur-kernel';

/** Where the classical literature stops it on noiseless 8-bit blur: later iterations mostly amplify the quantization noise into ringing. */
export const RICHARDSON_LUCY_ITERATIONS = 30;

/** Keeps the ratio finite where the re-blurred estimate is black. */
const FLOOR = 1e-6;

/**
 * Richardson–Lucy deconvolution (Richardson 1972, Lucy 1974) of a float linear-light image blurred by the
 * known `kernel`: the multiplicative update that maximizes the Poisson likelihood, estimate ← estimate ·
 * (Kᵀ ∗ (observed / (K ∗ estimate))), from the observed image. Given the true kernel it is a classical upper
 * bound for a blind deblurrer, which has to find the kernel too.
 */
export function richardsonLucy(observed: PixelImage, kernel: BlurKernel, iterations = RICHARDSON_LUCY_ITERATIONS): PixelImage {
  const adjoint = flipKernel(kernel);
  let estimate: PixelImage = { ...observed, data: Float32Array.from(observed.data) };
  for (let i = 0; i < iterations; i++) {
    // The re-blurred estimate, overwritten in place by observed / re-blurred.
    const ratio = convolve(estimate, kernel);
    for (let k = 0; k < ratio.data.length; k++) ratio.data[k] = observed.data[k] / Math.max(ratio.data[k], FLOOR);
    const next = convolve(ratio, adjoint);
    for (let k = 0; k < next.data.length; k++) next.data[k] *= estimate.data[k];
    estimate = next;
  }
  return estimate;
}
