import path from 'node:path';
import { decodeImageFile } from '../../../native-helper/src/codecs/image-file';
import { createImage, type PixelImage } from '../../../native-helper/src/imaging/pixel-image';
import { BASELINES, nearestUpscale } from '../../../native-helper/src/eval/baselines';
import { addGaussianNoise, bicubicDownscale, jpegRoundTrip, motionBlur } from '../../../native-helper/src/eval/degradations';
import { rgbPlanes } from '../../../native-helper/src/eval/planes';
import { psnr } from '../../../native-helper/src/eval/psnr';
import { cropImage } from '../../../native-helper/src/imaging/crop';
import { LANCZOS3 } from '../../../native-helper/src/imaging/resample';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'images');

function filled(width: number, height: number, value: number): PixelImage {
  const image = createImage(width, height, 3, 8);
  image.data.fill(value);
  return image;
}

async function chelseaCrop(): Promise<PixelImage> {
  const { image } = await decodeImageFile(path.join(FIXTURES, 'chelsea.png'));
  return cropImage(image, { x: 150, y: 50, width: 128, height: 128 });
}

describe('Gaussian noise', () => {
  it('has the σ asked for, zero mean, and is the same for the same seed', () => {
    const gray = filled(128, 128, 128);
    for (const sigma of [15, 25]) {
      const samples = Array.from(addGaussianNoise(gray, sigma).data);
      const n = samples.length;
      const mean = samples.reduce((s, v) => s + v, 0) / n;
      const std = Math.sqrt(samples.reduce((s, v) => s + (v - mean) ** 2, 0) / n);
      expect(Math.abs(mean - 128)).toBeLessThan(0.3);
      expect(Math.abs(std - sigma)).toBeLessThan(0.02 * sigma);
    }
    expect(addGaussianNoise(gray, 15, 7).data).toEqual(addGaussianNoise(gray, 15, 7).data);
    expect(addGaussianNoise(gray, 15, 7).data).not.toEqual(addGaussianNoise(gray, 15, 8).data);
  });
});

describe('JPEG round trip', () => {
  it('keeps the size and loses more at lower quality', async () => {
    const truth = await chelseaCrop();
    const scores = [];
    for (const quality of [20, 40, 95]) {
      const jpeg = await jpegRoundTrip(truth, quality);
      expect([jpeg.width, jpeg.height, jpeg.channels]).toEqual([128, 128, 3]);
      scores.push(psnr(rgbPlanes(truth), rgbPlanes(jpeg)));
    }
    expect(scores[0]).toBeLessThan(scores[1]);
    expect(scores[1]).toBeLessThan(scores[2]);
    expect(scores[2]).toBeGreaterThan(35);
    expect(scores[0]).toBeLessThan(32);
  });
});

describe('bicubic downscale and motion blur', () => {
  it('shrink exactly and keep flat images flat', () => {
    const small = bicubicDownscale(filled(64, 48, 77), 4);
    expect([small.width, small.height]).toEqual([16, 12]);
    expect(small.data.every((v) => v === 77)).toBe(true);
    expect(() => bicubicDownscale(filled(30, 30, 0), 4)).toThrow(/multiple of 4/);
  });

  it('blurs along x only, over the length asked for', () => {
    // A vertical edge: black left half, white right half.
    const edge = createImage(32, 4, 3, 8);
    for (let y = 0; y < 4; y++) for (let x = 16; x < 32; x++) edge.data.fill(255, (y * 32 + x) * 3, (y * 32 + x) * 3 + 3);
    const blurred = motionBlur(edge, 9);
    const row = Array.from({ length: 32 }, (_, x) => blurred.data[x * 3]);
    const ramp = row.filter((v) => v > 0 && v < 255);
    expect(ramp).toHaveLength(8);
    for (let y = 1; y < 4; y++) expect(Array.from({ length: 32 }, (_, x) => blurred.data[(y * 32 + x) * 3])).toEqual(row);
    expect(() => motionBlur(edge, 8)).toThrow(/odd/);
  });
});

describe('baselines', () => {
  it('enlarge a ×2 shrink closer to the truth with bicubic and Lanczos than with nearest', async () => {
    const truth = await chelseaCrop();
    const small = bicubicDownscale(truth, 2);
    const score = (id: 'identity' | 'bicubic' | 'lanczos') => psnr(rgbPlanes(truth), rgbPlanes(BASELINES[id].run({ image: small }, 2)));
    expect(score('bicubic')).toBeGreaterThan(score('identity') + 0.5);
    expect(score('lanczos')).toBeGreaterThan(score('identity') + 0.5);
  });

  it('replicate pixels for nearest, and use a Lanczos-3 kernel that is 1 at 0 and 0 at the other integers', () => {
    const image = createImage(2, 1, 3, 8);
    image.data.set([10, 20, 30, 40, 50, 60]);
    expect(Array.from(nearestUpscale(image, 2).data.subarray(0, 12))).toEqual([10, 20, 30, 10, 20, 30, 40, 50, 60, 40, 50, 60]);
    expect(LANCZOS3.weight(0)).toBe(1);
    for (const x of [1, 2, -1, 3]) expect(Math.abs(LANCZOS3.weight(x))).toBeLessThan(1e-12);
  });
});
