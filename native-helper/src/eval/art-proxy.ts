import { createImage, type PixelImage } from '../imaging/pixel-image';
import { quantize } from '../imaging/sample-conversion';
import { bicubicDownscale } from './degradations';

const LEVELS = 5;
const INK = 24;

/** Three passes of a (2r+1) box along x then y: close to a Gaussian, and cheap. */
function smooth(image: PixelImage, radius: number): Float32Array {
  const { width, height, channels } = image;
  let current = Float32Array.from(image.data);
  for (let pass = 0; pass < 3; pass++) {
    for (const [dx, dy] of [
      [1, 0],
      [0, 1],
    ] as const) {
      const next = new Float32Array(current.length);
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          for (let c = 0; c < channels; c++) {
            let sum = 0;
            for (let k = -radius; k <= radius; k++) {
              const sx = Math.min(width - 1, Math.max(0, x + k * dx));
              const sy = Math.min(height - 1, Math.max(0, y + k * dy));
              sum += current[(sy * width + sx) * channels + c];
            }
            next[(y * width + x) * channels + c] = sum / (2 * radius + 1);
          }
        }
      }
      current = next;
    }
  }
  return current;
}

/**
 * A cel-shaded rendering of a photo, as a stand-in for illustration and anime art (none of the
 * project's CC0 fixtures is drawn): smoothed, posterized to flat colours, inked where the colour
 * changes, then shrunk ×2 so the edges are antialiased like drawn art.
 */
export function celShade(photo: PixelImage): PixelImage {
  if (photo.bitDepth !== 8 || photo.channels !== 3) throw new Error('the art stand-in is made from an 8-bit RGB photo');
  const { width, height } = photo;
  const soft = smooth(photo, 2);
  const flat = createImage(width, height, 3, 8);
  const step = 255 / (LEVELS - 1);
  for (let i = 0; i < soft.length; i++) flat.data[i] = quantize(Math.round(soft[i] / step) * step, 255);
  const inked = createImage(width, height, 3, 8);
  inked.data.set(flat.data);
  const differs = (a: number, b: number) => flat.data[a * 3] !== flat.data[b * 3] || flat.data[a * 3 + 1] !== flat.data[b * 3 + 1] || flat.data[a * 3 + 2] !== flat.data[b * 3 + 2];
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const p = y * width + x;
      if (differs(p, p - 1) || differs(p, p - width)) inked.data.fill(INK, p * 3, p * 3 + 3);
    }
  }
  return bicubicDownscale(inked, 2);
}
