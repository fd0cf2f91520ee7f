import type { Rect } from './rect';

export interface WindowPlanOptions {
  /** Longest window side the model works at; a larger window is filled at reduced scale. */
  workingSide: number;
  /** Windows are grown (within the image) to at least this side: more real context for fixed-size models. */
  minSide: number;
  /** Context around a hole: max(marginFloor, marginPerHalfWidth × the hole's half width). */
  marginFloor: number;
  marginPerHalfWidth: number;
}

export interface HoleRegion {
  label: number;
  bounds: Rect;
  /** Distance from the region's deepest pixel to the nearest pixel outside it. */
  halfWidth: number;
}

export interface InpaintWindow {
  /** The pixels the model sees. */
  rect: Rect;
  /** The pixels this window fills: those of region `label` inside `core`. */
  core: Rect;
  label: number;
}

function contextMargin(halfWidth: number, options: WindowPlanOptions): number {
  return Math.max(options.marginFloor, Math.ceil(options.marginPerHalfWidth * halfWidth));
}

function clip(r: Rect, width: number, height: number): Rect {
  const x0 = Math.max(0, r.x);
  const y0 = Math.max(0, r.y);
  const x1 = Math.min(width, r.x + r.width);
  const y1 = Math.min(height, r.y + r.height);
  return { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) };
}

function grow(r: Rect, margin: number, width: number, height: number): Rect {
  return clip({ x: r.x - margin, y: r.y - margin, width: r.width + 2 * margin, height: r.height + 2 * margin }, width, height);
}

/** Widens one side of a span to `length` around its centre, shifted to stay inside [0, size). */
function widen(start: number, span: number, length: number, size: number): [number, number] {
  const target = Math.min(size, Math.max(span, length));
  const begin = Math.min(Math.max(0, start - Math.floor((target - span) / 2)), size - target);
  return [begin, target];
}

/** Square where the image allows (models that resize internally would otherwise stretch it), and at least `minSide`. */
function squared(r: Rect, minSide: number, width: number, height: number): Rect {
  const side = Math.max(r.width, r.height, minSide);
  const [x, w] = widen(r.x, r.width, side, width);
  const [y, h] = widen(r.y, r.height, side, height);
  return { x, y, width: w, height: h };
}

/**
 * Where to run the model for each hole region. A region with its margin inside the working side
 * gets one window at full resolution. A long thin region (a scratch across the photo) is cut into
 * cells that each fit the working side with their margin, so it is filled at full resolution too.
 * A region too wide for that gets one window, filled at reduced scale by the caller.
 * `hasPixels` tells whether a region has pixels inside a rectangle (empty cells are skipped).
 */
export function planInpaintWindows(
  regions: readonly HoleRegion[],
  width: number,
  height: number,
  options: WindowPlanOptions,
  hasPixels: (label: number, r: Rect) => boolean,
): InpaintWindow[] {
  const side = options.workingSide;
  const windows: InpaintWindow[] = [];
  for (const region of regions) {
    const margin = contextMargin(region.halfWidth, options);
    const whole = grow(region.bounds, margin, width, height);
    const cell = side - 2 * margin;
    if (Math.max(whole.width, whole.height) <= side || cell < side / 2) {
      windows.push({ rect: squared(whole, options.minSide, width, height), core: region.bounds, label: region.label });
      continue;
    }
    const { bounds } = region;
    for (let y = bounds.y; y < bounds.y + bounds.height; y += cell) {
      for (let x = bounds.x; x < bounds.x + bounds.width; x += cell) {
        const core = clip({ x, y, width: cell, height: cell }, bounds.x + bounds.width, bounds.y + bounds.height);
        if (!hasPixels(region.label, core)) continue;
        windows.push({ rect: squared(grow(core, margin, width, height), options.minSide, width, height), core, label: region.label });
      }
    }
  }
  return windows;
}
