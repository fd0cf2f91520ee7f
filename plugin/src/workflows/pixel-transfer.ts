import type { PixelLayout } from '../../../native-helper/src/protocol';
import type { HostPixels } from './host';

/** Photoshop's 16-bit documents hold 0..32768. */
export const PHOTOSHOP_16_BIT_MAX = 32768;

export function layoutOf(pixels: HostPixels): PixelLayout {
  return { width: pixels.width, height: pixels.height, channels: pixels.components, bitDepth: pixels.bitDepth, maxValue: pixels.bitDepth === 8 ? 255 : PHOTOSHOP_16_BIT_MAX };
}

/** The samples as the little-endian bytes the helper reads (no copy where the platform is little-endian already). */
export function bytesOf(pixels: HostPixels): Uint8Array {
  return new Uint8Array(pixels.data.buffer, pixels.data.byteOffset, pixels.data.byteLength);
}

/** The helper's result back as host pixels; the helper answers in the layout it was sent. */
export function pixelsFrom(layout: PixelLayout, bytes: Uint8Array): HostPixels {
  if (layout.bitDepth === 32) throw new Error('the helper answered 32-bit samples to an 8/16-bit request');
  const aligned = bytes.byteOffset % 2 === 0 ? bytes : bytes.slice();
  const data = layout.bitDepth === 8 ? aligned : new Uint16Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 2);
  return { width: layout.width, height: layout.height, components: layout.channels, bitDepth: layout.bitDepth, data };
}
