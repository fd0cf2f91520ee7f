import { lumaAt } from './luma';
import { growHole } from './mask';
import { createImage, type PixelImage } from './pixel-image';
import { labelRegions } from './mask-regions';

export interface DefectDetectionOptions {
  /** 0..1, default 0.5: higher finds fainter and larger defects, at the cost of more false alarms. */
  sensitivity: number;
}

/** Widest defect the morphology isolates: scratches up to ~7 px and dust up to ~10 px across. */
const ELEMENT_RADIUS = 5;
/** Side of the blocks over which the typical response (noise and fine texture) is measured. */
const NOISE_BLOCK = 32;
/** Below this the measured noise is quantisation, not texture: half a step more than 8-bit's. */
const NOISE_FLOOR = 1.5 / 255;
/** Line orientations tried, evenly over 180°: a 1-px scratch stays inside its grown band for ~30 px. */
const ORIENTATIONS = 16;
/** Widest a line may be across (in its grown band) and still count as a scratch rather than a patch of texture. */
const MAX_LINE_BAND = 10;
/** Pixels a connected band of thin features may hold per pixel of its extent: room for two crossing scratches, not a mesh. */
const MAX_BAND_AREA_PER_LENGTH = 16;
/** Width of the ring around a spot where its surroundings are measured. */
const RING = 3;
/** Pixels added around what was found, so a fill also covers the defect's soft edge. */
const GROWTH = 1;

/** Gray levels in 0..1 (Rec. 601 luma); fully transparent pixels are marked in `opaque`. */
function lumaOf(image: PixelImage): { luma: Float32Array; opaque: Uint8Array } {
  const { channels, data, maxValue } = image;
  const pixels = image.width * image.height;
  const luma = new Float32Array(pixels);
  const opaque = new Uint8Array(pixels).fill(1);
  const alpha = channels === 2 || channels === 4 ? channels - 1 : -1;
  for (let p = 0, s = 0; p < pixels; p++, s += channels) {
    luma[p] = lumaAt(data, s, channels) / maxValue;
    if (alpha >= 0 && data[s + alpha] === 0) opaque[p] = 0;
  }
  return { luma, opaque };
}

/**
 * Running minimum (or maximum) over `2r+1` samples along each row, in O(1) per sample (van Herk /
 * Gil-Werman: prefix and suffix extremes per block of the window's length). Negating turns the
 * minimum into a maximum, so one comparison serves both.
 */
function extremeAlongRows(src: Float32Array, width: number, r: number, sign: number): Float32Array {
  const out = new Float32Array(src.length);
  const span = 2 * r + 1;
  const prefix = new Float32Array(width);
  const suffix = new Float32Array(width);
  for (let base = 0; base < src.length; base += width) {
    for (let i = 0; i < width; i++) {
      const v = sign * src[base + i];
      prefix[i] = i % span === 0 || v > prefix[i - 1] ? v : prefix[i - 1];
    }
    for (let i = width - 1; i >= 0; i--) {
      const v = sign * src[base + i];
      suffix[i] = i === width - 1 || (i + 1) % span === 0 || v > suffix[i + 1] ? v : suffix[i + 1];
    }
    for (let i = 0; i < width; i++) {
      const a = suffix[i < r ? 0 : i - r];
      const b = prefix[i + r >= width ? width - 1 : i + r];
      out[base + i] = sign * (a > b ? a : b);
    }
  }
  return out;
}

/** The same down the columns, a whole row at a time so memory is read in order. */
function extremeAlongColumns(src: Float32Array, width: number, height: number, r: number, sign: number): Float32Array {
  const span = 2 * r + 1;
  // The prefix extremes are built in `out` and replaced by the result row by row: row y reads prefix row y + r, not yet replaced.
  const out = new Float32Array(src.length);
  const suffix = new Float32Array(src.length);
  for (let y = 0, row = 0; y < height; y++, row += width) {
    for (let x = 0; x < width; x++) {
      const v = sign * src[row + x];
      out[row + x] = y % span === 0 || v > out[row - width + x] ? v : out[row - width + x];
    }
  }
  for (let y = height - 1, row = y * width; y >= 0; y--, row -= width) {
    for (let x = 0; x < width; x++) {
      const v = sign * src[row + x];
      suffix[row + x] = y === height - 1 || (y + 1) % span === 0 || v > suffix[row + width + x] ? v : suffix[row + width + x];
    }
  }
  for (let y = 0; y < height; y++) {
    const above = (y < r ? 0 : y - r) * width;
    const below = (y + r >= height ? height - 1 : y + r) * width;
    for (let x = 0; x < width; x++) {
      const a = suffix[above + x];
      const b = out[below + x];
      out[y * width + x] = sign * (a > b ? a : b);
    }
  }
  return out;
}

function squareExtreme(src: Float32Array, width: number, height: number, r: number, max: boolean): Float32Array {
  const sign = max ? 1 : -1;
  return extremeAlongColumns(extremeAlongRows(src, width, r, sign), width, height, r, sign);
}

/** How far each pixel stands out from its surroundings as a thin or small feature: black-hat (dark) or top-hat (bright). */
function thinFeatureResponse(luma: Float32Array, width: number, height: number): Float32Array {
  const r = ELEMENT_RADIUS;
  const closing = squareExtreme(squareExtreme(luma, width, height, r, true), width, height, r, false);
  const response = new Float32Array(luma.length);
  for (let i = 0; i < luma.length; i++) response[i] = closing[i] - luma[i];
  const opening = squareExtreme(squareExtreme(luma, width, height, r, false), width, height, r, true);
  for (let i = 0; i < luma.length; i++) response[i] = Math.max(response[i], luma[i] - opening[i]);
  return response;
}

/**
 * The typical response around each pixel: the median over blocks, interpolated between block
 * centres. A median ignores the few pixels a defect takes of a block, so a scratch does not hide
 * itself by raising its own threshold, while texture (foliage, hair, brick) raises it.
 */
function localNoise(response: Float32Array, opaque: Uint8Array, width: number, height: number): Float32Array {
  const bins = 1024;
  const top = 0.25;
  const columns = Math.ceil(width / NOISE_BLOCK);
  const rows = Math.ceil(height / NOISE_BLOCK);
  const medians = new Float32Array(columns * rows);
  const histogram = new Uint32Array(bins);
  for (let by = 0; by < rows; by++) {
    for (let bx = 0; bx < columns; bx++) {
      histogram.fill(0);
      let count = 0;
      for (let y = by * NOISE_BLOCK; y < Math.min(height, (by + 1) * NOISE_BLOCK); y++) {
        for (let x = bx * NOISE_BLOCK; x < Math.min(width, (bx + 1) * NOISE_BLOCK); x++) {
          if (!opaque[y * width + x]) continue;
          histogram[Math.min(bins - 1, Math.floor((response[y * width + x] / top) * bins))]++;
          count++;
        }
      }
      let bin = 0;
      let seen = histogram[0];
      while (bin < bins - 1 && seen * 2 < count) seen += histogram[++bin];
      medians[by * columns + bx] = Math.max(NOISE_FLOOR, ((bin + 0.5) / bins) * top);
    }
  }
  const noise = new Float32Array(response.length);
  const along = (position: number, cells: number) => {
    const f = Math.min(cells - 1, Math.max(0, (position + 0.5) / NOISE_BLOCK - 0.5));
    const first = Math.floor(f);
    return { first, second: Math.min(cells - 1, first + 1), t: f - first };
  };
  for (let y = 0; y < height; y++) {
    const v = along(y, rows);
    for (let x = 0; x < width; x++) {
      const u = along(x, columns);
      const upper = medians[v.first * columns + u.first] * (1 - u.t) + medians[v.first * columns + u.second] * u.t;
      const lower = medians[v.second * columns + u.first] * (1 - u.t) + medians[v.second * columns + u.second] * u.t;
      noise[y * width + x] = upper * (1 - v.t) + lower * v.t;
    }
  }
  return noise;
}

/**
 * For every pixel of `mask`, the length of the run of mask pixels it lies on along the digital line
 * of direction `angle` through it (0 off the mask), capped at 65535.
 */
function runLengths(mask: Uint8Array, width: number, height: number, angle: number): Uint16Array {
  const runs = new Uint16Array(mask.length);
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  // Step one pixel along the major axis and round the minor one, so every pixel lies on exactly one line.
  const alongX = Math.abs(cos) >= Math.abs(sin);
  const major = alongX ? width : height;
  const minor = alongX ? height : width;
  const slope = alongX ? sin / cos : cos / sin;
  const shift = new Int32Array(major);
  for (let i = 0; i < major; i++) shift[i] = Math.round(i * slope);
  const lowest = Math.min(0, shift[major - 1]);
  const highest = Math.max(0, shift[major - 1]);
  const majorStride = alongX ? 1 : width;
  const minorStride = alongX ? width : 1;
  for (let start = -highest; start < minor - lowest; start++) {
    let runStart = -1;
    for (let i = 0; i <= major; i++) {
      const j = start + (i < major ? shift[i] : 0);
      const on = i < major && j >= 0 && j < minor && mask[i * majorStride + j * minorStride] === 1;
      if (on && runStart < 0) runStart = i;
      if (!on && runStart >= 0) {
        const length = Math.min(65535, i - runStart);
        for (let k = runStart; k < i; k++) runs[k * majorStride + (start + shift[k]) * minorStride] = length;
        runStart = -1;
      }
    }
  }
  return runs;
}

/**
 * The pixels of `band` that lie on a long straight run in some direction while the band is narrow
 * across that direction: scratches, but not patches of texture (long runs every way).
 */
function lineSupport(band: Uint8Array, width: number, height: number, minLength: number): Uint8Array {
  const support = new Uint8Array(band.length);
  const half = ORIENTATIONS / 2;
  for (let o = 0; o < half; o++) {
    const angle = (o * Math.PI) / ORIENTATIONS;
    const first = runLengths(band, width, height, angle);
    const second = runLengths(band, width, height, angle + Math.PI / 2);
    for (let i = 0; i < band.length; i++) {
      if ((first[i] >= minLength && second[i] <= MAX_LINE_BAND) || (second[i] >= minLength && first[i] <= MAX_LINE_BAND)) support[i] = 1;
    }
  }
  return support;
}

interface Thresholds {
  /** Least response (fraction of white) of a defect's core pixel, and of any of its pixels. */
  strongContrast: number;
  weakContrast: number;
  /** Least response over the local noise, for a core pixel and for any pixel. */
  strongOverNoise: number;
  weakOverNoise: number;
  minLineLength: number;
  /** Shortest extent of a scratch: thin highlights and edges in photos are mostly short. */
  minScratchExtent: number;
  /** Share of a line's pixels that must be core pixels. */
  minStrongShare: number;
  maxSpotArea: number;
  maxSpotSide: number;
  /** How many times its surroundings' response a spot's mean response must be. */
  isolation: number;
}

/**
 * Sensitivity 0..1 to thresholds, each loosening steadily with it (0.5 is the measured default), so
 * a higher sensitivity finds (almost always) a superset.
 */
function thresholdsFor(sensitivity: number, diagonal: number): Thresholds {
  const loosen = sensitivity - 0.5;
  const strongContrast = 0.2 * (1 - 1.1 * loosen);
  const strongOverNoise = 8 * (1 - loosen);
  const minLineLength = Math.round(24 * (1 - loosen));
  return {
    strongContrast,
    weakContrast: strongContrast * 0.6,
    strongOverNoise,
    weakOverNoise: strongOverNoise * 0.5,
    minLineLength,
    minScratchExtent: Math.max(minLineLength, Math.min(160, 0.08 * (1 - 1.5 * loosen) * diagonal)),
    minStrongShare: 0.12 * (1 - loosen),
    maxSpotArea: Math.round(40 + 80 * sensitivity),
    maxSpotSide: Math.round(10 + 4 * sensitivity),
    isolation: 3.5 * (1 - 0.8 * loosen),
  };
}

/** Long thin runs of the weak mask that hold enough core pixels. */
function findScratches(weak: Uint8Array, strong: Uint8Array, width: number, height: number, limits: Thresholds): Uint8Array {
  // A 1-px scratch wanders off any of the sampled directions; its grown band does not.
  const band = growHole(weak, width, height, 1);
  const lines = labelRegions(lineSupport(band, width, height, limits.minLineLength), width, height);
  const weakCount = new Uint32Array(lines.regions.length + 1);
  const strongCount = new Uint32Array(lines.regions.length + 1);
  for (let i = 0; i < band.length; i++) {
    const label = lines.labels[i];
    if (!label || !weak[i]) continue;
    weakCount[label]++;
    if (strong[i]) strongCount[label]++;
  }
  const keepLine = new Uint8Array(lines.regions.length + 1);
  for (const { label, bounds } of lines.regions) {
    const long = Math.hypot(bounds.width, bounds.height) >= limits.minScratchExtent;
    keepLine[label] = long && strongCount[label] >= limits.minStrongShare * weakCount[label] ? 1 : 0;
  }
  // A mesh of thin lines (brick mortar, window bars, branches) is one band far fuller than its extent; the lines
  // within it are cut apart at the junctions, so it is judged whole.
  const bands = labelRegions(band, width, height);
  const keepBand = Uint8Array.from({ length: bands.regions.length + 1 }, () => 0);
  for (const { label, area, bounds } of bands.regions) keepBand[label] = area <= MAX_BAND_AREA_PER_LENGTH * Math.hypot(bounds.width, bounds.height) ? 1 : 0;
  const out = new Uint8Array(weak.length);
  for (let i = 0; i < out.length; i++) out[i] = keepLine[lines.labels[i]] & keepBand[bands.labels[i]] & weak[i];
  return out;
}

/**
 * Small compact spots of core pixels that stand out from a quiet ring around them. Texture breaks
 * into small pieces too, but their surroundings respond almost as strongly as they do.
 */
function findSpots(strong: Uint8Array, response: Float32Array, width: number, height: number, limits: Thresholds): Uint8Array {
  const { labels, regions } = labelRegions(strong, width, height);
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
  for (const { bounds, area, label } of regions) {
    const small = area <= limits.maxSpotArea && Math.max(bounds.width, bounds.height) <= limits.maxSpotSide;
    const quietAround = inside[label] / area >= limits.isolation * (ring[label] / Math.max(1, ringCount[label]));
    keep[label] = small && quietAround ? 1 : 0;
  }
  const out = new Uint8Array(strong.length);
  for (let i = 0; i < out.length; i++) out[i] = keep[labels[i]];
  return out;
}

/** The defect mask of a photo: one channel, 8-bit, 255 = defect (slightly grown so a fill covers the defect's soft edge), 0 = clean. */
export function detectDefects(image: PixelImage, options: DefectDetectionOptions): PixelImage {
  const { width, height } = image;
  const limits = thresholdsFor(Math.min(1, Math.max(0, options.sensitivity)), Math.hypot(width, height));
  const { luma, opaque } = lumaOf(image);
  const response = thinFeatureResponse(luma, width, height);
  const noise = localNoise(response, opaque, width, height);
  const strong = new Uint8Array(luma.length);
  const weak = new Uint8Array(luma.length);
  for (let i = 0; i < luma.length; i++) {
    if (!opaque[i]) continue;
    strong[i] = response[i] > Math.max(limits.strongContrast, limits.strongOverNoise * noise[i]) ? 1 : 0;
    weak[i] = response[i] > Math.max(limits.weakContrast, limits.weakOverNoise * noise[i]) ? 1 : 0;
  }
  const scratches = findScratches(weak, strong, width, height, limits);
  const spots = findSpots(strong, response, width, height, limits);
  const found = new Uint8Array(luma.length);
  for (let i = 0; i < found.length; i++) found[i] = scratches[i] | spots[i];
  const grown = growHole(found, width, height, GROWTH);
  const mask = createImage(width, height, 1, 8);
  for (let i = 0; i < grown.length; i++) mask.data[i] = grown[i] && opaque[i] ? 255 : 0;
  return mask;
}
