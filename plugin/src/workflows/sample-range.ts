/**
 * Photoshop's 16-bit documents hold 0..32768 (the Imaging API's "reduced range"), not 0..65535. The helper
 * learns the range from each layout's `maxValue`, so only the panel needs to know it.
 */
export const PHOTOSHOP_16_BIT_MAX = 32768;

/** The sample value of full intensity in pixels the panel exchanges with Photoshop. */
export function maxValueOf(bitDepth: 8 | 16): number {
  return bitDepth === 8 ? 255 : PHOTOSHOP_16_BIT_MAX;
}
