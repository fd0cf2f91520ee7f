/**
 * One window of the detector's side over a pyramid level. `core` is the part of the level it answers for:
 * the cores of a level tile it, and a face of at most half the window's side whose centre lies in a
 * window's core lies wholly inside that window.
 */
export interface PyramidWindow {
  x: number;
  y: number;
  core: { left: number; top: number; right: number; bottom: number };
}

/** The image scaled by `scale` (level pixels per image pixel) to width×height, covered by windows. */
export interface PyramidLevel {
  scale: number;
  width: number;
  height: number;
  windows: PyramidWindow[];
}

/** Scale between levels: BlazeFace finds faces of about 0.08 to 0.88 of its window, and windows answer for faces up to half their side. */
export const LEVEL_RATIO = 4;

/** Window origins along one axis of `length` (windows overlap by at least half), and the boundaries between their cores. */
function axis(length: number, side: number): { starts: number[]; cores: Array<[number, number]> } {
  if (length <= side) return { starts: [0], cores: [[0, length]] };
  const count = Math.ceil((length - side) / (side / 2)) + 1;
  const starts = Array.from({ length: count }, (_, i) => Math.round((i * (length - side)) / (count - 1)));
  const boundaries = starts.slice(1).map((start, i) => (starts[i] + start + side) / 2);
  const cores = starts.map((_, i): [number, number] => [i === 0 ? 0 : boundaries[i - 1], i === count - 1 ? length : boundaries[i]]);
  return { starts, cores };
}

function level(scale: number, width: number, height: number, side: number): PyramidLevel {
  const columns = axis(width, side);
  const rows = axis(height, side);
  const windows = rows.starts.flatMap((y, r) =>
    columns.starts.map((x, c) => ({ x, y, core: { left: columns.cores[c][0], top: rows.cores[r][0], right: columns.cores[c][1], bottom: rows.cores[r][1] } })),
  );
  return { scale, width, height, windows };
}

/**
 * Levels from the image at its own size (faces from about 20 px, never upscaled) down by LEVEL_RATIO each,
 * ending with the whole frame at the largest size that fits one window (faces up to the frame's size).
 */
export function planPyramid(width: number, height: number, side: number): PyramidLevel[] {
  const levels: PyramidLevel[] = [];
  for (let scale = 1; ; ) {
    const w = Math.max(1, Math.round(width * scale));
    const h = Math.max(1, Math.round(height * scale));
    levels.push(level(scale, w, h, side));
    if (w <= side && h <= side) return levels;
    scale /= LEVEL_RATIO;
    if (width * scale <= side && height * scale <= side) scale = side / Math.max(width, height);
  }
}
