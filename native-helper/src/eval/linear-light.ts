import { createImage, type PixelImage } from '../imaging/pixel-image';
import { quantize } from '../imaging/sample-conversion';

/** sRGB's transfer function (IEC 61966-2-1): an encoded value in 0..1 to linear light in 0..1. */
export function srgbToLinear(encoded: number): number {
  return encoded <= 0.04045 ? encoded / 12.92 : ((encoded + 0.055) / 1.055) ** 2.4;
}

/** The inverse of `srgbToLinear`. */
export function linearToSrgb(linear: number): number {
  return linear <= 0.0031308 ? linear * 12.92 : 1.055 * linear ** (1 / 2.4) - 0.055;
}

const DECODE_8_BIT = Float32Array.from({ length: 256 }, (_, v) => srgbToLinear(v / 255));

/**
 * An 8-bit sRGB image (the fixtures are sRGB PNGs) as linear light, float 0..1. Light adds up linearly:
 * blur, photon counts and scattering are modelled on these values, not on the encoded ones.
 */
export function toLinear(image: PixelImage): PixelImage {
  if (image.bitDepth !== 8) throw new Error(`linear light is made from 8-bit sRGB images, got ${image.bitDepth}-bit`);
  const out = createImage(image.width, image.height, image.channels, 32);
  for (let i = 0; i < image.data.length; i++) out.data[i] = DECODE_8_BIT[image.data[i]];
  return out;
}

/** Linear light back to 8-bit sRGB, clipped to 0..1 first (what a camera's encoder does with over- and undershoot). */
export function fromLinear(image: PixelImage): PixelImage {
  if (image.bitDepth !== 32) throw new Error(`expected a float linear-light image, got ${image.bitDepth}-bit`);
  const out = createImage(image.width, image.height, image.channels, 8);
  for (let i = 0; i < image.data.length; i++) out.data[i] = quantize(255 * linearToSrgb(Math.min(1, Math.max(0, image.data[i]))), 255);
  return out;
}
