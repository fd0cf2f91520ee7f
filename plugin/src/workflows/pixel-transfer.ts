import type { PixelLayout } from '@mend/protocol';
import type { BandSource } from '../helper-client/helper-client';
import type { BandedPixels, HostMask, PixelFormat, Samples } from './host';
import { rowBytes, rowsPerBand } from './bands';
import { boundsWidth } from './region';
import { maxValueOf } from './sample-range';

/** The layout the helper reads Photoshop's pixels by: their format with the full-intensity value of their depth. */
function helperLayoutOf(format: Omit<PixelFormat, 'colorProfile'>): PixelLayout {
  return { width: format.width, height: format.height, channels: format.channels, bitDepth: format.bitDepth, maxValue: maxValueOf(format.bitDepth) };
}

/** The samples as the little-endian bytes the helper reads (no copy where the platform is little-endian already). */
export function bytesOf(samples: Samples): Uint8Array {
  return new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
}

/** Bytes from the helper as samples of this depth (the client hands out bands that start at byte 0). */
export function samplesOf(bitDepth: 8 | 16, bytes: Uint8Array): Samples {
  if (bitDepth === 8) return bytes;
  const aligned = bytes.byteOffset % 2 === 0 ? bytes : bytes.slice();
  return new Uint16Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 2);
}

/** The source's pixels as the helper client reads them: band by band, as bytes. */
export function bandSourceOf(pixels: BandedPixels): BandSource {
  const layout = helperLayoutOf(pixels);
  return { layout, bandRows: rowsPerBand(rowBytes(pixels)), readBand: async (top, rows) => bytesOf(await pixels.readBand(top, rows)) };
}

/** A mask held whole, handed to the helper client band by band. */
export function maskSourceOf(mask: HostMask): BandSource {
  const width = boundsWidth(mask.bounds);
  return {
    layout: { width, height: mask.data.length / width, channels: 1, bitDepth: 8, maxValue: 255 },
    bandRows: rowsPerBand(width),
    readBand: async (top, rows) => mask.data.slice(top * width, (top + rows) * width),
  };
}
