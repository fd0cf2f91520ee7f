import type { Bounds } from '../workflows/host';

/** The DOM's and the Imaging API's bounds objects, copied into a plain rectangle. */
export function plainBounds(bounds: Bounds): Bounds {
  return { left: bounds.left, top: bounds.top, right: bounds.right, bottom: bounds.bottom };
}

export function isEmpty(bounds: Bounds): boolean {
  return bounds.right <= bounds.left || bounds.bottom <= bounds.top;
}

export function intersection(a: Bounds, b: Bounds): Bounds {
  return { left: Math.max(a.left, b.left), top: Math.max(a.top, b.top), right: Math.min(a.right, b.right), bottom: Math.min(a.bottom, b.bottom) };
}

/** Whole pixels covering `bounds`, within a canvas of the given size. */
export function clipToCanvas(bounds: Bounds, canvas: { width: number; height: number }): Bounds {
  const covering = { left: Math.floor(bounds.left), top: Math.floor(bounds.top), right: Math.ceil(bounds.right), bottom: Math.ceil(bounds.bottom) };
  return intersection(covering, { left: 0, top: 0, right: canvas.width, bottom: canvas.height });
}
