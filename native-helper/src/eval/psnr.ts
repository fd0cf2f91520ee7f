import type { Plane } from './planes';

function checkSameSize(reference: readonly Plane[], test: readonly Plane[]): void {
  if (reference.length !== test.length || reference.length === 0) throw new Error(`PSNR needs the same number of planes, got ${reference.length} and ${test.length}`);
  reference.forEach((r, i) => {
    if (r.width !== test[i].width || r.height !== test[i].height)
      throw new Error(`PSNR of planes of different sizes: ${r.width}×${r.height} and ${test[i].width}×${test[i].height}`);
  });
}

/**
 * Peak signal-to-noise ratio in dB, 10·log10(peak² / MSE), with the squared error averaged over every
 * sample of every plane (so RGB PSNR is one number, not a mean of three). Identical planes give Infinity.
 */
export function psnr(reference: readonly Plane[], test: readonly Plane[], peak = 255): number {
  checkSameSize(reference, test);
  let sum = 0;
  let count = 0;
  reference.forEach((r, i) => {
    const t = test[i].data;
    for (let k = 0; k < r.data.length; k++) {
      const d = r.data[k] - t[k];
      sum += d * d;
    }
    count += r.data.length;
  });
  const mse = sum / count;
  return mse === 0 ? Infinity : 10 * Math.log10((peak * peak) / mse);
}
