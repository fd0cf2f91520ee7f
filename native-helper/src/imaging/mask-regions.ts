import type { Rect } from './rect';
import { nearestSites } from './distance-transform';

export interface MaskRegion {
  /** Label of the region's pixels in `labels` (1, 2, …). */
  label: number;
  bounds: Rect;
  area: number;
}

export interface LabelledRegions {
  /** Per pixel: 0 outside every region, else the region's label. */
  labels: Int32Array;
  regions: MaskRegion[];
}

/** Connected regions (8-neighbourhood) of the non-zero pixels of a binary mask, in scan order. */
export function labelRegions(mask: Uint8Array, width: number, height: number): LabelledRegions {
  const labels = new Int32Array(width * height);
  const regions: MaskRegion[] = [];
  const stack: number[] = [];
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || labels[start]) continue;
    const label = regions.length + 1;
    let x0 = width;
    let y0 = height;
    let x1 = -1;
    let y1 = -1;
    let area = 0;
    labels[start] = label;
    stack.push(start);
    while (stack.length) {
      const i = stack.pop() as number;
      const x = i % width;
      const y = (i - x) / width;
      area++;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      for (let ny = Math.max(0, y - 1); ny <= Math.min(height - 1, y + 1); ny++) {
        for (let nx = Math.max(0, x - 1); nx <= Math.min(width - 1, x + 1); nx++) {
          const n = ny * width + nx;
          if (mask[n] && !labels[n]) {
            labels[n] = label;
            stack.push(n);
          }
        }
      }
    }
    regions.push({ label, bounds: { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 }, area });
  }
  return { labels, regions };
}

/**
 * How far inside its region the region's deepest pixel lies: its distance to the nearest pixel of
 * the image outside the region (the longer image side when the region covers the whole image).
 */
export function regionHalfWidth(labels: Int32Array, width: number, height: number, region: MaskRegion): number {
  const { bounds } = region;
  // One pixel of border holds the nearest outside pixels of a region that fills its bounds.
  const x0 = bounds.x - 1;
  const y0 = bounds.y - 1;
  const w = bounds.width + 2;
  const h = bounds.height + 2;
  const outside = new Uint8Array(w * h);
  const inside = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const ix = x0 + x;
      const iy = y0 + y;
      if (ix < 0 || iy < 0 || ix >= width || iy >= height) continue;
      if (labels[iy * width + ix] === region.label) inside[y * w + x] = 1;
      else outside[y * w + x] = 1;
    }
  }
  const { distanceSquared } = nearestSites(outside, w, h);
  let deepest = 0;
  for (let i = 0; i < distanceSquared.length; i++) if (inside[i] && distanceSquared[i] > deepest) deepest = distanceSquared[i];
  return deepest === Infinity ? Math.max(width, height) : Math.sqrt(deepest);
}
