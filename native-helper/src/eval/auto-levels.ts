import { createImage, type PixelImage } from '../imaging/pixel-image';
import { quantize } from '../imaging/sample-conversion';

/** Share of samples clipped at each end, as Photoshop's Auto Levels defaults to (0.1 %). */
export const AUTO_LEVELS_CLIP = 0.001;

/**
 * Auto levels on an 8-bit image: the samples at the `clip` and 1 − `clip` quantiles become black and white,
 * stretched linearly in between. One black and one white point for R, G and B together, so the colour
 * balance stays (an exposure change does not alter it; a stretch per channel would).
 */
export function autoLevels(image: PixelImage, clip = AUTO_LEVELS_CLIP): PixelImage {
  if (image.bitDepth !== 8) throw new Error(`auto levels works on 8-bit images, got ${image.bitDepth}-bit`);
  const histogram = new Uint32Array(256);
  for (const v of image.data) histogram[v]++;
  const quantile = (target: number) => {
    let seen = 0;
    for (let v = 0; v < 256; v++) {
      seen += histogram[v];
      if (seen > target) return v;
    }
    return 255;
  };
  const clipped = Math.floor(clip * image.data.length);
  const black = quantile(clipped);
  const white = quantile(image.data.length - 1 - clipped);
  if (white <= black) return image;
  const out = createImage(image.width, image.height, image.channels, 8);
  const gain = 255 / (white - black);
  for (let i = 0; i < image.data.length; i++) out.data[i] = quantize((image.data[i] - black) * gain, 255);
  return out;
}
