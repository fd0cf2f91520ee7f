import type { BitDepth } from '../protocol';
import { createImage, type PixelImage } from './pixel-image';

/** Rounds to the nearest integer sample, clamped to [0, maxValue]. */
export function quantize(value: number, maxValue: number): number {
  const rounded = Math.round(value);
  return rounded < 0 ? 0 : rounded > maxValue ? maxValue : rounded;
}

/**
 * Bit-depth conversion. Every format is scaled by its own maxValue (Photoshop's 16-bit documents use
 * 0..32768, PNG files 0..65535, float 0..1), so integer → float → integer returns the same values.
 */
export function convertDepth(image: PixelImage, bitDepth: BitDepth, maxValue: number): PixelImage {
  if (image.bitDepth === bitDepth && image.maxValue === maxValue) return image;
  // One pass into the output, no float copy in between: a 384 MP 16-bit result written as 8-bit JPEG would need 4.6 GB for it.
  const out = createImage(image.width, image.height, image.channels, bitDepth, maxValue);
  const scale = maxValue / image.maxValue;
  const src = image.data;
  const dst = out.data;
  if (bitDepth === 32) for (let i = 0; i < src.length; i++) dst[i] = src[i] * scale;
  else for (let i = 0; i < src.length; i++) dst[i] = quantize(src[i] * scale, maxValue);
  return out;
}
