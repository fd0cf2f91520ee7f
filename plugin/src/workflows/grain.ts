import { seededRandom } from '@mend/protocol';
import type { HostPixels } from './host';
import { maxValueOf } from './sample-range';

/** Largest grain, in output levels of 8-bit, at amount 1: visible in flat areas, invisible in texture. */
const MAX_GRAIN_LEVELS = 6;

/**
 * Adds monochrome, roughly Gaussian grain (sum of uniforms) to the colour channels of one band of an
 * image whose first row is `firstRow`; alpha is kept. The same image gets the same grain: repeatable results.
 */
export function addGrain(band: HostPixels, amount: number, firstRow: number): HostPixels {
  if (amount <= 0) return band;
  const max = maxValueOf(band.bitDepth);
  const strength = (amount * MAX_GRAIN_LEVELS * max) / 255;
  const colour = band.channels === 1 || band.channels === 2 ? 1 : 3;
  const data = band.data.slice();
  const next = seededRandom(band.width * 73856093 + firstRow * 19349663);
  for (let p = 0; p < band.width * band.height; p++) {
    const noise = (next() + next() + next() - 1.5) * strength;
    for (let c = 0; c < colour; c++) {
      const i = p * band.channels + c;
      data[i] = Math.min(max, Math.max(0, Math.round(data[i] + noise)));
    }
  }
  return { ...band, data };
}
