import { MODEL_CHANNELS, planeOrder, type TensorFormat } from './tensor';
import type { TilePlan } from './tiling';

/** Receives finished output rows [y, y + count) as interleaved RGB floats normalized to 0..1. */
export type RowSink = (y: number, count: number, rgb: Float32Array) => void;

/**
 * Cross-fades tile outputs into a band of output rows and hands rows to `sink` as soon as no later
 * tile can touch them, so memory is bounded by one row of tiles, never by the image.
 * Tiles must be added row by row (any order within a row), each row closed with `finishRow`.
 */
export class TileBlender {
  private readonly outWidth: number;
  private readonly band: Float32Array;
  /** Output row held at band index 0. */
  private bandTop = 0;
  private readonly valueOffset: number;
  private readonly valueScale: number;
  private readonly planes: readonly [number, number, number];

  constructor(
    private readonly plan: TilePlan,
    format: TensorFormat,
    private readonly sink: RowSink,
  ) {
    this.outWidth = plan.params.width * plan.params.scale;
    const bandRows = Math.max(...plan.rows.map((r) => r.outputEnd - r.outputStart));
    this.band = new Float32Array(this.outWidth * bandRows * MODEL_CHANNELS);
    const [lo, hi] = format.valueRange;
    this.valueOffset = lo;
    this.valueScale = 1 / (hi - lo);
    this.planes = planeOrder(format);
  }

  /** `output` is the model's planar 3×H×W answer for the tile's input rect. */
  add(column: number, row: number, output: Float32Array): void {
    const c = this.plan.columns[column];
    const r = this.plan.rows[row];
    const s = this.plan.params.scale;
    const tileWidth = c.inputLength * s;
    const tilePlane = tileWidth * r.inputLength * s;
    if (output.length !== tilePlane * MODEL_CHANNELS) {
      throw new Error(`model output has ${output.length} values, expected ${tilePlane * MODEL_CHANNELS} for a ${tileWidth}×${r.inputLength * s} tile`);
    }
    const xOffset = c.outputStart - c.inputStart * s;
    const yOffset = r.outputStart - r.inputStart * s;
    const [rp, gp, bp] = this.planes;
    const lo = this.valueOffset;
    const k = this.valueScale;
    const band = this.band;
    for (let y = r.outputStart; y < r.outputEnd; y++) {
      const wy = r.weights[y - r.outputStart];
      const srcRow = (y - r.outputStart + yOffset) * tileWidth + xOffset;
      let dst = ((y - this.bandTop) * this.outWidth + c.outputStart) * MODEL_CHANNELS;
      for (let x = 0; x < c.weights.length; x++, dst += 3) {
        const w = wy * c.weights[x] * k;
        const src = srcRow + x;
        band[dst] += (output[rp * tilePlane + src] - lo) * w;
        band[dst + 1] += (output[gp * tilePlane + src] - lo) * w;
        band[dst + 2] += (output[bp * tilePlane + src] - lo) * w;
      }
    }
  }

  /** Emits the rows that row `row` completed and keeps the ones the next row of tiles still blends into. */
  finishRow(row: number): void {
    const next = this.plan.rows[row + 1];
    const doneUntil = next ? next.outputStart : this.plan.params.height * this.plan.params.scale;
    const count = doneUntil - this.bandTop;
    const rowValues = this.outWidth * MODEL_CHANNELS;
    this.sink(this.bandTop, count, this.band.subarray(0, count * rowValues));
    const kept = next ? this.plan.rows[row].outputEnd - doneUntil : 0;
    this.band.copyWithin(0, count * rowValues, (count + kept) * rowValues);
    this.band.fill(0, kept * rowValues);
    this.bandTop = doneUntil;
  }
}
