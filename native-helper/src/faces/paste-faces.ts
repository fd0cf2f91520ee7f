import { LUMA } from '../imaging/luma';
import { createImage, type PixelImage } from '../imaging/pixel-image';
import type { Rect } from '../imaging/rect';
import { quantize } from '../imaging/sample-conversion';
import { sampleRgb } from './align';
import { regionWeight, type FaceRegion } from './face-mask';
import { applySimilarity, invertSimilarity, type Similarity } from './similarity';

/** One restored face to put back into the image. */
export interface FacePaste {
  /** The restored face: a square float RGB crop in 0..1, colour-matched. */
  crop: PixelImage;
  /** Image pixels → pixels of this crop. */
  toCrop: Similarity;
  /** Where the face goes, in this crop's coordinates. */
  region: FaceRegion;
  /** 0..1: how much of the restored face replaces the original (1 = all of it inside the feather). */
  strength: number;
}

/** A face warped back to image pixels over the part of the image it covers. */
interface Layer {
  rect: Rect;
  /** Per pixel of `rect`: the restored colour (RGB 0..1) and its opacity (strength × mask weight). */
  rgb: Float32Array;
  alpha: Float32Array;
}

/** The image pixels the crop square can reach: its corners mapped back, bounded, cut to the image. */
export function footprint(toCrop: Similarity, side: number, width: number, height: number): Rect | undefined {
  const back = invertSimilarity(toCrop);
  const corners = [
    [0, 0],
    [side - 1, 0],
    [0, side - 1],
    [side - 1, side - 1],
  ].map(([x, y]) => applySimilarity(back, { x, y }));
  const x0 = Math.max(0, Math.floor(Math.min(...corners.map((p) => p.x))));
  const y0 = Math.max(0, Math.floor(Math.min(...corners.map((p) => p.y))));
  const x1 = Math.min(width - 1, Math.ceil(Math.max(...corners.map((p) => p.x))));
  const y1 = Math.min(height - 1, Math.ceil(Math.max(...corners.map((p) => p.y))));
  return x1 < x0 || y1 < y0 ? undefined : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/** The inverse warp: each image pixel of the footprint reads the restored crop bilinearly at its crop position. */
function layerOf(face: FacePaste, width: number, height: number): Layer | undefined {
  const { crop, toCrop, region, strength } = face;
  if (crop.width !== crop.height || crop.channels !== 3 || crop.bitDepth !== 32) throw new Error('a restored face is a square float RGB crop');
  if (!(strength >= 0 && strength <= 1)) throw new Error(`face strength must be in 0..1, got ${strength}`);
  const rect = footprint(toCrop, crop.width, width, height);
  if (!rect || strength === 0) return undefined;
  const rgb = new Float32Array(rect.width * rect.height * 3);
  const alpha = new Float32Array(rect.width * rect.height);
  for (let y = 0; y < rect.height; y++) {
    for (let x = 0; x < rect.width; x++) {
      const p = applySimilarity(toCrop, { x: rect.x + x, y: rect.y + y });
      const weight = regionWeight(region, p.x, p.y);
      if (weight === 0) continue;
      const i = y * rect.width + x;
      alpha[i] = strength * weight;
      sampleRgb(crop, p.x, p.y, rgb, i * 3);
    }
  }
  return { rect, rgb, alpha };
}

function contains(rect: Rect, x: number, y: number): boolean {
  return x >= rect.x && y >= rect.y && x < rect.x + rect.width && y < rect.y + rect.height;
}

function heldByEarlier(layers: readonly Layer[], index: number, x: number, y: number): boolean {
  for (let j = 0; j < index; j++) if (contains(layers[j].rect, x, y)) return true;
  return false;
}

/**
 * The image with the restored faces pasted back through their feathered regions. Where faces overlap,
 * their colours mix by opacity and their opacities combine as layers would (1 − Π(1 − α)), whatever
 * their order. Pixels no face reaches keep their samples exactly, as does alpha everywhere; 8-, 16-bit
 * and float images, gray (the faces' luma) or RGB.
 */
export function pasteFaces(image: PixelImage, faces: readonly FacePaste[]): PixelImage {
  const { width, height, channels, maxValue, bitDepth } = image;
  const out: PixelImage = { ...image, data: image.data.slice() };
  const layers = faces.map((face) => layerOf(face, width, height)).filter((layer): layer is Layer => layer !== undefined);
  const colour = channels >= 3;
  const isFloat = bitDepth === 32;
  const mixed = new Float32Array(3);
  for (const [index, layer] of layers.entries()) {
    const { rect } = layer;
    for (let y = rect.y; y < rect.y + rect.height; y++) {
      for (let x = rect.x; x < rect.x + rect.width; x++) {
        // A pixel under several faces is written once, by the first whose layer holds it.
        if (heldByEarlier(layers, index, x, y)) continue;
        let keep = 1;
        let opacity = 0;
        mixed.fill(0);
        for (let j = index; j < layers.length; j++) {
          const other = layers[j];
          if (!contains(other.rect, x, y)) continue;
          const i = (y - other.rect.y) * other.rect.width + (x - other.rect.x);
          const a = other.alpha[i];
          if (a === 0) continue;
          keep *= 1 - a;
          opacity += a;
          for (let c = 0; c < 3; c++) mixed[c] += a * other.rgb[i * 3 + c];
        }
        if (opacity === 0) continue;
        const cover = 1 - keep;
        const p = (y * width + x) * channels;
        const write = (offset: number, restored: number) => {
          const value = (out.data[offset] / maxValue) * keep + (restored / opacity) * cover;
          out.data[offset] = isFloat ? value * maxValue : quantize(value * maxValue, maxValue);
        };
        if (colour) for (let c = 0; c < 3; c++) write(p + c, mixed[c]);
        else write(p, LUMA[0] * mixed[0] + LUMA[1] * mixed[1] + LUMA[2] * mixed[2]);
      }
    }
  }
  return out;
}

/** Where a face is pasted: its region in the coordinates of its crop, and how image pixels map there. */
export interface PasteRegion {
  toCrop: Similarity;
  /** The crop's side. */
  side: number;
  region: FaceRegion;
}

/**
 * The pasted faces' mask over a width×height image (one channel, 8-bit): 255 wherever a face's region
 * has weight, so `pasteFaces` may have written there, 0 where every sample is the original's. A layer of
 * the pasted image under this mask shows the faces and hides everything else.
 */
export function pasteMask(width: number, height: number, faces: readonly PasteRegion[]): PixelImage {
  const mask = createImage(width, height, 1, 8);
  for (const { toCrop, side, region } of faces) {
    const rect = footprint(toCrop, side, width, height);
    if (!rect) continue;
    for (let y = rect.y; y < rect.y + rect.height; y++) {
      for (let x = rect.x; x < rect.x + rect.width; x++) {
        const p = applySimilarity(toCrop, { x, y });
        if (regionWeight(region, p.x, p.y) > 0) mask.data[y * width + x] = 255;
      }
    }
  }
  return mask;
}
