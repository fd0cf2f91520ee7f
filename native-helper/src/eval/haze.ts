import { createImage, type PixelImage } from '../imaging/pixel-image';
import { LUMA } from '../imaging/luma';
import { gaussianBlur } from '../imaging/gaussian-blur';

/** How thick the haze is and what colour the sky's light has. */
export interface HazeModel {
  /** Scattering coefficient per unit of the depth proxy (0..1): transmission falls to e^(−β) at the farthest point. */
  beta: number;
  /** Atmospheric light A, linear 0..1, the same for R, G and B (white-grey haze). */
  airlight: number;
  /** Depth of the nearest point, so the foreground is hazy too, a little (0..1 of the proxy's range). */
  nearDepth: number;
}

/**
 * A moderate haze: transmission from e^(−0.1) = 0.90 in front to e^(−1) = 0.37 at the back; A = 0.8 in linear
 * light (sRGB 231), inside the 0.7–1.0 that RESIDE, the set the MAXIM dehazers were trained on, draws from.
 */
export const MODERATE_HAZE: HazeModel = { beta: 1, airlight: 0.8, nearDepth: 0.1 };

/** Weight of the vertical gradient in the depth proxy; the rest is blurred brightness. */
const VERTICAL_SHARE = 0.6;

/**
 * A stand-in for scene depth, 0 (near) .. 1 (far), where no depth map exists: mostly a vertical gradient (the
 * top of a photo is usually farther: sky, background; the bottom the ground in front), plus the image's linear
 * luminance blurred over an eighth of its height (bright regions tend to be sky or distant and hazy, and the
 * blur keeps depth smooth within objects, as real depth is). Scene content does not match this everywhere
 * (a face is not farther than its chin); the haze it makes is plausible, not physical.
 */
export function depthProxy(linear: PixelImage): Float32Array {
  const { width, height, channels } = linear;
  if (channels !== 3) throw new Error(`the depth proxy is made from RGB images, got ${channels} channel(s)`);
  const luminance = createImage(width, height, 1, 32);
  for (let p = 0; p < width * height; p++) luminance.data[p] = LUMA[0] * linear.data[p * 3] + LUMA[1] * linear.data[p * 3 + 1] + LUMA[2] * linear.data[p * 3 + 2];
  const bright = gaussianBlur(luminance, height / 8);
  const depth = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const vertical = height > 1 ? 1 - y / (height - 1) : 0;
    for (let x = 0; x < width; x++) depth[y * width + x] = VERTICAL_SHARE * vertical + (1 - VERTICAL_SHARE) * Math.min(1, bright[y * width + x]);
  }
  return depth;
}

/**
 * Koschmieder's atmospheric scattering, I = J·t + A·(1 − t) with t = e^(−β·d), on linear light (float 0..1),
 * where light from the scene and light scattered in add up. RESIDE applies the same law to the encoded sRGB
 * values instead; this is the physical version.
 */
export function addHaze(linear: PixelImage, model: HazeModel): PixelImage {
  const depth = depthProxy(linear);
  const out = createImage(linear.width, linear.height, linear.channels, 32);
  for (let p = 0; p < depth.length; p++) {
    const transmission = Math.exp(-model.beta * (model.nearDepth + (1 - model.nearDepth) * depth[p]));
    for (let c = 0; c < linear.channels; c++) {
      const i = p * linear.channels + c;
      out.data[i] = linear.data[i] * transmission + model.airlight * (1 - transmission);
    }
  }
  return out;
}
