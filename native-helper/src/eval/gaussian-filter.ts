import type { Plane } from './planes';

/**
 * Separable filtering without padding ("valid"): the result is smaller by taps.length - 1 on each
 * axis, so no made-up border pixels enter a metric.
 */
export function filterValid(plane: Plane, taps: Float64Array): Plane {
  const n = taps.length;
  const width = plane.width - n + 1;
  const height = plane.height - n + 1;
  if (width <= 0 || height <= 0) throw new Error(`a ${plane.width}×${plane.height} plane is smaller than the ${n}×${n} filter`);
  const rows = new Float64Array(width * plane.height);
  for (let y = 0; y < plane.height; y++) {
    const line = y * plane.width;
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let t = 0; t < n; t++) acc += plane.data[line + x + t] * taps[t];
      rows[y * width + x] = acc;
    }
  }
  const data = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let t = 0; t < n; t++) acc += rows[(y + t) * width + x] * taps[t];
      data[y * width + x] = acc;
    }
  }
  return { width, height, data };
}
