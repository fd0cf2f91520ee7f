import { createImage, type PixelImage } from '../imaging/pixel-image';
import { quantize } from '../imaging/sample-conversion';
import { gaussianBlur } from '../imaging/gaussian-blur';

/** A strong Photoshop-style sharpen: radius (σ) 2 px, amount 100 %. Fixed, not tuned on the test photos. */
export const UNSHARP_SIGMA = 2;
export const UNSHARP_AMOUNT = 1;

/**
 * Unsharp mask on the encoded samples, as image editors apply it: the image plus `amount` times its difference
 * from a Gaussian blur of σ = `sigma`, rounded and clipped. It steepens edges; it cannot undo a blur's loss.
 */
export function unsharpMask(image: PixelImage, sigma = UNSHARP_SIGMA, amount = UNSHARP_AMOUNT): PixelImage {
  const blurred = gaussianBlur(image, sigma);
  const out = createImage(image.width, image.height, image.channels, image.bitDepth, image.maxValue);
  for (let i = 0; i < image.data.length; i++) out.data[i] = quantize(image.data[i] + amount * (image.data[i] - blurred[i]), image.maxValue);
  return out;
}
