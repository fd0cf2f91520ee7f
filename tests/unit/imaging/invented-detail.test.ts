import { inventedDetailMap } from '../../../native-helper/src/imaging/invented-detail';
import { createImage, type PixelImage } from '../../../native-helper/src/imaging/pixel-image';
import { resampleImage } from '../../../native-helper/src/imaging/resample';

const SCALE = 4;
const INPUT = 24;
const OUTPUT = INPUT * SCALE;

/** A smooth photo-like input: gradients, no detail finer than a few pixels. */
function smoothInput(channels: 3 | 4 = 3): PixelImage {
  const image = createImage(INPUT, INPUT, channels, 8);
  for (let y = 0; y < INPUT; y++) {
    for (let x = 0; x < INPUT; x++) {
      const i = (y * INPUT + x) * channels;
      image.data.set([90 + 3 * x, 70 + 2 * y, 110 + x + y], i);
      if (channels === 4) image.data[i + 3] = 255;
    }
  }
  return image;
}

/** `base` with a fine pseudo-random texture of ± `amplitude` added inside `region` (output pixels). */
function withTexture(base: PixelImage, amplitude: number, region: { x0: number; x1: number; y0: number; y1: number }): PixelImage {
  const out = { ...base, data: base.data.slice() };
  for (let y = region.y0; y < region.y1; y++) {
    for (let x = region.x0; x < region.x1; x++) {
      const noise = (((x * 73 + y * 151) % 17) / 8 - 1) * amplitude;
      for (let c = 0; c < 3; c++) {
        const i = (y * base.width + x) * base.channels + c;
        out.data[i] = Math.min(255, Math.max(0, Math.round(base.data[i] + noise)));
      }
    }
  }
  return out;
}

function mean(map: PixelImage, region: { x0: number; x1: number; y0: number; y1: number }): number {
  let sum = 0;
  for (let y = region.y0; y < region.y1; y++) for (let x = region.x0; x < region.x1; x++) sum += map.data[y * map.width + x];
  return sum / ((region.x1 - region.x0) * (region.y1 - region.y0));
}

const LEFT_HALF = { x0: 0, x1: OUTPUT / 2, y0: 0, y1: OUTPUT };
const RIGHT_HALF = { x0: OUTPUT / 2, x1: OUTPUT, y0: 0, y1: OUTPUT };

describe('map of invented detail', () => {
  const input = smoothInput();
  const base = resampleImage(input, OUTPUT, OUTPUT);
  const output = withTexture(base, 24, RIGHT_HALF);

  it('is one 8-bit channel at the output’s size, the same on every run', () => {
    const map = inventedDetailMap({ input, output, base, scale: SCALE });
    expect([map.width, map.height, map.channels, map.bitDepth, map.maxValue]).toEqual([OUTPUT, OUTPUT, 1, 8, 255]);
    expect(Array.from(inventedDetailMap({ input, output, base, scale: SCALE }).data)).toEqual(Array.from(map.data));
  });

  it('is 0 wherever the output equals the fidelity base', () => {
    expect(Math.max(...inventedDetailMap({ input, output: base, base, scale: SCALE }).data)).toBe(0);
    const map = inventedDetailMap({ input, output, base, scale: SCALE });
    expect(mean(map, LEFT_HALF)).toBe(0);
  });

  it('is high where the model made up texture the input does not hold', () => {
    const map = inventedDetailMap({ input, output, base, scale: SCALE });
    expect(mean(map, { ...RIGHT_HALF, x0: RIGHT_HALF.x0 + 8 })).toBeGreaterThan(48);
  });

  it('reads the same amount of invented detail as the same gray on any image: weak texture stays dark', () => {
    const weak = inventedDetailMap({ input, output: withTexture(base, 2, RIGHT_HALF), base, scale: SCALE });
    const strong = inventedDetailMap({ input, output: withTexture(base, 24, RIGHT_HALF), base, scale: SCALE });
    // A per-image min–max stretch would paint both at 255.
    expect(Math.max(...weak.data)).toBeLessThan(96);
    expect(Math.max(...strong.data)).toBeGreaterThan(200);
  });

  it('counts less of a departure where the fidelity base itself recovered detail from the input', () => {
    // The same texture on the base and, with another pattern, on the output: a real structure both models see.
    const structured = withTexture(base, 24, RIGHT_HALF);
    const differing = withTexture(structured, 12, RIGHT_HALF);
    const onFlatBase = inventedDetailMap({ input, output: withTexture(base, 12, RIGHT_HALF), base, scale: SCALE });
    const onDetailedBase = inventedDetailMap({ input, output: differing, base: structured, scale: SCALE });
    expect(mean(onDetailedBase, RIGHT_HALF)).toBeLessThan(mean(onFlatBase, RIGHT_HALF));
  });

  it('ignores alpha and refuses a base of another size', () => {
    const rgba = smoothInput(4);
    const rgbaBase = resampleImage(rgba, OUTPUT, OUTPUT);
    const rgbaOutput = withTexture(rgbaBase, 24, RIGHT_HALF);
    for (let p = 0; p < OUTPUT * OUTPUT; p++) rgbaOutput.data[p * 4 + 3] = 7;
    const map = inventedDetailMap({ input: rgba, output: rgbaOutput, base: rgbaBase, scale: SCALE });
    expect(mean(map, LEFT_HALF)).toBe(0);
    expect(() => inventedDetailMap({ input, output, base: input, scale: SCALE })).toThrow('size');
  });
});
