import { colorChannels, maxSample, notModeled, type DocumentRecord, type LayerRecord, type Samples } from './model';

export interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export const EMPTY_RECT: Rect = { left: 0, top: 0, right: 0, bottom: 0 };

export function isEmptyRect(rect: Rect): boolean {
  return rect.right <= rect.left || rect.bottom <= rect.top;
}

export function intersect(a: Rect, b: Rect): Rect {
  const rect = { left: Math.max(a.left, b.left), top: Math.max(a.top, b.top), right: Math.min(a.right, b.right), bottom: Math.min(a.bottom, b.bottom) };
  return isEmptyRect(rect) ? EMPTY_RECT : rect;
}

function union(a: Rect, b: Rect): Rect {
  if (isEmptyRect(a)) return b;
  if (isEmptyRect(b)) return a;
  return { left: Math.min(a.left, b.left), top: Math.min(a.top, b.top), right: Math.max(a.right, b.right), bottom: Math.max(a.bottom, b.bottom) };
}

export function canvasRect(document: DocumentRecord): Rect {
  return { left: 0, top: 0, right: document.width, bottom: document.height };
}

export function newSamples(depth: 8 | 16, length: number): Samples {
  return depth === 16 ? new Uint16Array(length) : new Uint8Array(length);
}

export function documentDepth(document: DocumentRecord): 8 | 16 {
  if (document.depth === 32) notModeled('32-bit pixels');
  return document.depth;
}

/**
 * Bounding box of the pixels where `isSet(index)` holds, over a canvas of `width` × `height`. Scans inward
 * from each edge, so an opaque 100-megapixel layer costs a few thousand tests, not a hundred million.
 */
function boundingBox(width: number, height: number, isSet: (pixel: number) => boolean): Rect {
  const rowHas = (y: number) => {
    for (let x = 0; x < width; x++) if (isSet(y * width + x)) return true;
    return false;
  };
  let top = 0;
  while (top < height && !rowHas(top)) top++;
  if (top === height) return EMPTY_RECT;
  let bottom = height;
  while (!rowHas(bottom - 1)) bottom--;
  const columnHas = (x: number) => {
    for (let y = top; y < bottom; y++) if (isSet(y * width + x)) return true;
    return false;
  };
  let left = 0;
  while (!columnHas(left)) left++;
  let right = width;
  while (!columnHas(right - 1)) right--;
  return { left, top, right, bottom };
}

/** Where a layer has pixels (alpha > 0): what Photoshop reports as its bounds. Groups: their children's. */
export function layerPixelBounds(document: DocumentRecord, layer: LayerRecord): Rect {
  if (layer.children) return layer.children.reduce((rect, child) => union(rect, layerPixelBounds(document, child)), EMPTY_RECT);
  const raster = layer.raster;
  if (!raster) return EMPTY_RECT;
  const components = colorChannels(document.mode) + 1;
  return boundingBox(document.width, document.height, (pixel) => raster[pixel * components + components - 1] > 0);
}

export function maskBounds(width: number, height: number, mask: Uint8Array): Rect {
  return boundingBox(width, height, (pixel) => mask[pixel] > 0);
}

/** Samples of `rect` from a full-canvas buffer of `components` per pixel, keeping the first `keep` of them. */
export function cropSamples(source: Samples, canvasWidth: number, components: number, rect: Rect, keep = components): Samples {
  const width = rect.right - rect.left;
  const height = rect.bottom - rect.top;
  const out = source instanceof Uint16Array ? new Uint16Array(width * height * keep) : new Uint8Array(width * height * keep);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const from = ((rect.top + y) * canvasWidth + rect.left + x) * components;
      const to = (y * width + x) * keep;
      for (let c = 0; c < keep; c++) out[to + c] = source[from + c];
    }
  }
  return out;
}

export function convertDepth(samples: Samples, to: 8 | 16): Samples {
  const from = samples instanceof Uint16Array ? 16 : 8;
  if (from === to) return samples.slice();
  const out = newSamples(to, samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = Math.round((samples[i] * maxSample(to)) / maxSample(from));
  return out;
}

/**
 * The document's composite over `rect`, color channels + alpha, at the document's depth. Only what Mend's
 * tests build is composited: visible pixel layers in normal mode (with opacity and masks) inside groups.
 */
export function compositeSamples(document: DocumentRecord, rect: Rect): Samples {
  const channels = colorChannels(document.mode);
  const components = channels + 1;
  const max = maxSample(documentDepth(document));
  const width = rect.right - rect.left;
  const height = rect.bottom - rect.top;
  const color = new Float64Array(width * height * channels);
  const alpha = new Float64Array(width * height);

  /** `inheritedOpacity`: the product of the enclosing groups' opacities, 0..1. */
  const paint = (layer: LayerRecord, inheritedOpacity: number): void => {
    if (!layer.visible) return;
    const opacity = (inheritedOpacity * layer.opacity) / 100;
    if (layer.children) {
      if (layer.blendMode !== 'passThrough' && layer.blendMode !== 'normal') notModeled(`compositing a group in ${layer.blendMode} mode`);
      for (const child of [...layer.children].reverse()) paint(child, opacity);
      return;
    }
    if (layer.kind !== 'pixel' || !layer.raster) notModeled(`compositing a ${layer.kind} layer`);
    if (layer.blendMode !== 'normal') notModeled(`compositing in ${layer.blendMode} mode`);
    const raster = layer.raster;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const pixel = (rect.top + y) * document.width + rect.left + x;
        const maskShown = layer.mask ? layer.mask[pixel] / 255 : 1;
        const over = (raster[pixel * components + channels] / max) * opacity * maskShown;
        if (over === 0) continue;
        const at = y * width + x;
        const under = alpha[at];
        const result = over + under * (1 - over);
        for (let c = 0; c < channels; c++) {
          color[at * channels + c] = (raster[pixel * components + c] * over + color[at * channels + c] * under * (1 - over)) / result;
        }
        alpha[at] = result;
      }
    }
  };
  for (const layer of [...document.layers].reverse()) paint(layer, 1);

  const out = newSamples(documentDepth(document), width * height * components);
  for (let at = 0; at < width * height; at++) {
    for (let c = 0; c < channels; c++) out[at * components + c] = Math.round(color[at * channels + c]);
    out[at * components + channels] = Math.round(alpha[at] * max);
  }
  return out;
}

/** Nearest-neighbour resampling of a full-canvas buffer (the fake's stand-in for Photoshop's resampling). */
export function resampleCanvas<T extends Samples>(source: T, components: number, from: { width: number; height: number }, to: { width: number; height: number }): T {
  const out = (source instanceof Uint16Array ? new Uint16Array(to.width * to.height * components) : new Uint8Array(to.width * to.height * components)) as T;
  for (let y = 0; y < to.height; y++) {
    const sourceY = Math.min(from.height - 1, Math.floor(((y + 0.5) * from.height) / to.height));
    for (let x = 0; x < to.width; x++) {
      const sourceX = Math.min(from.width - 1, Math.floor(((x + 0.5) * from.width) / to.width));
      for (let c = 0; c < components; c++) out[(y * to.width + x) * components + c] = source[(sourceY * from.width + sourceX) * components + c];
    }
  }
  return out;
}
