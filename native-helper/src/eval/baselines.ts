import { createImage, type PixelImage } from '../imaging/pixel-image';
import { CATMULL_ROM, LANCZOS3, resampleImage, type ResampleKernel } from '../imaging/resample';
import type { DegradationKind } from './degradations';

/** A method without a model that every model must beat to be worth running. */
export interface Baseline {
  id: string;
  label: string;
  kinds: readonly DegradationKind[];
  run(degraded: PixelImage, scale: number): PixelImage;
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

export const BASELINES: readonly Baseline[] = [
  { id: 'identity', label: 'identity (nearest when enlarging)', kinds: ['upscale', 'restore'], run: (image, scale) => (scale === 1 ? image : nearestUpscale(image, scale)) },
  { id: 'bicubic', label: 'bicubic (Catmull-Rom)', kinds: ['upscale'], run: (image, scale) => resample(image, scale, CATMULL_ROM) },
  { id: 'lanczos', label: 'Lanczos-3', kinds: ['upscale'], run: (image, scale) => resample(image, scale, LANCZOS3) },
];
