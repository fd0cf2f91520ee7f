import { applyDetailStrength } from '../../../native-helper/src/imaging/detail-strength';
import { blurPlane } from '../../../native-helper/src/imaging/gaussian-blur';
import { createImage, type PixelImage } from '../../../native-helper/src/imaging/pixel-image';

const SIZE = 48;

/**
 * A fidelity base (a soft colour gradient) and a "GAN" output of it: the base with a fine luma
 * texture added, a slightly warmer colour and a brightness step on the right half (low frequencies
 * the GAN changed). 16-bit images use the same picture at 257× the values.
 */
function pair(channels: 3 | 4, bitDepth: 8 | 16): { base: PixelImage; model: PixelImage } {
  const maxValue = bitDepth === 8 ? 255 : 65535;
  const unit = maxValue / 255;
  const base = createImage(SIZE, SIZE, channels, bitDepth, maxValue);
  const model = createImage(SIZE, SIZE, channels, bitDepth, maxValue);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const i = (y * SIZE + x) * channels;
      const rgb = [60 + 2 * x, 80 + y, 120 + x];
      const texture = ((x + y) % 2 === 0 ? 1 : -1) * ((x * 7 + y * 3) % 5) * 4;
      const step = x >= SIZE / 2 ? 10 : 0;
      for (let c = 0; c < 3; c++) {
        base.data[i + c] = Math.round(rgb[c] * unit);
        model.data[i + c] = Math.round((rgb[c] + texture + step + (c === 0 ? 6 : 0)) * unit);
      }
      if (channels === 4) {
        base.data[i + 3] = maxValue;
        model.data[i + 3] = Math.round(((x * 5) % 256) * unit);
      }
    }
  }
  return { base, model };
}

function maxColourDifference(a: PixelImage, b: PixelImage): number {
  let max = 0;
  for (let i = 0; i < a.data.length; i++) if (i % a.channels < 3) max = Math.max(max, Math.abs(a.data[i] - b.data[i]));
  return max / a.maxValue;
}

/** One colour channel blurred with σ = 4: what the eye reads as shading and colour, not texture. */
function lowFrequencies(image: PixelImage, channel: number): Float32Array {
  const plane = new Float32Array(SIZE * SIZE);
  for (let p = 0; p < plane.length; p++) plane[p] = image.data[p * image.channels + channel] / image.maxValue;
  return blurPlane(plane, SIZE, SIZE, 4);
}

describe.each([
  [3, 8],
  [4, 8],
  [3, 16],
  [4, 16],
] as const)('detail strength on %i channels, %i-bit', (channels, bitDepth) => {
  const { base, model } = pair(channels, bitDepth);

  it('at k = 1 is the model output itself (within 1/255)', () => {
    const out = applyDetailStrength(base, model, 1);
    expect(maxColourDifference(out, model)).toBeLessThanOrEqual(1 / 255);
    expect(Array.from(out.data)).toEqual(Array.from(model.data));
  });

  it('at k = 0 is the fidelity base, with the model’s alpha', () => {
    const out = applyDetailStrength(base, model, 0);
    expect(maxColourDifference(out, base)).toBe(0);
    if (channels === 4) for (let p = 0; p < SIZE * SIZE; p++) expect(out.data[p * 4 + 3]).toBe(model.data[p * 4 + 3]);
  });

  it('in between lies between the base and the model, sample by sample', () => {
    const out = applyDetailStrength(base, model, 0.5);
    let outside = 0;
    let moved = 0;
    for (let i = 0; i < out.data.length; i++) {
      if (i % channels === 3) continue;
      const lo = Math.min(base.data[i], model.data[i]);
      const hi = Math.max(base.data[i], model.data[i]);
      if (out.data[i] < lo || out.data[i] > hi) outside++;
      if (out.data[i] !== base.data[i] && out.data[i] !== model.data[i]) moved++;
    }
    expect(outside).toBe(0);
    expect(moved).toBeGreaterThan(out.data.length / 2);
  });

  it('at k = 2 keeps the model’s colour and low frequencies while its texture grows', () => {
    const out = applyDetailStrength(base, model, 2);
    for (let c = 0; c < 3; c++) {
      const kept = lowFrequencies(out, c);
      const wanted = lowFrequencies(model, c);
      const shifted = lowFrequencies(base, c);
      let worst = 0;
      let baseShift = 0;
      for (let p = 0; p < kept.length; p++) {
        worst = Math.max(worst, Math.abs(kept[p] - wanted[p]));
        baseShift = Math.max(baseShift, Math.abs(wanted[p] - shifted[p]));
      }
      // Extrapolating base + 2·(model − base) would move them by as much as the model moved them from the base.
      expect(worst).toBeLessThan(1.5 / 255);
      expect(baseShift).toBeGreaterThan(8 / 255);
    }
    // The texture is added as luma: R, G and B move by one amount, so the hue stays.
    let textureOut = 0;
    let textureModel = 0;
    for (let p = 0; p < SIZE * SIZE; p++) {
      const i = p * channels;
      const deltas = [0, 1, 2].map((c) => out.data[i + c] - model.data[i + c]);
      expect(Math.max(...deltas) - Math.min(...deltas)).toBeLessThanOrEqual(1);
      textureOut += Math.abs(out.data[i + 1] - base.data[i + 1]);
      textureModel += Math.abs(model.data[i + 1] - base.data[i + 1]);
    }
    expect(textureOut).toBeGreaterThan(1.3 * textureModel);
  });
});

describe('detail strength', () => {
  it('refuses a base and model of different layouts', () => {
    const { base } = pair(3, 8);
    const { model } = pair(4, 8);
    expect(() => applyDetailStrength(base, model, 0.5)).toThrow('one layout');
  });
});
