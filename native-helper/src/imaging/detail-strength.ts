import { blurPlaneRows, gaussianTaps } from './gaussian-blur';
import { lumaAt } from './luma';
import { createImage, type PixelImage } from './pixel-image';

/**
 * Where the texture band starts: the model's detail beyond the base is split at a Gaussian of this σ
 * (output pixels). A ×2..×4 model invents detail at 1–3 px; what varies slower than that (shading,
 * colour, the position of edges) is kept at the model's own when exaggerating.
 */
export const TEXTURE_SIGMA = 2;

const TEXTURE_TAPS = gaussianTaps(TEXTURE_SIGMA);

/** Rows exaggerated per band: bounds the float buffers to a few MB on any image width. */
const BAND_ROWS = 64;

function requireOneLayout(base: PixelImage, model: PixelImage): void {
  if (base.width !== model.width || base.height !== model.height || base.channels !== model.channels || base.bitDepth !== model.bitDepth || base.maxValue !== model.maxValue) {
    throw new Error('the fidelity base and the model output must have one layout');
  }
}

function colourChannels(channels: number): number {
  return channels === 2 || channels === 4 ? channels - 1 : channels;
}

function storeSample(out: PixelImage, i: number, value: number): void {
  // Float images keep their fraction; integer ones are rounded. Both stay within [0, maxValue].
  const clamped = value < 0 ? 0 : value > out.maxValue ? out.maxValue : value;
  out.data[i] = out.bitDepth === 32 ? clamped : Math.round(clamped);
}

/** base + k·(model − base) in every colour channel, alpha from the model. */
function blend(base: PixelImage, model: PixelImage, k: number): PixelImage {
  const out = createImage(model.width, model.height, model.channels, model.bitDepth, model.maxValue);
  out.data.set(model.data);
  const colours = colourChannels(model.channels);
  const { channels } = model;
  for (let p = 0; p < model.width * model.height; p++) {
    for (let c = 0; c < colours; c++) {
      const i = p * channels + c;
      storeSample(out, i, base.data[i] + k * (model.data[i] - base.data[i]));
    }
  }
  return out;
}

/**
 * The model's output with its texture (the luma of its detail beyond the base, above TEXTURE_SIGMA)
 * added (k − 1) more times, the same amount to R, G and B so that no hue shifts.
 */
function exaggerate(base: PixelImage, model: PixelImage, k: number): PixelImage {
  const { width, height, channels } = model;
  const out = createImage(width, height, channels, model.bitDepth, model.maxValue);
  out.data.set(model.data);
  const colours = colourChannels(channels);
  const lumaDetail = new Float32Array(width);
  const rowAt = (y: number) => {
    for (let x = 0; x < width; x++) {
      const offset = (y * width + x) * channels;
      lumaDetail[x] = lumaAt(model.data, offset, channels) - lumaAt(base.data, offset, channels);
    }
    return lumaDetail;
  };
  for (let top = 0; top < height; top += BAND_ROWS) {
    const bottom = Math.min(height, top + BAND_ROWS);
    const low = blurPlaneRows(rowAt, width, height, TEXTURE_TAPS, top, bottom);
    for (let y = top; y < bottom; y++) {
      const detail = rowAt(y);
      for (let x = 0; x < width; x++) {
        const extra = (k - 1) * (detail[x] - low[(y - top) * width + x]);
        const offset = (y * width + x) * channels;
        for (let c = 0; c < colours; c++) storeSample(out, offset + c, model.data[offset + c] + extra);
      }
    }
  }
  return out;
}

/**
 * The output at detail strength `k` (0..2), per frequency band of the model's detail d = model − base:
 * for k ≤ 1, base + k·d (k = 0 the fidelity base, k = 1 the model's own output exactly); for k > 1,
 * the model's output plus (k − 1) times the high band of d's luma, so its colour and low frequencies
 * stay the model's while the texture grows. Both images must share one layout; alpha is the model's.
 */
export function applyDetailStrength(base: PixelImage, model: PixelImage, k: number): PixelImage {
  requireOneLayout(base, model);
  if (!(k >= 0 && k <= 2)) throw new Error(`the detail strength must be between 0 and 2, got ${k}`);
  if (k === 1) return model;
  return k < 1 ? blend(base, model, k) : exaggerate(base, model, k);
}
