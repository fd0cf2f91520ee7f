import { createImage, type PixelImage } from '../imaging/pixel-image';

/**
 * A raw sensor's noise in its own units: a pixel at the white point has collected `whiteElectrons`
 * photoelectrons, and reading it out adds Gaussian noise of `readNoiseElectrons` (referred to the input).
 */
export interface SensorNoiseModel {
  whiteElectrons: number;
  readNoiseElectrons: number;
}

/**
 * A phone's main camera at about ISO 3200. Its pixels hold roughly 5,000–10,000 e⁻ at base ISO (50–100);
 * 32–64× the gain leaves some 150–300 e⁻ for the raw white point: 200 here. Current phone CMOS sensors read
 * out with about 1.5–3 e⁻ of noise at high gain: 2.5 here. On 8-bit sRGB output that is σ ≈ 9.8 at mid-grey
 * (sRGB 128) and ≈ 19 in the shadows (sRGB 30): the grain of an unprocessed high-ISO phone raw.
 */
export const PHONE_HIGH_ISO: SensorNoiseModel = { whiteElectrons: 200, readNoiseElectrons: 2.5 };

/**
 * Variance of the noise at linear level `level` (0..1 of the white point), in the same units: the photon
 * (Poisson) part grows with the light, the read part does not — a·level + b, the Poisson–Gaussian model
 * (Foi et al. 2008).
 */
export function sensorNoiseVariance(level: number, model: SensorNoiseModel): number {
  return level / model.whiteElectrons + (model.readNoiseElectrons / model.whiteElectrons) ** 2;
}

/** Standard normal samples from uniform ones (Box–Muller), the second of each pair kept for the next call. */
export function gaussianSource(random: () => number): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return value;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - random()));
    const angle = 2 * Math.PI * random();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}

/** Above this mean the Poisson law is drawn as a normal one; its skewness 1/√λ is then under 0.16. */
const EXACT_POISSON_BELOW = 40;

/** A Poisson count of mean `mean`: exact (Knuth's product of uniforms) for small means, normal beyond. */
function poisson(mean: number, random: () => number, gaussian: () => number): number {
  if (mean >= EXACT_POISSON_BELOW) return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian()));
  const limit = Math.exp(-mean);
  let count = 0;
  let product = random();
  while (product > limit) {
    count++;
    product *= random();
  }
  return count;
}

/**
 * The same scene exposed on the noisy sensor: each linear sample (0..1 of the white point, float image) becomes
 * a photon count drawn around its mean plus read noise, back on the 0..1 scale and clipped there as a raw
 * converter clips below black and above white. Every sample is independent: there is no demosaicing, so unlike
 * a phone's JPEG the grain is not spatially correlated.
 */
export function addSensorNoise(linear: PixelImage, model: SensorNoiseModel, random: () => number): PixelImage {
  if (linear.bitDepth !== 32) throw new Error(`sensor noise is added to linear float images, got ${linear.bitDepth}-bit`);
  const gaussian = gaussianSource(random);
  const out = createImage(linear.width, linear.height, linear.channels, 32);
  const { whiteElectrons, readNoiseElectrons } = model;
  for (let i = 0; i < linear.data.length; i++) {
    const electrons = poisson(Math.max(0, linear.data[i]) * whiteElectrons, random, gaussian) + readNoiseElectrons * gaussian();
    out.data[i] = Math.min(1, Math.max(0, electrons / whiteElectrons));
  }
  return out;
}
