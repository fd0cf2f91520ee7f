/** Rec. 601 weights of red, green and blue in a pixel's brightness: what gray conversions of photos use. */
export const LUMA = [0.299, 0.587, 0.114] as const;

/**
 * The brightness of the pixel whose samples start at `offset`, on the samples' own scale: a gray
 * pixel's value as it is, a colour pixel's Rec. 601 luma. Alpha is not looked at.
 */
export function lumaAt(data: ArrayLike<number>, offset: number, channels: number): number {
  return channels <= 2 ? data[offset] : LUMA[0] * data[offset] + LUMA[1] * data[offset + 1] + LUMA[2] * data[offset + 2];
}
