import { LUMA } from '../imaging/luma';
import { createImage, type PixelImage } from '../imaging/pixel-image';

/** Weighted mean and standard deviation of one channel. */
interface Moments {
  mean: number;
  std: number;
}

const [KR, KG, KB] = LUMA;
/** Rec. 601 YCbCr, full range: Cb = (B − Y)/CB_SCALE, Cr = (R − Y)/CR_SCALE, both in −½..½ for 0..1 RGB. */
const CB_SCALE = 2 * (1 - KB);
const CR_SCALE = 2 * (1 - KR);

function toYCbCr(rgb: Float32Array): Float32Array {
  const out = new Float32Array(rgb.length);
  for (let i = 0; i < rgb.length; i += 3) {
    const y = KR * rgb[i] + KG * rgb[i + 1] + KB * rgb[i + 2];
    out[i] = y;
    out[i + 1] = (rgb[i + 2] - y) / CB_SCALE;
    out[i + 2] = (rgb[i] - y) / CR_SCALE;
  }
  return out;
}

function momentsOf(ycc: Float32Array, weights: Float32Array, channel: number): Moments {
  let sum = 0;
  let mean = 0;
  for (let p = 0; p < weights.length; p++) {
    sum += weights[p];
    mean += weights[p] * ycc[p * 3 + channel];
  }
  mean /= sum;
  let variance = 0;
  for (let p = 0; p < weights.length; p++) variance += weights[p] * (ycc[p * 3 + channel] - mean) ** 2;
  return { mean, std: Math.sqrt(variance / sum) };
}

/** Below this spread a channel is flat (a gray face): its spread is left as the restorer made it. */
const FLAT = 1e-4;

/**
 * The restored crop with its colour matched to the original crop (same side) over the face mask, in
 * Rec. 601 YCbCr: brightness and both chroma channels get the original's weighted mean, the chroma
 * channels its spread too. Brightness keeps the restorer's spread: that is where its detail is.
 * Restorers shift skin tone and white balance (GFPGAN warms faces); this puts the face back into the
 * photo's light. Values are clamped to 0..1.
 */
export function matchColour(restored: PixelImage, original: PixelImage, weights: Float32Array): PixelImage {
  if (restored.width !== original.width || restored.height !== original.height || weights.length !== restored.width * restored.height) {
    throw new Error('colour matching needs a restored and an original crop of one size and a weight per pixel');
  }
  if (!weights.some((w) => w > 0)) return restored;
  const from = toYCbCr(restored.data as Float32Array);
  const to = toYCbCr(original.data as Float32Array);
  const gains = [0, 1, 2].map((c) => {
    const source = momentsOf(from, weights, c);
    const target = momentsOf(to, weights, c);
    const gain = c === 0 || source.std < FLAT ? 1 : target.std / source.std;
    return { gain, shift: target.mean - gain * source.mean };
  });
  const out = createImage(restored.width, restored.height, 3, 32, 1);
  const data = out.data as Float32Array;
  for (let i = 0; i < from.length; i += 3) {
    const y = gains[0].gain * from[i] + gains[0].shift;
    const cb = gains[1].gain * from[i + 1] + gains[1].shift;
    const cr = gains[2].gain * from[i + 2] + gains[2].shift;
    const r = y + CR_SCALE * cr;
    const b = y + CB_SCALE * cb;
    const g = (y - KR * r - KB * b) / KG;
    data[i] = Math.min(1, Math.max(0, r));
    data[i + 1] = Math.min(1, Math.max(0, g));
    data[i + 2] = Math.min(1, Math.max(0, b));
  }
  return out;
}
