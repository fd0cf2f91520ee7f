import { constants } from 'photoshop';
import type { Document } from 'photoshop/dom/Document';
import { HostError, type HostPixels } from '../workflows/host';

export type ColorSpace = 'RGB' | 'Grayscale';

/** Layer masks and selections are exchanged as 8-bit gray in this profile (Imaging API docs). */
export const GRAY_MASK_FORMAT = { colorSpace: 'Grayscale', colorProfile: 'Gray Gamma 2.2' } as const;

const MODE_NAMES: Record<string, string> = {
  [constants.DocumentMode.BITMAP]: 'Bitmap',
  [constants.DocumentMode.CMYK]: 'CMYK Color',
  [constants.DocumentMode.DUOTONE]: 'Duotone',
  [constants.DocumentMode.INDEXEDCOLOR]: 'Indexed Color',
  [constants.DocumentMode.MULTICHANNEL]: 'Multichannel',
};

/**
 * How to read a document's pixels: in its own color space and, by leaving `colorProfile` out, in its own
 * profile (Imaging API: "the returned data will use the color profile of the source document"), so Adobe
 * RGB and ProPhoto colours are not clipped to sRGB. Lab documents are read as RGB in the working RGB
 * profile (the models work on RGB). The Imaging API reads no other mode.
 */
export function readFormat(document: Document): { colorSpace: ColorSpace; componentSize: 8 | 16 } {
  const format = formatForMode(document);
  switch (document.bitsPerChannel) {
    case constants.BitsPerChannelType.EIGHT:
      return { ...format, componentSize: 8 };
    case constants.BitsPerChannelType.SIXTEEN:
      return { ...format, componentSize: 16 };
    default:
      throw new HostError(
        'unsupported_depth',
        `"${document.title}" is a 32 bits/channel (HDR) image, which Mend does not support yet. Convert it with Image > Mode > 16 Bits/Channel, then try again.`,
      );
  }
}

function formatForMode(document: Document): { colorSpace: ColorSpace } {
  switch (document.mode) {
    case constants.DocumentMode.RGB:
    case constants.DocumentMode.LAB:
      return { colorSpace: 'RGB' };
    case constants.DocumentMode.GRAYSCALE:
      return { colorSpace: 'Grayscale' };
    default: {
      const modeName = MODE_NAMES[document.mode] ?? String(document.mode);
      // Photoshop converts Bitmap images to Grayscale only.
      const conversion = document.mode === constants.DocumentMode.BITMAP ? 'Image > Mode > Grayscale' : 'Image > Mode > RGB Color';
      throw new HostError('unsupported_mode', `"${document.title}" is in ${modeName} mode; Mend works on RGB and Grayscale images. Convert it with ${conversion}, then try again.`);
    }
  }
}

/**
 * The format of pixels Mend writes: gray for one color channel, RGB otherwise, in the profile they were
 * read in, so Photoshop converts nothing on the way back. An empty profile (a document that is not color
 * managed) stays empty: Photoshop then takes the target document's.
 */
export function pixelFormatFor(pixels: Pick<HostPixels, 'channels' | 'colorProfile'>): { colorSpace: ColorSpace; colorProfile: string } {
  return { colorSpace: pixels.channels <= 2 ? 'Grayscale' : 'RGB', colorProfile: pixels.colorProfile };
}
