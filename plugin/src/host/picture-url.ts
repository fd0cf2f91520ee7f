import { imaging } from 'photoshop';
import type { RgbPicture } from '../workflows/host';
import { withImageData } from './image-data';

/** Thumbnails are shown as sRGB: they are a glance at a face, not the document's colours. */
const PICTURE_PROFILE = 'sRGB IEC61966-2.1';

/**
 * The picture as a JPEG data URL. Adobe's Imaging API docs (encodeImageData, Photoshop 24.4+): "With the
 * current version of UXP you must use jpeg/base64 encoding when assigning to an image element", so a PNG
 * data URL made by the panel itself is not relied on.
 */
export async function pictureUrl({ width, height, data }: RgbPicture): Promise<string> {
  if (data.length !== width * height * 3) throw new Error(`An RGB picture of ${width}×${height} has ${width * height * 3} samples, not ${data.length}.`);
  // Photoshop reads the memory behind the array: it must span its whole buffer.
  const samples = data.byteOffset === 0 && data.buffer.byteLength === data.byteLength ? data : data.slice();
  const created = imaging.createImageDataFromBuffer(samples, { width, height, components: 3, chunky: true, colorSpace: 'RGB', colorProfile: PICTURE_PROFILE });
  return withImageData(created, async (imageData) => {
    const jpeg = await imaging.encodeImageData({ imageData, base64: true });
    if (typeof jpeg !== 'string') throw new Error('Photoshop answered the encoded picture as bytes where base64 was asked for.');
    return `data:image/jpeg;base64,${jpeg}`;
  });
}
