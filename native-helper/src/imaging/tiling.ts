import type { Rect } from './rect';

export interface TilingParams {
  /** Input image size. */
  width: number;
  height: number;
  /** Largest core side in input pixels: the part of the image one tile is responsible for. */
  tile: number;
  /** Context in input pixels read around each core so the model's receptive field sees real neighbours. */
  overlap: number;
  /** How much of that context is read (mirrored) past the image edges: `EDGE_CONTEXT`, or 0 for models that pad their borders themselves. */
  edgeContext: number;
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
  /** Model input span: the core and its context; past the image edges (mirrored) only `edgeContext`, or what `multipleOf` and `minSize` need. */
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
 * Mirrored pixels read past the image edges for models that do not pad their borders themselves
 * (waifu2x and Real-CUGAN graphs do, as their engines do). Upscalers run on zero-padded borders show it in the
 * outermost pixels: on four photos (×2, two models) 4 mirrored pixels gained 0.1–1.4 dB PSNR in the
 * outer 8 output pixels over none, and 16 gained nothing more for four times the model time spent there.
 */
export const EDGE_CONTEXT = 4;

/**
 * The model input for a core: the core plus up to `overlap` context on both sides; past the image
 * edges only `edgeContext` of it (mirrored). Growth to the size the model needs takes real pixels
 * first, more mirrored ones past the end last.
 */
function inputSpan(coreStart: number, coreEnd: number, size: number, p: TilingParams): { start: number; length: number } {
  const { overlap, multipleOf } = p;
  const edge = Math.min(p.edgeContext, overlap);
  const first = 0 - edge; // not -edge: -0 for edge 0
  const start = Math.max(first, coreStart - overlap);
  const end = Math.min(size + edge, coreEnd + overlap);
  const length = roundUp(Math.max(end - start, p.minSize ?? 1), multipleOf);
  return { start: Math.max(first, Math.min(start, size + edge - length)), length };
}

function axisSegments(size: number, p: TilingParams, blend: number): AxisSegment[] {
  const bounds = coreBounds(size, p.tile);
  const s = p.scale;
  const segments: AxisSegment[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const coreStart = bounds[i];
    const coreEnd = bounds[i + 1];
    const { start, length } = inputSpan(coreStart, coreEnd, size, p);
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
