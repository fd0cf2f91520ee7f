import { createImage, type PixelImage } from './pixel-image';
import type { Rect } from './rect';

/** The pixels of `rect`, which must lie inside the image, as a new image. */
export function cropImage(image: PixelImage, rect: Rect): PixelImage {
  if (rect.x < 0 || rect.y < 0 || rect.x + rect.width > image.width || rect.y + rect.height > image.height)
    throw new Error(`crop ${rect.width}×${rect.height}+${rect.x}+${rect.y} runs past the ${image.width}×${image.height} image`);
  const out = createImage(rect.width, rect.height, image.channels, image.bitDepth, image.maxValue);
  const rowSamples = rect.width * image.channels;
  for (let y = 0; y < rect.height; y++) {
    const from = ((rect.y + y) * image.width + rect.x) * image.channels;
    out.data.set(image.data.subarray(from, from + rowSamples), y * rowSamples);
  }
  return out;
}
