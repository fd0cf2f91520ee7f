import { createImage, type PixelImage } from '../imaging/pixel-image';
import { templateAt } from './face-template';
import { estimateSimilarity, invertSimilarity, type Point, type Similarity } from './similarity';

/** One face brought into the template's frame: the crop (float RGB, 0..1) and the map from image to crop pixels. */
export interface AlignedFace {
  crop: PixelImage;
  toCrop: Similarity;
}

/** The map from image pixels to a `side`×`side` crop that puts the five points (template order) on the template. */
export function alignmentTo(points: readonly Point[], side: number): Similarity {
  if (points.length !== 5) throw new Error(`alignment takes the five template points, got ${points.length}`);
  return estimateSimilarity(points, templateAt(side));
}

/** The same alignment for a crop resampled from `fromSide` to `toSide` (pixel centres as `Resampler` places them). */
export function resizeAlignment(toCrop: Similarity, fromSide: number, toSide: number): Similarity {
  const k = toSide / fromSide;
  const shift = 0.5 * k - 0.5;
  return { a: toCrop.a * k, b: toCrop.b * k, tx: toCrop.tx * k + shift, ty: toCrop.ty * k + shift };
}

/**
 * Bilinear sample of the colour at (x, y) into `out` (RGB, 0..1), reading past the edges as the edge
 * pixel: a face near the border gets its own colours there rather than a constant grey. Gray images
 * give R = G = B; alpha is not read.
 */
export function sampleRgb(image: PixelImage, x: number, y: number, out: Float32Array, at: number): void {
  const { width, height, channels, data, maxValue } = image;
  const cx = Math.min(Math.max(x, 0), width - 1);
  const cy = Math.min(Math.max(y, 0), height - 1);
  const x0 = Math.floor(cx);
  const y0 = Math.floor(cy);
  const x1 = Math.min(x0 + 1, width - 1);
  const y1 = Math.min(y0 + 1, height - 1);
  const fx = cx - x0;
  const fy = cy - y0;
  const w00 = (1 - fx) * (1 - fy);
  const w10 = fx * (1 - fy);
  const w01 = (1 - fx) * fy;
  const w11 = fx * fy;
  const p00 = (y0 * width + x0) * channels;
  const p10 = (y0 * width + x1) * channels;
  const p01 = (y1 * width + x0) * channels;
  const p11 = (y1 * width + x1) * channels;
  const colour = channels >= 3;
  for (let c = 0; c < 3; c++) {
    const k = colour ? c : 0;
    out[at + c] = (w00 * data[p00 + k] + w10 * data[p10 + k] + w01 * data[p01 + k] + w11 * data[p11 + k]) / maxValue;
  }
}

/** The aligned crop of `side`×`side` pixels: each crop pixel reads the image at toCrop⁻¹ of it, bilinearly. */
export function warpToCrop(image: PixelImage, toCrop: Similarity, side: number): PixelImage {
  const crop = createImage(side, side, 3, 32, 1);
  const back = invertSimilarity(toCrop);
  const out = crop.data as Float32Array;
  for (let v = 0; v < side; v++) {
    for (let u = 0; u < side; u++) {
      sampleRgb(image, back.a * u - back.b * v + back.tx, back.b * u + back.a * v + back.ty, out, (v * side + u) * 3);
    }
  }
  return crop;
}

/** Aligns the face whose five points are given into a crop of `side` pixels. */
export function alignFace(image: PixelImage, points: readonly Point[], side: number): AlignedFace {
  const toCrop = alignmentTo(points, side);
  return { crop: warpToCrop(image, toCrop, side), toCrop };
}
