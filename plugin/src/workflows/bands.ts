import type { PixelFormat } from './host';

/**
 * Target size of one band of pixels in the panel. UXP stops a plugin at about 600 MB, and a band passes
 * through a few copies (Photoshop's image data, the samples, the request body), so bands stay small.
 */
export const BAND_BYTES = 16 * 1024 * 1024;

export function rowBytes(format: Pick<PixelFormat, 'width' | 'channels' | 'bitDepth'>): number {
  return format.width * format.channels * (format.bitDepth / 8);
}

/** Whole rows of `bytesPerRow` per band: as many as fit `maxBytes`, at least one. */
export function rowsPerBand(bytesPerRow: number, maxBytes = BAND_BYTES): number {
  return Math.max(1, Math.floor(maxBytes / bytesPerRow));
}

/** The bands covering `height` rows, top to bottom: [top, rows] pairs. */
export function bandsOf(height: number, rows: number): Array<{ top: number; rows: number }> {
  const bands = [];
  for (let top = 0; top < height; top += rows) bands.push({ top, rows: Math.min(rows, height - top) });
  return bands;
}
