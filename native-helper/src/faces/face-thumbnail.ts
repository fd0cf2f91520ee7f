import { createImage, type PixelImage } from '../imaging/pixel-image';
import type { Rect } from '../imaging/rect';
import { quantize } from '../imaging/sample-conversion';
import { cropTensor, squareAround } from './face-crop';

/** How much larger than the detector's box (brows to chin) a thumbnail's square is: enough to show the whole head. */
const THUMBNAIL_SCALE = 1.6;

/**
 * A small picture of one face for choosing it: the square around its box (detector pixels, edge-based),
 * filtered down to side² RGB 8-bit; gray faces in all three channels, black past the image's edges.
 */
export function faceThumbnail(image: PixelImage, box: Rect, side: number): PixelImage {
  // cropTensor takes pixel centres at integers; the detector's boxes put them at i + 0.5.
  const square = squareAround({ ...box, x: box.x - 0.5, y: box.y - 0.5 }, THUMBNAIL_SCALE);
  const planes = cropTensor(image, square, side, 255);
  const thumbnail = createImage(side, side, 3, 8);
  const plane = side * side;
  for (let i = 0; i < plane; i++) for (let c = 0; c < 3; c++) thumbnail.data[i * 3 + c] = quantize(planes[c * plane + i], 255);
  return thumbnail;
}
