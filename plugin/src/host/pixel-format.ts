import { constants } from 'photoshop';
import type { Document } from 'photoshop/dom/Document';
import { HostError, type HostPixels } from '../workflows/host';

/** The profiles Mend exchanges pixels in; Photoshop converts from and to the document's own profile. */
export const SRGB_PROFILE = 'sRGB IEC61966-2.1';
export const GRAY_PROFILE = 'Gray Gamma 2.2';

export interface PixelFormat {
  colorSpace: 'RGB' | 'Grayscale';
  colorProfile: typeof SRGB_PROFILE | typeof GRAY_PROFILE;
}

export const RGB_FORMAT: PixelFormat = { colorSpace: 'RGB', colorProfile: SRGB_PROFILE };
export const GRAY_FORMAT: PixelFormat = { colorSpace: 'Grayscale', colorProfile: GRAY_PROFILE };

const MODE_NAMES: Record<string, string> = {
  [constants.DocumentMode.BITMAP]: 'Bitmap',
  [constants.DocumentMode.CMYK]: 'CMYK Color',
  [constants.DocumentMode.DUOTONE]: 'Duotone',
  [constants.DocumentMode.INDEXEDCOLOR]: 'Indexed Color',
  [constants.DocumentMode.MULTICHANNEL]: 'Multichannel',
};

/**
 * How to read a document's pixels: RGB documents in sRGB, Grayscale documents in Gray Gamma 2.2, Lab
 * documents converted to sRGB (the models work on RGB). The Imaging API reads no other mode.
 */
export function readFormat(document: Document): PixelFormat & { componentSize: 8 | 16 } {
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

function formatForMode(document: Document): PixelFormat {
  switch (document.mode) {
    case constants.DocumentMode.RGB:
    case constants.DocumentMode.LAB:
      return RGB_FORMAT;
    case constants.DocumentMode.GRAYSCALE:
      return GRAY_FORMAT;
    default: {
      const modeName = MODE_NAMES[document.mode] ?? String(document.mode);
      // Photoshop converts Bitmap images to Grayscale only.
      const conversion = document.mode === constants.DocumentMode.BITMAP ? 'Image > Mode > Grayscale' : 'Image > Mode > RGB Color';
      throw new HostError(
        'unsupported_mode',
        `"${document.title}" is in ${modeName} mode; Mend works on RGB and Grayscale images. Convert it with ${conversion}, then try again.`,
      );
    }
  }
}

/** The format of pixels Mend writes: gray when they have one color component, sRGB otherwise. */
export function writeFormat(pixels: Pick<HostPixels, 'components'>): PixelFormat {
  return pixels.components <= 2 ? GRAY_FORMAT : RGB_FORMAT;
}
