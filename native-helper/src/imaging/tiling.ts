import type { Rect } from './rect';

export interface TilingParams {
  /** Input image size. */
  width: number;
  height: number;
  /** Largest core side in input pixels: the part of the image one tile is responsible for. */
  tile: number;
  /** Context in input pixels read around each core so the model's receptive field sees real neighbours. */
  overlap: number;
  /** Model input sides must be a multiple of this. */
  multipleOf: number;
  /** Smallest model input side. */
  minSize?: number;
  /** Output pixels per input pixel. */
  scale: number;
}

/** One axis of the grid: where each segment's core lies, what the model reads, and where its output lands. */
export interface AxisSegment {
  coreStart: number;
  coreEnd: number;
  /** Model input span; reaches past the image edges where context or `multipleOf` need it (mirrored). */
  inputStart: number;
  inputLength: number;
  /** Output span this segment contributes to (core grown by the blend band), in output pixels. */
  outputStart: number;
  outputEnd: number;
  /** Blend weight of each output pixel in [outputStart, outputEnd). */
  weights: Float32Array;
}

export interface Tile {
  column: number;
  row: number;
  core: Rect;
  input: Rect;
}

export interface TilePlan {
  params: TilingParams;
  columns: AxisSegment[];
  rows: AxisSegment[];
  /** Half-width in input pixels of the band where neighbouring tiles are cross-faded. */
  blend: number;
  tiles: Tile[];
}

function coreBounds(size: number, tile: number): number[] {
  const count = Math.max(1, Math.ceil(size / tile));
  const bounds: number[] = [];
  for (let i = 0; i <= count; i++) bounds.push(Math.round((i * size) / count));
  return bounds;
}

function roundUp(value: number, multiple: number): number {
  return Math.ceil(value / multiple) * multiple;
}

/**
 * The model input for a core: the core plus `overlap` context on both sides, mirrored past the
 * image edges (as upscalers pad whole images), then grown at the end to the size the model needs.
 */
function inputSpan(coreStart: number, coreEnd: number, overlap: number, multipleOf: number, minSize: number): { start: number; length: number } {
  const start = coreStart - overlap;
  const length = roundUp(Math.max(coreEnd + overlap - start, minSize), multipleOf);
  return { start, length };
}

function axisSegments(size: number, p: TilingParams, blend: number): AxisSegment[] {
  const bounds = coreBounds(size, p.tile);
  const s = p.scale;
  const segments: AxisSegment[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const coreStart = bounds[i];
    const coreEnd = bounds[i + 1];
    const { start, length } = inputSpan(coreStart, coreEnd, p.overlap, p.multipleOf, p.minSize ?? 1);
    const fadeIn = i > 0;
    const fadeOut = i + 2 < bounds.length;
    const outputStart = (fadeIn ? coreStart - blend : coreStart) * s;
    const outputEnd = (fadeOut ? coreEnd + blend : coreEnd) * s;
    const weights = new Float32Array(outputEnd - outputStart).fill(1);
    const band = 2 * blend * s;
    if (band > 0) {
      for (let k = 0; k < band; k++) {
        const ramp = (k + 0.5) / band;
        if (fadeIn) weights[k] = ramp;
        if (fadeOut) weights[weights.length - band + k] = 1 - ramp;
      }
    }
    segments.push({ coreStart, coreEnd, inputStart: start, inputLength: length, outputStart, outputEnd, weights });
  }
  return segments;
}

/**
 * Splits an image into tiles whose cores partition it. Each tile reads its core plus `overlap` context;
 * neighbours are cross-faded over a band of half-width `overlap / 2` so that every output pixel kept
 * had at least that much real context, and the weights of overlapping tiles sum to one.
 */
export function planTiles(params: TilingParams): TilePlan {
  const tile = Math.max(1, params.tile);
  const minCore = (size: number) => Math.floor(size / Math.max(1, Math.ceil(size / tile)));
  const blend = Math.min(Math.floor(params.overlap / 2), Math.floor(minCore(params.width) / 2), Math.floor(minCore(params.height) / 2));
  const p = { ...params, tile };
  const columns = axisSegments(params.width, p, blend);
  const rows = axisSegments(params.height, p, blend);
  const tiles: Tile[] = [];
  rows.forEach((r, row) =>
    columns.forEach((c, column) =>
      tiles.push({
        column,
        row,
        core: { x: c.coreStart, y: r.coreStart, width: c.coreEnd - c.coreStart, height: r.coreEnd - r.coreStart },
        input: { x: c.inputStart, y: r.inputStart, width: c.inputLength, height: r.inputLength },
      }),
    ),
  );
  return { params, columns, rows, blend, tiles };
}
