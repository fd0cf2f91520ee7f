import type { BitDepth, ChannelCount, PixelLayout } from '../protocol';

export type SampleArray = Uint8Array | Uint16Array | Float32Array;

/** Interleaved pixels in memory: the one image type every pipeline step takes and returns. */
export interface PixelImage extends PixelLayout {
  data: SampleArray;
}

export function sampleArrayFor(bitDepth: BitDepth, length: number): SampleArray {
  if (bitDepth === 8) return new Uint8Array(length);
  if (bitDepth === 16) return new Uint16Array(length);
  return new Float32Array(length);
}

function defaultMaxValue(bitDepth: BitDepth): number {
  return bitDepth === 8 ? 255 : bitDepth === 16 ? 65535 : 1;
}

export function createImage(width: number, height: number, channels: ChannelCount, bitDepth: BitDepth, maxValue = defaultMaxValue(bitDepth)): PixelImage {
  return { width, height, channels, bitDepth, maxValue, data: sampleArrayFor(bitDepth, width * height * channels) };
}

/** The layout alone, without the samples (for headers and sinks). */
export function layoutOf(image: PixelLayout): PixelLayout {
  const { width, height, channels, bitDepth, maxValue } = image;
  return { width, height, channels, bitDepth, maxValue };
}
