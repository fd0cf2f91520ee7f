import type { BitDepth } from '../protocol';
import { createImage, type PixelImage } from './pixel-image';

/**
 * Bit-depth conversion. Every integer format is normalized by its own maxValue (Photoshop's 16-bit
 * documents use 0..32768, PNG files 0..65535), so integer → float → integer returns the same values.
 */
export function toNormalizedFloat(image: PixelImage): PixelImage {
  const out = createImage(image.width, image.height, image.channels, 32, 1);
  const scale = 1 / image.maxValue;
  const src = image.data;
  const dst = out.data;
  for (let i = 0; i < src.length; i++) dst[i] = src[i] * scale;
  return out;
}

export function fromNormalizedFloat(image: PixelImage, bitDepth: BitDepth, maxValue: number): PixelImage {
  const out = createImage(image.width, image.height, image.channels, bitDepth, maxValue);
  const src = image.data;
  const dst = out.data;
  if (bitDepth === 32) {
    for (let i = 0; i < src.length; i++) dst[i] = src[i] * maxValue;
    return out;
  }
  for (let i = 0; i < src.length; i++) dst[i] = quantize(src[i] * maxValue, maxValue);
  return out;
}

/** Rounds to the nearest integer sample, clamped to [0, maxValue]. */
export function quantize(value: number, maxValue: number): number {
  const rounded = Math.round(value);
  return rounded < 0 ? 0 : rounded > maxValue ? maxValue : rounded;
}

export function convertDepth(image: PixelImage, bitDepth: BitDepth, maxValue: number): PixelImage {
  if (image.bitDepth === bitDepth && image.maxValue === maxValue) return image;
  return fromNormalizedFloat(toNormalizedFloat(image), bitDepth, maxValue);
}
