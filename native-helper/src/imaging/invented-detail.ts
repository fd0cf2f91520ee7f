import { blurPlaneRows, gaussianTaps } from './gaussian-blur';
import { lumaAt } from './luma';
import { createImage, type PixelImage } from './pixel-image';
import { Resampler, resampleImage } from './resample';

export interface InventedDetailInputs {
  /** What the model was given. */
  input: PixelImage;
  /** What it made, `scale` times the input's size. */
  output: PixelImage;
  /** The fidelity base at the output's size (a PSNR-oriented model, or bicubic). */
  base: PixelImage;
  scale: number;
}

/** Every signal is averaged over a Gaussian of this σ (output pixels): the scale of a ×4 model's invented texture. */
const SIGNAL_SIGMA = 2;
const SIGNAL_TAPS = gaussianTaps(SIGNAL_SIGMA);

/**
 * How much the base's own detail beyond bicubic discounts the departure: where a fidelity model
 * recovered structure, the input implies detail there, and the GAN's differing from it is less
 * likely to be made up. Per luma level of that detail (0..255 scale). Measured by `mend eval --invented-detail`.
 */
const BASE_DETAIL_DISCOUNT = 0.5;

/** The re-degradation inconsistency's weight, as an exponent: it sharpens the departure's ranking without ruling it. */
const RE_DEGRADATION_EXPONENT = 0.25;

/**
 * The map's fixed absolute scale: gray = 255·(1 − e^(−score / MAP_SCALE)), score in luma levels (0..255), so
 * that one gray means one amount of invented detail on every image (no per-image normalization): a
 * departure of 8 levels reads about 161.
 */
export const MAP_SCALE = 8;

/** Rows per band: bounds the float buffers to a few rows of the output, at any size. */
const BAND_ROWS = 64;

/** The signals of one band of rows, each averaged over SIGNAL_SIGMA, on the 0..255 luma scale. */
export interface InventedDetailSignals {
  /** |luma(output) − luma(base)|: the model's detail beyond the fidelity base. */
  departure: Float32Array;
  /** |luma(base) − luma(bicubic of the input)|: the detail a fidelity model recovers, i.e. the input implies. */
  baseDetail: Float32Array;
  /** |luma(downscale(output)) − luma(input)|, enlarged back: what the output says the input should have been, and was not. */
  reDegradation: Float32Array;
}

function requireLayouts({ input, output, base }: InventedDetailInputs): void {
  if (base.width !== output.width || base.height !== output.height || base.channels !== output.channels) {
    throw new Error('the fidelity base must have the output’s size and channels');
  }
  if (input.channels !== output.channels) throw new Error('the input and the output must have the same channels');
}

/** Luma of one row of an image, rescaled to 0..255. */
function lumaRow(image: PixelImage, y: number, row: Float32Array): void {
  const unit = 255 / image.maxValue;
  for (let x = 0; x < image.width; x++) row[x] = lumaAt(image.data, (y * image.width + x) * image.channels, image.channels) * unit;
}

/** |luma(down(output)) − luma(input)| at the input's size, as a one-channel float image. */
function reDegradationResidual(input: PixelImage, output: PixelImage): PixelImage {
  // The antialiased Catmull-Rom shrink: the degradation `mend eval` measures upscalers on.
  const down = resampleImage(output, input.width, input.height);
  const residual = createImage(input.width, input.height, 1, 32, 1);
  const a = new Float32Array(input.width);
  const b = new Float32Array(input.width);
  for (let y = 0; y < input.height; y++) {
    lumaRow(down, y, a);
    lumaRow(input, y, b);
    for (let x = 0; x < input.width; x++) residual.data[y * input.width + x] = Math.abs(a[x] - b[x]);
  }
  return residual;
}

/**
 * A reader of the signals by bands of rows. The residual of the re-degradation is held at the
 * input's size; every other plane is made row by row as the blur asks for it.
 */
export function inventedDetailSignals(inputs: InventedDetailInputs): (top: number, bottom: number) => InventedDetailSignals {
  requireLayouts(inputs);
  const { input, output, base } = inputs;
  const { width, height } = output;
  const colourPairs = Array.from({ length: input.channels === 2 || input.channels === 4 ? input.channels - 1 : input.channels }, (_, c) => [c, c] as const);
  const enlarge = new Resampler(input.width, input.height, width, height);
  const residual = reDegradationResidual(input, output);
  const bicubicRow = createImage(width, 1, input.channels, 32, input.maxValue);
  const residualRow = createImage(width, 1, 1, 32, 1);
  const a = new Float32Array(width);
  const b = new Float32Array(width);
  const departureRow = (y: number) => {
    lumaRow(output, y, a);
    lumaRow(base, y, b);
    for (let x = 0; x < width; x++) a[x] = Math.abs(a[x] - b[x]);
    return a;
  };
  const baseDetailRow = (y: number) => {
    enlarge.resampleRows(input, bicubicRow, colourPairs, y, y + 1, y);
    lumaRow(bicubicRow, 0, a);
    lumaRow(base, y, b);
    for (let x = 0; x < width; x++) a[x] = Math.abs(a[x] - b[x]);
    return a;
  };
  const reDegradationRow = (y: number) => {
    enlarge.resampleRows(residual, residualRow, [[0, 0]], y, y + 1, y);
    // Catmull-Rom overshoots below zero next to a peak; an inconsistency is never negative.
    for (let x = 0; x < width; x++) a[x] = Math.max(0, residualRow.data[x]);
    return a;
  };
  return (top, bottom) => ({
    departure: blurPlaneRows(departureRow, width, height, SIGNAL_TAPS, top, bottom),
    baseDetail: blurPlaneRows(baseDetailRow, width, height, SIGNAL_TAPS, top, bottom),
    reDegradation: blurPlaneRows(reDegradationRow, width, height, SIGNAL_TAPS, top, bottom),
  });
}

/** The combined score of one pixel's signals, in luma levels: departure, discounted where the input implies detail, ranked by the re-degradation. */
export function inventedDetailScore(departure: number, baseDetail: number, reDegradation: number): number {
  return (departure / (1 + BASE_DETAIL_DISCOUNT * baseDetail)) * reDegradation ** RE_DEGRADATION_EXPONENT;
}

function sameColour(a: PixelImage, b: PixelImage, pixel: number): boolean {
  const { channels } = a;
  const colours = channels === 2 || channels === 4 ? channels - 1 : channels;
  for (let c = 0; c < colours; c++) if (a.data[pixel * channels + c] !== b.data[pixel * channels + c]) return false;
  return true;
}

/**
 * Where the output holds detail the input does not imply: one 8-bit channel at the output's size,
 * 255 = most invented, 0 where the output equals the fidelity base. Deterministic; one fixed scale
 * (MAP_SCALE) for every image.
 */
export function inventedDetailMap(inputs: InventedDetailInputs): PixelImage {
  const { output, base } = inputs;
  const { width, height } = output;
  const signalsOf = inventedDetailSignals(inputs);
  const map = createImage(width, height, 1, 8, 255);
  for (let top = 0; top < height; top += BAND_ROWS) {
    const bottom = Math.min(height, top + BAND_ROWS);
    const { departure, baseDetail, reDegradation } = signalsOf(top, bottom);
    for (let i = 0; i < departure.length; i++) {
      const pixel = top * width + i;
      if (sameColour(output, base, pixel)) continue;
      const score = inventedDetailScore(departure[i], baseDetail[i], reDegradation[i]);
      map.data[pixel] = Math.round(255 * (1 - Math.exp(-score / MAP_SCALE)));
    }
  }
  return map;
}
