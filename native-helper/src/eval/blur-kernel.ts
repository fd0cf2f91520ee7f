import { createImage, type PixelImage } from '../imaging/pixel-image';

/** A point-spread function: `size`×`size` weights (size odd, centred), row-major, summing to 1. */
export interface BlurKernel {
  size: number;
  weights: Float32Array;
}

/** Path samples per pixel of path length: dense enough that the rasterized kernel shows no beading. */
const SAMPLES_PER_PIXEL = 16;

/**
 * The kernel of a point moving along `points` (offsets from the centre, in pixels) at the pace they are
 * sampled: each point gets the same share of the exposure, spread over its 4 neighbouring pixels
 * (bilinear), so a sub-pixel path keeps its exact length and position. The path is moved so its mean
 * lies on the centre: a kernel off-centre would shift the whole image, which no restorer is asked to undo.
 */
function rasterize(points: ReadonlyArray<readonly [number, number]>): BlurKernel {
  const meanX = points.reduce((s, [x]) => s + x, 0) / points.length;
  const meanY = points.reduce((s, [, y]) => s + y, 0) / points.length;
  const centred = points.map(([x, y]) => [x - meanX, y - meanY] as const);
  const reach = Math.max(...centred.map(([x, y]) => Math.max(Math.abs(x), Math.abs(y))));
  const radius = Math.ceil(reach) + 1;
  const size = 2 * radius + 1;
  const weights = new Float32Array(size * size);
  const share = 1 / centred.length;
  for (const [x, y] of centred) {
    const fx = Math.floor(x + radius);
    const fy = Math.floor(y + radius);
    const ax = x + radius - fx;
    const ay = y + radius - fy;
    weights[fy * size + fx] += share * (1 - ax) * (1 - ay);
    weights[fy * size + fx + 1] += share * ax * (1 - ay);
    weights[(fy + 1) * size + fx] += share * (1 - ax) * ay;
    weights[(fy + 1) * size + fx + 1] += share * ax * ay;
  }
  return { size, weights };
}

/**
 * Straight motion at constant speed, `length` pixels end to end, at `angle` (radians, 0 = along x,
 * counter-clockwise as seen with y down). The path runs `length − 1` pixels between the centres of its end
 * pixels, so at angle 0 an odd length covers `length` taps, the two end ones at half weight.
 */
export function linearMotionKernel(length: number, angle: number): BlurKernel {
  if (length < 1) throw new Error(`a motion blur is at least 1 pixel long, got ${length}`);
  const span = length - 1;
  const count = Math.max(2, Math.ceil(span * SAMPLES_PER_PIXEL) + 1);
  const points = Array.from({ length: count }, (_, i) => {
    const along = (i / (count - 1) - 0.5) * span;
    return [along * Math.cos(angle), -along * Math.sin(angle)] as const;
  });
  return rasterize(points);
}

/** Harmonics of the hand-shake path: a steady hand drifts slowly, with smaller and faster tremor on top. */
const SHAKE_HARMONICS = 3;

/**
 * Camera shake: the path of a smooth random trajectory during the exposure, drawn from `random` and scaled
 * so it spans `extent` pixels along its longer axis. Each axis is a sum of sines of 1..3 cycles per exposure
 * with random phases and amplitudes falling as 1/k, so the path curves and doubles back as a hand does, and
 * its speed varies: where it slows, the kernel is brighter. (Boracchi & Foi 2012 also draw shake as a smooth
 * random trajectory, from a random walk with inertia.)
 */
export function handShakeKernel(random: () => number, extent: number): BlurKernel {
  const axis = () => Array.from({ length: SHAKE_HARMONICS }, (_, k) => ({ amplitude: (0.5 + random()) / (k + 1), phase: 2 * Math.PI * random(), cycles: k + 1 }));
  const xs = axis();
  const ys = axis();
  const at = (harmonics: ReturnType<typeof axis>, t: number) => harmonics.reduce((s, h) => s + h.amplitude * Math.sin(2 * Math.PI * h.cycles * t + h.phase), 0);
  const count = Math.ceil(extent * SAMPLES_PER_PIXEL * 4);
  const raw = Array.from({ length: count }, (_, i) => [at(xs, i / (count - 1)), at(ys, i / (count - 1))] as const);
  const spanOf = (values: number[]) => Math.max(...values) - Math.min(...values);
  const span = Math.max(spanOf(raw.map(([x]) => x)), spanOf(raw.map(([, y]) => y)));
  const scale = (extent - 1) / span;
  return rasterize(raw.map(([x, y]) => [x * scale, y * scale] as const));
}

/** The kernel turned by 180°: convolving with it is correlating with the original (the adjoint of the blur). */
export function flipKernel(kernel: BlurKernel): BlurKernel {
  return { size: kernel.size, weights: Float32Array.from(kernel.weights).reverse() };
}

const mirror = (i: number, n: number) => (i < 0 ? -i - 1 : i >= n ? 2 * n - i - 1 : i);

/**
 * Convolution of a float image with a kernel, image edges mirrored. Only the kernel's non-zero taps are
 * visited: a motion path fills few of its square's pixels.
 */
export function convolve(image: PixelImage, kernel: BlurKernel): PixelImage {
  if (image.bitDepth !== 32) throw new Error(`convolution works on float images, got ${image.bitDepth}-bit`);
  const { width, height, channels } = image;
  const radius = (kernel.size - 1) / 2;
  const taps: Array<{ dx: number; dy: number; weight: number }> = [];
  kernel.weights.forEach((weight, i) => {
    // out(p) = Σ k(q) · in(p − q): the tap at kernel offset q reads the input at −q.
    if (weight !== 0) taps.push({ dx: radius - (i % kernel.size), dy: radius - Math.floor(i / kernel.size), weight });
  });
  const out = createImage(width, height, channels, 32);
  const src = image.data;
  const dst = out.data;
  for (const { dx, dy, weight } of taps) {
    for (let y = 0; y < height; y++) {
      const row = mirror(y + dy, height) * width;
      for (let x = 0; x < width; x++) {
        const s = (row + mirror(x + dx, width)) * channels;
        const d = (y * width + x) * channels;
        for (let c = 0; c < channels; c++) dst[d + c] += weight * src[s + c];
      }
    }
  }
  return out;
}
