import type { PixelImage } from '../imaging/pixel-image';

/** One channel as float samples on the 0..255 scale the metrics' constants assume. */
export interface Plane {
  width: number;
  height: number;
  data: Float64Array;
}

function requireRgb(image: PixelImage): void {
  if (image.channels !== 3) throw new Error(`the evaluation measures RGB images, got ${image.channels} channel(s)`);
}

/** R, G and B of an RGB image, rescaled from its maxValue to 0..255. */
export function rgbPlanes(image: PixelImage): Plane[] {
  requireRgb(image);
  const scale = 255 / image.maxValue;
  const pixels = image.width * image.height;
  return [0, 1, 2].map((c) => {
    const data = new Float64Array(pixels);
    for (let p = 0; p < pixels; p++) data[p] = image.data[p * 3 + c] * scale;
    return { width: image.width, height: image.height, data };
  });
}

/**
 * Luma as the super-resolution literature measures it: ITU-R BT.601 "studio range" Y of YCbCr,
 * Y = 16 + (65.481 R + 128.553 G + 24.966 B) for R, G, B in 0..1 (MATLAB's rgb2ycbcr), kept unrounded.
 */
export function lumaBt601(image: PixelImage): Plane {
  requireRgb(image);
  const scale = 1 / image.maxValue;
  const pixels = image.width * image.height;
  const data = new Float64Array(pixels);
  for (let p = 0; p < pixels; p++) {
    const i = p * 3;
    data[p] = 16 + (65.481 * image.data[i] + 128.553 * image.data[i + 1] + 24.966 * image.data[i + 2]) * scale;
  }
  return { width: image.width, height: image.height, data };
}

/** The plane without `border` pixels on each side (super-resolution benchmarks shave `scale` pixels). */
export function shave(plane: Plane, border: number): Plane {
  if (border === 0) return plane;
  const width = plane.width - 2 * border;
  const height = plane.height - 2 * border;
  if (width <= 0 || height <= 0) throw new Error(`cannot shave ${border} pixels off a ${plane.width}×${plane.height} plane`);
  const data = new Float64Array(width * height);
  for (let y = 0; y < height; y++) data.set(plane.data.subarray((y + border) * plane.width + border, (y + border) * plane.width + border + width), y * width);
  return { width, height, data };
}
