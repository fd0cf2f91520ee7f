import type { PixelImage } from '../imaging/pixel-image';
import { highFrequencyEnergy } from './high-frequency';
import { lumaBt601, rgbPlanes, shave } from './planes';
import { psnr } from './psnr';
import { meanSsim, ssim } from './ssim';

/** The metrics of one result against its ground truth. */
export interface Scores {
  /** dB on BT.601 luma (Y of YCbCr), peak 255. */
  psnrY: number;
  ssimY: number;
  /** dB over R, G and B together. */
  psnrRgb: number;
  /** Mean of the R, G and B SSIMs. */
  ssimRgb: number;
  /** High-frequency energy of the result's luma over the ground truth's: < 1 blurrier, > 1 more (invented or amplified) detail. */
  detailRatio: number;
}

/** Scores a result, `border` pixels shaved off every side first (super-resolution benchmarks shave the scale). */
export function scoreImage(groundTruth: PixelImage, result: PixelImage, border: number): Scores {
  if (groundTruth.width !== result.width || groundTruth.height !== result.height) {
    throw new Error(`the result is ${result.width}×${result.height}, but its ground truth is ${groundTruth.width}×${groundTruth.height}`);
  }
  const yTruth = shave(lumaBt601(groundTruth), border);
  const yResult = shave(lumaBt601(result), border);
  const rgbTruth = rgbPlanes(groundTruth).map((p) => shave(p, border));
  const rgbResult = rgbPlanes(result).map((p) => shave(p, border));
  return {
    psnrY: psnr([yTruth], [yResult]),
    ssimY: ssim(yTruth, yResult),
    psnrRgb: psnr(rgbTruth, rgbResult),
    ssimRgb: meanSsim(rgbTruth, rgbResult),
    detailRatio: highFrequencyEnergy(yResult) / highFrequencyEnergy(yTruth),
  };
}

/** Arithmetic mean of each metric (dB averaged as dB, as the benchmarks report). */
export function meanScores(all: readonly Scores[]): Scores {
  if (all.length === 0) throw new Error('no scores to average');
  const mean = (name: keyof Scores) => all.reduce((sum, s) => sum + s[name], 0) / all.length;
  return { psnrY: mean('psnrY'), ssimY: mean('ssimY'), psnrRgb: mean('psnrRgb'), ssimRgb: mean('ssimRgb'), detailRatio: mean('detailRatio') };
}
