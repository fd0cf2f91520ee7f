import { createImage, type PixelImage } from './pixel-image';
import { labelRegions } from './mask-regions';

export interface DefectDetectionOptions {
  /** 0..1, default 0.5: higher finds fainter and larger defects, at the cost of more false alarms. */
  sensitivity: number;
}

/** Widest defect the morphology isolates: scratches up to ~7 px and dust up to ~9 px across. */
const ELEMENT_RADIUS = 5;
/** Side of the box over which the typical local response (texture) is measured. */
const TEXTURE_WINDOW = 31;
/** Pixels added around what was found, so a fill also covers the defect's soft edge. */
const GROWTH = 1;

/** Gray levels in 0..1 (Rec. 601 luma); fully transparent pixels are marked in `opaque`. */
function lumaOf(image: PixelImage): { luma: Float32Array; opaque: Uint8Array } {
  const { channels, data, maxValue } = image;
  const pixels = image.width * image.height;
  const luma = new Float32Array(pixels);
  const opaque = new Uint8Array(pixels).fill(1);
  const gray = channels <= 2;
  const alpha = channels === 2 || channels === 4 ? channels - 1 : -1;
  for (let p = 0, s = 0; p < pixels; p++, s += channels) {
    luma[p] = (gray ? data[s] : 0.299 * data[s] + 0.587 * data[s + 1] + 0.114 * data[s + 2]) / maxValue;
    if (alpha >= 0 && data[s + alpha] === 0) opaque[p] = 0;
  }
  return { luma, opaque };
}

/**
 * Running minimum (or maximum) over a window of `2r+1` samples along one axis, in O(1) per sample
 * (van Herk / Gil-Werman: prefix and suffix extremes per block of the window's length).
 */
function extremeAlong(src: Float32Array, width: number, height: number, r: number, horizontal: boolean, max: boolean): Float32Array {
  const out = new Float32Array(src.length);
  const length = horizontal ? width : height;
  const lines = horizontal ? height : width;
  const step = horizontal ? 1 : width;
  const span = 2 * r + 1;
  const pick = max ? Math.max : Math.min;
  const prefix = new Float32Array(length);
  const suffix = new Float32Array(length);
  for (let line = 0; line < lines; line++) {
    const base = horizontal ? line * width : line;
    for (let i = 0; i < length; i++) prefix[i] = i % span === 0 ? src[base + i * step] : pick(prefix[i - 1], src[base + i * step]);
    for (let i = length - 1; i >= 0; i--) suffix[i] = i === length - 1 || (i + 1) % span === 0 ? src[base + i * step] : pick(suffix[i + 1], src[base + i * step]);
    for (let i = 0; i < length; i++) {
      const lo = Math.max(0, i - r);
      const hi = Math.min(length - 1, i + r);
      out[base + i * step] = pick(suffix[lo], prefix[hi]);
    }
  }
  return out;
}

function squareExtreme(src: Float32Array, width: number, height: number, r: number, max: boolean): Float32Array {
  return extremeAlong(extremeAlong(src, width, height, r, true, max), width, height, r, false, max);
}

/** How far each pixel stands out from its surroundings as a thin or small feature: black-hat (dark) + top-hat (bright). */
function thinFeatureResponse(luma: Float32Array, width: number, height: number): Float32Array {
  const r = ELEMENT_RADIUS;
  const closing = squareExtreme(squareExtreme(luma, width, height, r, true), width, height, r, false);
  const opening = squareExtreme(squareExtreme(luma, width, height, r, false), width, height, r, true);
  const response = new Float32Array(luma.length);
  for (let i = 0; i < luma.length; i++) response[i] = Math.max(closing[i] - luma[i], luma[i] - opening[i]);
  return response;
}

/** Mean of `values` over a (2r+1)² box around each pixel, clipped at the borders (summed-area table). */
function boxMean(values: Float32Array, width: number, height: number, r: number): Float32Array {
  const table = new Float64Array((width + 1) * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += values[y * width + x];
      table[(y + 1) * (width + 1) + x + 1] = table[y * (width + 1) + x + 1] + row;
    }
  }
  const out = new Float32Array(values.length);
  for (let y = 0; y < height; y++) {
    const y0 = Math.max(0, y - r);
    const y1 = Math.min(height, y + r + 1);
    for (let x = 0; x < width; x++) {
      const x0 = Math.max(0, x - r);
      const x1 = Math.min(width, x + r + 1);
      const sum = table[y1 * (width + 1) + x1] - table[y0 * (width + 1) + x1] - table[y1 * (width + 1) + x0] + table[y0 * (width + 1) + x0];
      out[y * width + x] = sum / ((y1 - y0) * (x1 - x0));
    }
  }
  return out;
}

/** Median of the response: the image's typical level of fine texture and noise. */
function median(values: Float32Array): number {
  const bins = new Uint32Array(1024);
  for (const v of values) bins[Math.min(1023, Math.floor(v * 1023))]++;
  let seen = 0;
  for (let b = 0; b < bins.length; b++) {
    seen += bins[b];
    if (seen * 2 >= values.length) return b / 1023;
  }
  return 0;
}

/** Width of the ring around a component where its surroundings are measured. */
const RING = 3;

/**
 * Keeps the components that look like dust or scratches: small spots or thin lines (long for their
 * area) that stand out from a quiet ring around them. Texture (foliage, hair, brick) breaks into
 * small pieces too, but their surroundings respond almost as strongly as they do.
 */
function keepDefectShapes(candidate: Uint8Array, response: Float32Array, width: number, height: number, limits: { maxSpotArea: number; maxLineWidth: number; isolation: number }): Uint8Array {
  const { labels, regions } = labelRegions(candidate, width, height);
  const nearLabel = squareExtreme(Float32Array.from(labels), width, height, RING, true);
  const inside = new Float64Array(regions.length + 1);
  const ring = new Float64Array(regions.length + 1);
  const ringCount = new Uint32Array(regions.length + 1);
  for (let i = 0; i < labels.length; i++) {
    if (labels[i]) inside[labels[i]] += response[i];
    else if (nearLabel[i]) {
      ring[nearLabel[i]] += response[i];
      ringCount[nearLabel[i]]++;
    }
  }
  const keep = new Uint8Array(regions.length + 1);
  for (const region of regions) {
    const { bounds, area, label } = region;
    const length = Math.hypot(bounds.width, bounds.height);
    const spot = area <= limits.maxSpotArea;
    const line = length >= 4 * limits.maxLineWidth && area / length <= limits.maxLineWidth;
    const quietAround = inside[label] / area >= limits.isolation * (ring[label] / Math.max(1, ringCount[label]));
    keep[label] = (spot || line) && quietAround ? 1 : 0;
  }
  const out = new Uint8Array(candidate.length);
  for (let i = 0; i < out.length; i++) out[i] = keep[labels[i]];
  return out;
}

/** The defect mask of a photo: one channel, 8-bit, 255 = defect (slightly grown so a fill covers the defect's soft edge), 0 = clean. */
export function detectDefects(image: PixelImage, options: DefectDetectionOptions): PixelImage {
  const { width, height } = image;
  const sensitivity = Math.min(1, Math.max(0, options.sensitivity));
  const { luma, opaque } = lumaOf(image);
  const response = thinFeatureResponse(luma, width, height);
  const texture = boxMean(response, width, height, TEXTURE_WINDOW >> 1);
  const noise = median(response);
  // Lower thresholds with sensitivity: a defect must stand out from both the image's noise and its local texture.
  const contrast = 0.28 - 0.16 * sensitivity;
  const overTexture = 4 - 2 * sensitivity;
  const overNoise = 8 - 4 * sensitivity;
  const strong = new Uint8Array(luma.length);
  for (let i = 0; i < luma.length; i++) {
    const threshold = Math.max(contrast, overTexture * texture[i], overNoise * noise);
    strong[i] = opaque[i] && response[i] > threshold ? 1 : 0;
  }
  const found = keepDefectShapes(strong, response, width, height, {
    maxSpotArea: Math.round(40 + 120 * sensitivity),
    maxLineWidth: 6 + 2 * sensitivity,
    isolation: 6 - 3 * sensitivity,
  });
  const grown = squareExtreme(Float32Array.from(found), width, height, GROWTH, true);
  const mask = createImage(width, height, 1, 8);
  for (let i = 0; i < grown.length; i++) mask.data[i] = grown[i] > 0 ? 255 : 0;
  return mask;
}
