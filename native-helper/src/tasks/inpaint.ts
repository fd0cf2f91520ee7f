import { MendError, throwIfCancelled } from '../errors';
import { holeOf, shrinkHole } from '../imaging/mask';
import { labelRegions, regionHalfWidth } from '../imaging/mask-regions';
import { planInpaintWindows, type InpaintWindow, type WindowPlanOptions } from '../imaging/mask-windows';
import { LUMA } from '../imaging/luma';
import type { PixelImage } from '../imaging/pixel-image';
import type { Rect } from '../imaging/rect';
import { Resampler } from '../imaging/resample';
import { quantize } from '../imaging/sample-conversion';

/** One window's pixels: RGB interleaved as floats (0..1 is black..white) and its hole (1 = fill). */
export interface HoleWindow {
  width: number;
  height: number;
  rgb: Float32Array;
  hole: Uint8Array;
}

/** What fills holes: a model through the engine, or a naive fill the measurements compare with. */
export interface HoleFiller {
  id: string;
  /** Longest window side it works at; larger windows are filled at reduced scale. */
  workingSide: number;
  /** Windows are grown to this side where the image allows (a fixed-size model's side). */
  minSide: number;
  /** Returns RGB of the window's size; only the values inside the hole are used. */
  fill(window: HoleWindow): Promise<Float32Array>;
}

export interface InpaintContext {
  signal: AbortSignal;
  onWindow(done: number, total: number): void;
}

/**
 * Context around each hole: proportional to its half width (a scratch needs a narrow band, a blob
 * a wide ring), never under 16 pixels.
 */
const CONTEXT_MARGIN = { marginFloor: 16, marginPerHalfWidth: 3 } as const;

function readWindow(image: PixelImage, rect: Rect): Float32Array {
  const { width, channels, data, maxValue } = image;
  const rgb = new Float32Array(rect.width * rect.height * 3);
  const gray = channels <= 2;
  const scale = 1 / maxValue;
  for (let y = 0, o = 0; y < rect.height; y++) {
    for (let x = 0; x < rect.width; x++, o += 3) {
      const s = ((rect.y + y) * width + rect.x + x) * channels;
      rgb[o] = data[s] * scale;
      rgb[o + 1] = data[gray ? s : s + 1] * scale;
      rgb[o + 2] = data[gray ? s : s + 2] * scale;
    }
  }
  return rgb;
}

function holeInside(hole: Uint8Array, imageWidth: number, rect: Rect): Uint8Array {
  const out = new Uint8Array(rect.width * rect.height);
  for (let y = 0; y < rect.height; y++) out.set(hole.subarray((rect.y + y) * imageWidth + rect.x, (rect.y + y) * imageWidth + rect.x + rect.width), y * rect.width);
  return out;
}

function resampleRgb(rgb: Float32Array, width: number, height: number, dstWidth: number, dstHeight: number): Float32Array {
  const src: PixelImage = { width, height, channels: 3, bitDepth: 32, maxValue: 1, data: rgb };
  const dst: PixelImage = { width: dstWidth, height: dstHeight, channels: 3, bitDepth: 32, maxValue: 1, data: new Float32Array(dstWidth * dstHeight * 3) };
  new Resampler(width, height, dstWidth, dstHeight).resampleRows(
    src,
    dst,
    [
      [0, 0],
      [1, 1],
      [2, 2],
    ],
    0,
    dstHeight,
  );
  return dst.data as Float32Array;
}

/** Fills one window, at reduced scale when it is larger than the filler's working side. */
async function fillWindow(image: PixelImage, hole: Uint8Array, rect: Rect, filler: HoleFiller): Promise<Float32Array> {
  const rgb = readWindow(image, rect);
  const windowHole = holeInside(hole, image.width, rect);
  const longest = Math.max(rect.width, rect.height);
  if (longest <= filler.workingSide) return filler.fill({ width: rect.width, height: rect.height, rgb, hole: windowHole });
  const factor = filler.workingSide / longest;
  const width = Math.max(1, Math.round(rect.width * factor));
  const height = Math.max(1, Math.round(rect.height * factor));
  const small = { width, height, rgb: resampleRgb(rgb, rect.width, rect.height, width, height), hole: shrinkHole(windowHole, rect.width, rect.height, width, height) };
  return resampleRgb(await filler.fill(small), width, height, rect.width, rect.height);
}

/**
 * Writes the fill into the window's own pixels (region `label` inside `core`), blended by the
 * mask's value: a soft selection edge fades from the fill to the original. Nothing else is written.
 */
function paste(out: PixelImage, mask: PixelImage, labels: Int32Array, window: InpaintWindow, fill: Float32Array): void {
  const { width, channels, maxValue } = out;
  const { rect, core, label } = window;
  const gray = channels <= 2;
  const isFloat = out.bitDepth === 32;
  const data = out.data;
  for (let y = core.y; y < core.y + core.height; y++) {
    for (let x = core.x; x < core.x + core.width; x++) {
      const i = y * width + x;
      if (labels[i] !== label) continue;
      const weight = Math.min(1, mask.data[i] / mask.maxValue);
      const f = ((y - rect.y) * rect.width + (x - rect.x)) * 3;
      const s = i * channels;
      const targets = gray ? [LUMA[0] * fill[f] + LUMA[1] * fill[f + 1] + LUMA[2] * fill[f + 2]] : [fill[f], fill[f + 1], fill[f + 2]];
      for (let c = 0; c < targets.length; c++) {
        const value = data[s + c] + weight * (targets[c] * maxValue - data[s + c]);
        data[s + c] = isFloat ? value : quantize(value, maxValue);
      }
    }
  }
}

function windowPlanOptions(filler: HoleFiller): WindowPlanOptions {
  return { workingSide: filler.workingSide, minSide: Math.min(filler.minSide, filler.workingSide), ...CONTEXT_MARGIN };
}

/**
 * Fills the image where the mask is non-zero, one connected region at a time with context around
 * it; pixels where the mask is zero come back byte-identical. Alpha is kept as it was.
 */
export async function inpaintImage(image: PixelImage, mask: PixelImage, filler: HoleFiller, context: InpaintContext): Promise<{ image: PixelImage; windows: number }> {
  if (mask.channels !== 1 || mask.width !== image.width || mask.height !== image.height) {
    throw new MendError('bad_input', `the mask must be one channel of ${image.width}×${image.height} (the image's size), not ${mask.width}×${mask.height}×${mask.channels}`);
  }
  const { width, height } = image;
  const out: PixelImage = { ...image, data: image.data.slice() };
  const hole = holeOf(mask);
  const { labels, regions } = labelRegions(hole, width, height);
  const holes = regions.map((r) => ({ label: r.label, bounds: r.bounds, halfWidth: regionHalfWidth(labels, width, height, r) }));
  const hasPixels = (label: number, r: Rect) => {
    for (let y = r.y; y < r.y + r.height; y++) for (let x = r.x; x < r.x + r.width; x++) if (labels[y * width + x] === label) return true;
    return false;
  };
  const windows = planInpaintWindows(holes, width, height, windowPlanOptions(filler), hasPixels);
  context.onWindow(0, windows.length);
  for (const [i, window] of windows.entries()) {
    throwIfCancelled(context.signal);
    paste(out, mask, labels, window, await fillWindow(image, hole, window.rect, filler));
    context.onWindow(i + 1, windows.length);
  }
  return { image: out, windows: windows.length };
}
