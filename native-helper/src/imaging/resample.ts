import { createImage, type PixelImage } from './pixel-image';
import { quantize } from './sample-conversion';

/** A resampling filter: its weight at distance x (in source pixels at scale 1) and how far it reaches. */
export interface ResampleKernel {
  weight(x: number): number;
  radius: number;
}

/**
 * Catmull-Rom cubic (Keys, a = -0.5): sharp without the ringing of Lanczos on hard alpha edges. With the
 * kernel widened when shrinking, it is MATLAB's `imresize(..., 'bicubic')`, the super-resolution benchmarks' downscale.
 */
export const CATMULL_ROM: ResampleKernel = {
  radius: 2,
  weight(x) {
    const a = Math.abs(x);
    if (a < 1) return 1.5 * a * a * a - 2.5 * a * a + 1;
    if (a < 2) return -0.5 * a * a * a + 2.5 * a * a - 4 * a + 2;
    return 0;
  },
};

const sinc = (x: number) => (x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x));

/** Lanczos with three lobes: the usual "Lanczos" of image editors, sharper than cubic and with more ringing. */
export const LANCZOS3: ResampleKernel = {
  radius: 3,
  weight: (x) => (Math.abs(x) < 3 ? sinc(x) * sinc(x / 3) : 0),
};

interface Taps {
  first: Int32Array;
  count: Int32Array;
  /** Row i's weights start at i * maxTaps. */
  weights: Float32Array;
  maxTaps: number;
}

function taps(srcSize: number, dstSize: number, kernel: ResampleKernel): Taps {
  const factor = dstSize / srcSize;
  // Shrinking widens the kernel so every source pixel is seen (no aliasing).
  const stretch = factor < 1 ? 1 / factor : 1;
  const support = kernel.radius * stretch;
  const maxTaps = Math.ceil(support) * 2 + 1;
  const first = new Int32Array(dstSize);
  const count = new Int32Array(dstSize);
  const weights = new Float32Array(dstSize * maxTaps);
  for (let d = 0; d < dstSize; d++) {
    const center = (d + 0.5) / factor - 0.5;
    const lo = Math.floor(center - support) + 1;
    const hi = Math.floor(center + support);
    let n = 0;
    let sum = 0;
    const start = Math.max(0, lo);
    const end = Math.min(srcSize - 1, hi);
    for (let i = lo; i <= hi; i++) {
      const w = kernel.weight((i - center) / stretch);
      const clamped = Math.min(srcSize - 1, Math.max(0, i));
      // Taps beyond the edge fold onto the edge pixel.
      const slot = clamped - start;
      if (slot + 1 > n) n = slot + 1;
      weights[d * maxTaps + slot] += w;
      sum += w;
    }
    for (let t = 0; t < n; t++) weights[d * maxTaps + t] /= sum;
    first[d] = start;
    count[d] = Math.min(n, end - start + 1);
  }
  return { first, count, weights, maxTaps };
}

/** A separable resampler between two fixed sizes; rows of the destination can be produced in any order. */
export class Resampler {
  private readonly horizontal: Taps;
  private readonly vertical: Taps;

  constructor(
    private readonly srcWidth: number,
    private readonly srcHeight: number,
    private readonly dstWidth: number,
    private readonly dstHeight: number,
    kernel: ResampleKernel = CATMULL_ROM,
  ) {
    this.horizontal = taps(srcWidth, dstWidth, kernel);
    this.vertical = taps(srcHeight, dstHeight, kernel);
  }

  /**
   * Writes destination rows [y0, y1) of the channel pairs [srcChannel, dstChannel]. Source and
   * destination share the same maxValue; integer destinations are rounded and clamped. `dst` may be a
   * band of the destination that starts at row `dstTop`.
   */
  resampleRows(src: PixelImage, dst: PixelImage, channelPairs: ReadonlyArray<readonly [number, number]>, y0: number, y1: number, dstTop = 0): void {
    if (src.width !== this.srcWidth || src.height !== this.srcHeight || dst.width !== this.dstWidth || y0 < dstTop || y1 - dstTop > dst.height || y1 > this.dstHeight) {
      throw new Error('resampler used with images of other sizes than it was made for');
    }
    const column = new Float32Array(this.srcWidth);
    const isFloat = dst.bitDepth === 32;
    const h = this.horizontal;
    const v = this.vertical;
    for (let y = y0; y < y1; y++) {
      const vFirst = v.first[y];
      const vCount = v.count[y];
      for (const [sc, dc] of channelPairs) {
        column.fill(0);
        for (let t = 0; t < vCount; t++) {
          const w = v.weights[y * v.maxTaps + t];
          let s = (vFirst + t) * this.srcWidth * src.channels + sc;
          for (let x = 0; x < this.srcWidth; x++, s += src.channels) column[x] += src.data[s] * w;
        }
        let d = (y - dstTop) * this.dstWidth * dst.channels + dc;
        for (let x = 0; x < this.dstWidth; x++, d += dst.channels) {
          let acc = 0;
          const base = x * h.maxTaps;
          const hFirst = h.first[x];
          for (let t = 0; t < h.count[x]; t++) acc += column[hFirst + t] * h.weights[base + t];
          dst.data[d] = isFloat ? acc : quantize(acc, dst.maxValue);
        }
      }
    }
  }
}

/** The whole image resampled to width×height, every channel, same depth. */
export function resampleImage(image: PixelImage, width: number, height: number, kernel: ResampleKernel = CATMULL_ROM): PixelImage {
  const out = createImage(width, height, image.channels, image.bitDepth, image.maxValue);
  const pairs = Array.from({ length: image.channels }, (_, c) => [c, c] as const);
  new Resampler(image.width, image.height, width, height, kernel).resampleRows(image, out, pairs, 0, height);
  return out;
}
