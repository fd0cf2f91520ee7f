import { matchColour } from '../../../native-helper/src/faces/colour-match';
import { createImage, type PixelImage } from '../../../native-helper/src/imaging/pixel-image';
import { LUMA } from '../../../native-helper/src/imaging/luma';

const SIDE = 40;

/** A float RGB crop from a colour function of (x, y). */
function crop(colour: (x: number, y: number) => [number, number, number]): PixelImage {
  const image = createImage(SIDE, SIDE, 3, 32, 1);
  for (let y = 0; y < SIDE; y++) for (let x = 0; x < SIDE; x++) image.data.set(colour(x, y), (y * SIDE + x) * 3);
  return image;
}

/** Weighted mean and spread of luma, Cb-like (B − Y) and Cr-like (R − Y) over the mask. */
function stats(image: PixelImage, mask: Float32Array) {
  const channels = [0, 1, 2].map(() => ({ sum: 0, sq: 0 }));
  let total = 0;
  for (let p = 0; p < mask.length; p++) {
    const [r, g, b] = image.data.subarray(p * 3, p * 3 + 3);
    const y = LUMA[0] * r + LUMA[1] * g + LUMA[2] * b;
    [y, b - y, r - y].forEach((v, c) => {
      channels[c].sum += mask[p] * v;
      channels[c].sq += mask[p] * v * v;
    });
    total += mask[p];
  }
  return channels.map(({ sum, sq }) => ({ mean: sum / total, std: Math.sqrt(Math.max(0, sq / total - (sum / total) ** 2)) }));
}

const texture = (x: number, y: number) => ((x * 7 + y * 13) % 5) / 50 - 0.04;
/** Skin-like tones varying across the face, with fine texture; a red patch in the corner outside the mask. */
const skin = (x: number, y: number): [number, number, number] => [0.6 + x / 200 + texture(x, y), 0.45 + y / 300 + texture(x, y), 0.35 + texture(x, y)];
const original = crop((x, y) => (x > 30 && y > 30 ? [1, 0, 0] : skin(x, y)));
/** What a restorer might answer: warmer, more saturated, with twice the detail, and skin where the red patch was. */
const restored = crop((x, y) => {
  const [r, g, b] = skin(x, y);
  const t = texture(x, y);
  return [r * 1.15 + 0.03 + t, g + t, b * 0.8 + t];
});
const mask = Float32Array.from({ length: SIDE * SIDE }, (_, p) => (p % SIDE < 30 && Math.floor(p / SIDE) < 30 ? 1 : 0));

describe('matchColour', () => {
  it('gives the restored face the original’s mean colour and colour spread over the mask', () => {
    const matched = stats(matchColour(restored, original, mask), mask);
    const target = stats(original, mask);
    for (let c = 0; c < 3; c++) expect(matched[c].mean).toBeCloseTo(target[c].mean, 4);
    for (let c = 1; c < 3; c++) expect(matched[c].std).toBeCloseTo(target[c].std, 4);
  });

  it('keeps the restorer’s brightness detail (the spread of luma)', () => {
    const before = stats(restored, mask)[0].std;
    expect(before).toBeGreaterThan(stats(original, mask)[0].std * 1.2);
    expect(stats(matchColour(restored, original, mask), mask)[0].std).toBeCloseTo(before, 4);
  });

  it('ignores what lies outside the mask (the red patch)', () => {
    const unmasked = stats(matchColour(restored, original, mask), mask);
    const allPixels = stats(matchColour(restored, original, new Float32Array(SIDE * SIDE).fill(1)), mask);
    expect(Math.abs(unmasked[2].mean - stats(original, mask)[2].mean)).toBeLessThan(1e-4);
    expect(Math.abs(allPixels[2].mean - stats(original, mask)[2].mean)).toBeGreaterThan(0.005);
  });

  it('leaves the crop as it is under an empty mask', () => {
    expect(matchColour(restored, original, new Float32Array(SIDE * SIDE))).toBe(restored);
  });
});
