import type { PixelImage } from '../imaging/pixel-image';
import type { Rect } from '../imaging/rect';
import type { Point } from './similarity';

/**
 * A square region of an image (may reach past the image's edges): its top-left corner and side, in
 * the pixel coordinates of similarity.ts's Point (pixel (i, j)'s centre at x = i, y = j, so the whole
 * image's corner is at -½, -½).
 */
export interface SquareCrop {
  left: number;
  top: number;
  side: number;
}

/** The square centred on `box` whose side is `scale` times the box's longer side. */
export function squareAround(box: Rect, scale: number): SquareCrop {
  const side = Math.max(box.width, box.height) * scale;
  return { left: box.x + box.width / 2 - side / 2, top: box.y + box.height / 2 - side / 2, side };
}

/**
 * The crop resampled to size², as the NCHW RGB tensor a face model reads, white = `white`. Each output
 * pixel averages k×k bilinear samples (k = how many image pixels it spans, at least 1), so a large face
 * is filtered rather than aliased on the way down. Outside the image is black, as tfjs's cropAndResize
 * gives the models in Human; gray images feed all three planes, alpha is left out.
 */
export function cropTensor(image: PixelImage, crop: SquareCrop, size: number, white: number): Float32Array {
  const { width, height, channels, data, maxValue } = image;
  const plane = size * size;
  const out = new Float32Array(3 * plane);
  const step = crop.side / size;
  const k = Math.max(1, Math.ceil(step));
  const scale = white / maxValue / (k * k);
  const colour = channels >= 3 ? 3 : 1;
  const sample = new Float32Array(3);
  const add = (x: number, y: number) => {
    const x0 = Math.floor(x);
    const y0 = Math.floor(y);
    const ax = x - x0;
    const ay = y - y0;
    for (const [dx, dy, w] of [
      [0, 0, (1 - ax) * (1 - ay)],
      [1, 0, ax * (1 - ay)],
      [0, 1, (1 - ax) * ay],
      [1, 1, ax * ay],
    ] as const) {
      const px = x0 + dx;
      const py = y0 + dy;
      if (w === 0 || px < 0 || py < 0 || px >= width || py >= height) continue;
      const base = (py * width + px) * channels;
      for (let c = 0; c < 3; c++) sample[c] += w * data[base + (colour === 3 ? c : 0)];
    }
  };
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      sample.fill(0);
      for (let a = 0; a < k; a++) {
        for (let b = 0; b < k; b++) add(crop.left + (j + (b + 0.5) / k) * step, crop.top + (i + (a + 0.5) / k) * step);
      }
      for (let c = 0; c < 3; c++) out[c * plane + i * size + j] = sample[c] * scale;
    }
  }
  return out;
}

/** A point of the crop resampled to size², given from its corner (0..size: a model's input pixels), in image pixels. */
export function fromCrop(crop: SquareCrop, size: number, x: number, y: number): Point {
  return { x: crop.left + (x * crop.side) / size, y: crop.top + (y * crop.side) / size };
}
