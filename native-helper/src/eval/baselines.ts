import { createImage, type PixelImage } from '../imaging/pixel-image';
import { CATMULL_ROM, LANCZOS3, resampleImage, type ResampleKernel } from '../imaging/resample';
import { AUTO_LEVELS_CLIP, autoLevels } from './auto-levels';
import type { Degraded } from './degradations';
import { fromLinear, toLinear } from './linear-light';
import { estimateNoiseSigma, nonLocalMeans } from './non-local-means';
import { RICHARDSON_LUCY_ITERATIONS, richardsonLucy } from './richardson-lucy';
import { UNSHARP_AMOUNT, UNSHARP_SIGMA, unsharpMask } from './unsharp-mask';

/** A method without a model that every model must beat to be worth running. */
export interface Baseline {
  id: string;
  label: string;
  run(degraded: Degraded, scale: number): PixelImage;
}

/** Pixel replication: the degraded image itself, at the ground truth's size. */
export function nearestUpscale(image: PixelImage, scale: number): PixelImage {
  const out = createImage(image.width * scale, image.height * scale, image.channels, image.bitDepth, image.maxValue);
  const { channels } = image;
  for (let y = 0; y < out.height; y++) {
    const sy = Math.floor(y / scale);
    for (let x = 0; x < out.width; x++) {
      const s = (sy * image.width + Math.floor(x / scale)) * channels;
      out.data.set(image.data.subarray(s, s + channels), (y * out.width + x) * channels);
    }
  }
  return out;
}

function resample(image: PixelImage, scale: number, kernel: ResampleKernel): PixelImage {
  return resampleImage(image, image.width * scale, image.height * scale, kernel);
}

/** Richardson–Lucy in linear light with the kernel the degradation used: what a deblurrer could reach if it knew the blur. */
function deconvolveWithTrueKernel({ image, kernel }: Degraded): PixelImage {
  if (!kernel) throw new Error('Richardson–Lucy needs the true kernel; this degradation has none');
  return fromLinear(richardsonLucy(toLinear(image), kernel));
}

const ALL = [
  { id: 'identity', label: 'identity (nearest when enlarging)', run: ({ image }, scale) => (scale === 1 ? image : nearestUpscale(image, scale)) },
  { id: 'bicubic', label: 'bicubic (Catmull-Rom)', run: ({ image }, scale) => resample(image, scale, CATMULL_ROM) },
  { id: 'lanczos', label: 'Lanczos-3', run: ({ image }, scale) => resample(image, scale, LANCZOS3) },
  { id: 'richardson-lucy', label: `Richardson–Lucy, true kernel, ${RICHARDSON_LUCY_ITERATIONS} iterations`, run: deconvolveWithTrueKernel },
  { id: 'unsharp-mask', label: `unsharp mask σ ${UNSHARP_SIGMA} px, ${UNSHARP_AMOUNT * 100} %`, run: ({ image }) => unsharpMask(image) },
  { id: 'non-local-means', label: 'non-local means, σ estimated', run: ({ image }) => nonLocalMeans(image, estimateNoiseSigma(image)) },
  { id: 'auto-levels', label: `auto levels (${AUTO_LEVELS_CLIP * 100} % clipped)`, run: ({ image }) => autoLevels(image) },
] as const satisfies readonly Baseline[];

export type BaselineId = (typeof ALL)[number]['id'];

export const BASELINES: Readonly<Record<BaselineId, Baseline>> = Object.fromEntries(ALL.map((b) => [b.id, b])) as Record<BaselineId, Baseline>;
