import { z } from 'zod';

/** Longest side the helper accepts; a 24 MP photo is ~6000 px wide, ×8 output ~48000. */
export const MAX_IMAGE_SIDE = 65536;

/** 1 = gray, 2 = gray + alpha, 3 = RGB, 4 = RGBA; always interleaved ("chunky"). */
export const channelCountSchema = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);
export type ChannelCount = z.infer<typeof channelCountSchema>;

/** Integer samples of 8 or 16 bits, or float32 samples. Multi-byte samples travel little-endian. */
export const bitDepthSchema = z.union([z.literal(8), z.literal(16), z.literal(32)]);
export type BitDepth = z.infer<typeof bitDepthSchema>;

/**
 * How a block of pixel bytes is laid out. `maxValue` is the sample value that means "full
 * intensity": 255 for 8-bit, 65535 for 16-bit files, 32768 for Photoshop's 16-bit documents,
 * 1 for float.
 */
export const pixelLayoutSchema = z
  .object({
    width: z.number().int().min(1).max(MAX_IMAGE_SIDE),
    height: z.number().int().min(1).max(MAX_IMAGE_SIDE),
    channels: channelCountSchema,
    bitDepth: bitDepthSchema,
    maxValue: z.number().positive(),
  })
  .refine((p) => p.bitDepth === 32 || (Number.isInteger(p.maxValue) && p.maxValue <= 2 ** p.bitDepth - 1), {
    message: 'maxValue must be an integer that fits the bit depth (e.g. 255 for 8-bit, 32768 or 65535 for 16-bit)',
  });
export type PixelLayout = z.infer<typeof pixelLayoutSchema>;

export function bytesPerSample(bitDepth: BitDepth): number {
  return bitDepth / 8;
}

export function pixelByteLength(layout: PixelLayout): number {
  return layout.width * layout.height * layout.channels * bytesPerSample(layout.bitDepth);
}

/** Bytes of one row: bands of an image are whole rows. */
export function rowByteLength(layout: PixelLayout): number {
  return layout.width * layout.channels * bytesPerSample(layout.bitDepth);
}

export function hasAlpha(channels: ChannelCount): boolean {
  return channels === 2 || channels === 4;
}
