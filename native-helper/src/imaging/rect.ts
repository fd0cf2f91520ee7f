export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Mirror an index into [0, size) without repeating the edge sample ("reflect-101"), for any distance. */
export function reflectIndex(i: number, size: number): number {
  if (size === 1) return 0;
  const period = 2 * (size - 1);
  const m = ((i % period) + period) % period;
  return m < size ? m : period - m;
}
