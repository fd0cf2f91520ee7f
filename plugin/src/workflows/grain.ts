import { seededRandom } from '../../../native-helper/src/imaging/seeded-random';
import type { HostPixels } from './host';

/** Largest grain, in output levels of 8-bit, at amount 1: visible in flat areas, invisible in texture. */
const MAX_GRAIN_LEVELS = 6;

/** Adds monochrome, roughly Gaussian grain (sum of uniforms) to the colour channels; alpha is kept. */
export function addGrain(pixels: HostPixels, amount: number): HostPixels {
  if (amount <= 0) return pixels;
  const max = pixels.bitDepth === 8 ? 255 : 32768;
  const strength = (amount * MAX_GRAIN_LEVELS * max) / 255;
  const colour = pixels.components === 1 || pixels.components === 2 ? 1 : 3;
  const data = pixels.data.slice();
  // The same image gets the same grain: repeatable results.
  const next = seededRandom(pixels.width * 73856093 + pixels.height * 19349663);
  for (let p = 0; p < pixels.width * pixels.height; p++) {
    const noise = (next() + next() + next() - 1.5) * strength;
    for (let c = 0; c < colour; c++) {
      const i = p * pixels.components + c;
      data[i] = Math.min(max, Math.max(0, Math.round(data[i] + noise)));
    }
  }
  return { ...pixels, data };
}
