import sharp from 'sharp';
import { createImage, type PixelImage } from '../imaging/pixel-image';
import { resampleImage } from '../imaging/resample';
import { quantize } from '../imaging/sample-conversion';
import { seededRandom } from '../protocol';
import { type BlurKernel, convolve, handShakeKernel, linearMotionKernel } from './blur-kernel';
import { addHaze, MODERATE_HAZE } from './haze';
import { fromLinear, toLinear } from './linear-light';
import { addSensorNoise, PHONE_HIGH_ISO } from './sensor-noise';

/** What a degradation asks of a model: to enlarge the image back, or to clean it at its size. */
export type DegradationKind = 'upscale' | 'restore';

/** A degraded 8-bit image, and what a baseline given the truth may know of how it was made. */
export interface Degraded {
  image: PixelImage;
  /** The blur applied in linear light (motion blur), for Richardson–Lucy with the true kernel. */
  kernel?: BlurKernel;
}

export interface Degradation {
  id: string;
  label: string;
  kind: DegradationKind;
  /** Ground-truth size / degraded size. */
  scale: number;
  /** Deterministic for a given image and seed; the seed draws what varies per image (kernels, noise). */
  apply(groundTruth: PixelImage, seed: number): Promise<Degraded>;
}

/** A seed per image and degradation (FNV-1a of both ids): the same draws on every run, independent of the image order. */
export function seedFor(degradationId: string, imageId: string): number {
  let hash = 0x811c9dc5;
  for (const char of `${degradationId}/${imageId}`) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193);
  return hash >>> 0;
}

function require8Bit(image: PixelImage): void {
  if (image.bitDepth !== 8) throw new Error(`degradations work on 8-bit images, got ${image.bitDepth}-bit`);
}

/** Antialiased bicubic shrink (MATLAB imresize 'bicubic'), the "BI" degradation of super-resolution benchmarks. */
export function bicubicDownscale(image: PixelImage, factor: number): PixelImage {
  require8Bit(image);
  if (image.width % factor !== 0 || image.height % factor !== 0) {
    throw new Error(`a ${image.width}×${image.height} image does not shrink ×${factor} exactly; crop it to a multiple of ${factor}`);
  }
  return resampleImage(image, image.width / factor, image.height / factor);
}

/** Additive white Gaussian noise of standard deviation sigma (in 0..255 units), rounded and clipped to 8 bits. */
export function addGaussianNoise(image: PixelImage, sigma: number, seed = 1): PixelImage {
  require8Bit(image);
  const random = seededRandom(seed);
  const out = createImage(image.width, image.height, image.channels, 8);
  for (let i = 0; i < image.data.length; i += 2) {
    // Box-Muller gives two independent normal samples per pair of uniforms.
    const radius = Math.sqrt(-2 * Math.log(1 - random()));
    const angle = 2 * Math.PI * random();
    out.data[i] = quantize(image.data[i] + sigma * radius * Math.cos(angle), 255);
    if (i + 1 < image.data.length) out.data[i + 1] = quantize(image.data[i + 1] + sigma * radius * Math.sin(angle), 255);
  }
  return out;
}

/** Encodes as baseline JPEG (libjpeg quality scale, 4:2:0 chroma as cameras and the web do) and decodes it again. */
export async function jpegRoundTrip(image: PixelImage, quality: number): Promise<PixelImage> {
  require8Bit(image);
  const raw = { width: image.width, height: image.height, channels: image.channels as 1 | 3 | 4 };
  const jpeg = await sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), { raw })
    .jpeg({ quality, chromaSubsampling: '4:2:0', mozjpeg: false })
    .toBuffer();
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== image.channels) throw new Error(`the JPEG came back with ${info.channels} channels instead of ${image.channels}`);
  const out = createImage(info.width, info.height, image.channels, 8);
  out.data.set(data);
  return out;
}

/** Horizontal linear motion over an odd `length` of pixels (a centred box along x), image edges mirrored. */
export function motionBlur(image: PixelImage, length: number): PixelImage {
  require8Bit(image);
  if (length % 2 !== 1) throw new Error(`the motion blur length must be odd to stay centred, got ${length}`);
  const out = createImage(image.width, image.height, image.channels, 8);
  const half = (length - 1) / 2;
  const { width, channels } = image;
  const mirror = (x: number) => (x < 0 ? -x - 1 : x >= width ? 2 * width - x - 1 : x);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        let sum = 0;
        for (let k = 0; k < length; k++) sum += image.data[(y * width + mirror(x - half + k)) * channels + c];
        out.data[(y * width + x) * channels + c] = quantize(sum / length, 255);
      }
    }
  }
  return out;
}

export const MOTION_BLUR_LENGTH = 9;

/** Motion blurs from 9 to 21 px: a little shake to a clearly missed shot on a 192² crop. */
export const MOTION_LENGTHS = { shortest: 9, longest: 21 } as const;

/** A straight motion kernel of random length (whole pixels in MOTION_LENGTHS) and direction. */
export function randomLinearKernel(random: () => number): BlurKernel {
  const { shortest, longest } = MOTION_LENGTHS;
  const length = shortest + Math.floor(random() * (longest - shortest + 1));
  return linearMotionKernel(length, random() * Math.PI);
}

/** A hand-shake kernel spanning a random extent in MOTION_LENGTHS. */
export function randomShakeKernel(random: () => number): BlurKernel {
  const { shortest, longest } = MOTION_LENGTHS;
  return handShakeKernel(random, shortest + random() * (longest - shortest));
}

/** Blurs in linear light, where a moving exposure adds up light; the result is encoded back to 8-bit sRGB. */
export function blurInLinearLight(image: PixelImage, kernel: BlurKernel): PixelImage {
  require8Bit(image);
  return fromLinear(convolve(toLinear(image), kernel));
}

/** The scene as a high-ISO phone sensor records it (`PHONE_HIGH_ISO`), `stops` darker first (0 = as exposed). */
export function cameraNoise(image: PixelImage, seed: number, stops = 0): PixelImage {
  require8Bit(image);
  const linear = toLinear(image);
  const exposure = 2 ** -stops;
  for (let i = 0; i < linear.data.length; i++) linear.data[i] *= exposure;
  return fromLinear(addSensorNoise(linear, PHONE_HIGH_ISO, seededRandom(seed)));
}

/** Underexposure asked of the low-light models: 2 stops, a quarter of the light, at the same ISO. */
export const LOW_LIGHT_STOPS = 2;

/** The photo seen through `MODERATE_HAZE`. */
export function hazy(image: PixelImage): PixelImage {
  require8Bit(image);
  return fromLinear(addHaze(toLinear(image), MODERATE_HAZE));
}

/** The degradations `mend eval` measures, each with its ground truth known. */
export const DEGRADATIONS: readonly Degradation[] = [
  ...[2, 4].map(
    (factor): Degradation => ({
      id: `bicubic-x${factor}`,
      label: `bicubic downscale ×${factor}`,
      kind: 'upscale',
      scale: factor,
      apply: async (image) => ({ image: bicubicDownscale(image, factor) }),
    }),
  ),
  ...[15, 25].map(
    (sigma): Degradation => ({
      id: `noise-${sigma}`,
      label: `Gaussian noise σ=${sigma}`,
      kind: 'restore',
      scale: 1,
      apply: async (image) => ({ image: addGaussianNoise(image, sigma) }),
    }),
  ),
  ...[20, 40].map(
    (quality): Degradation => ({
      id: `jpeg-${quality}`,
      label: `JPEG quality ${quality}`,
      kind: 'restore',
      scale: 1,
      apply: async (image) => ({ image: await jpegRoundTrip(image, quality) }),
    }),
  ),
  {
    id: `motion-${MOTION_BLUR_LENGTH}`,
    label: `horizontal motion blur, ${MOTION_BLUR_LENGTH} px`,
    kind: 'restore',
    scale: 1,
    apply: async (image) => ({ image: motionBlur(image, MOTION_BLUR_LENGTH) }),
  },
  ...(
    [
      ['motion-linear', `linear motion blur ${MOTION_LENGTHS.shortest}–${MOTION_LENGTHS.longest} px at a random angle`, randomLinearKernel],
      ['motion-shake', `hand-shake blur spanning ${MOTION_LENGTHS.shortest}–${MOTION_LENGTHS.longest} px`, randomShakeKernel],
    ] as const
  ).map(
    ([id, label, kernelFrom]): Degradation => ({
      id,
      label: `${label} (linear light)`,
      kind: 'restore',
      scale: 1,
      apply: async (image, seed) => {
        const kernel = kernelFrom(seededRandom(seed));
        return { image: blurInLinearLight(image, kernel), kernel };
      },
    }),
  ),
  {
    id: 'noise-camera',
    label: 'phone sensor noise at about ISO 3200 (Poisson–Gaussian, linear light)',
    kind: 'restore',
    scale: 1,
    apply: async (image, seed) => ({ image: cameraNoise(image, seed) }),
  },
  {
    id: 'lowlight-2ev',
    label: `${LOW_LIGHT_STOPS} stops under (linear light) with the sensor noise of about ISO 3200`,
    kind: 'restore',
    scale: 1,
    apply: async (image, seed) => ({ image: cameraNoise(image, seed, LOW_LIGHT_STOPS) }),
  },
  {
    id: 'haze',
    label: 'haze: atmospheric scattering over a depth proxy (linear light)',
    kind: 'restore',
    scale: 1,
    apply: async (image) => ({ image: hazy(image) }),
  },
];
