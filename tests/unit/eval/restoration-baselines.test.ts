import path from 'node:path';
import { decodeImageFile } from '../../../native-helper/src/codecs/image-file';
import { autoLevels } from '../../../native-helper/src/eval/auto-levels';
import { BASELINES } from '../../../native-helper/src/eval/baselines';
import { linearMotionKernel } from '../../../native-helper/src/eval/blur-kernel';
import { addGaussianNoise, blurInLinearLight, cameraNoise, LOW_LIGHT_STOPS } from '../../../native-helper/src/eval/degradations';
import { highFrequencyEnergy } from '../../../native-helper/src/eval/high-frequency';
import { toLinear } from '../../../native-helper/src/eval/linear-light';
import { estimateNoiseSigma, nonLocalMeans } from '../../../native-helper/src/eval/non-local-means';
import { lumaBt601, rgbPlanes } from '../../../native-helper/src/eval/planes';
import { psnr } from '../../../native-helper/src/eval/psnr';
import { richardsonLucy } from '../../../native-helper/src/eval/richardson-lucy';
import { cropImage } from '../../../native-helper/src/imaging/crop';
import { unsharpMask } from '../../../native-helper/src/eval/unsharp-mask';
import { createImage, type PixelImage } from '../../../native-helper/src/imaging/pixel-image';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'images');

async function crop(file: string, x: number, y: number, size = 96): Promise<PixelImage> {
  const { image } = await decodeImageFile(path.join(FIXTURES, file));
  return cropImage(image, { x, y, width: size, height: size });
}

function filled(value: number, size = 48): PixelImage {
  const image = createImage(size, size, 3, 8);
  image.data.fill(value);
  return image;
}

const psnrRgb = (truth: PixelImage, result: PixelImage) => psnr(rgbPlanes(truth), rgbPlanes(result));

describe('Richardson–Lucy with the true kernel', () => {
  it('takes most of a known motion blur back out of a photo', async () => {
    const truth = await crop('astronaut.png', 180, 60);
    const kernel = linearMotionKernel(15, 0.5);
    const blurred = blurInLinearLight(truth, kernel);
    const restored = BASELINES['richardson-lucy'].run({ image: blurred, kernel }, 1);
    expect(psnrRgb(truth, restored)).toBeGreaterThan(psnrRgb(truth, blurred) + 3);
    expect(highFrequencyEnergy(lumaBt601(restored))).toBeGreaterThan(2 * highFrequencyEnergy(lumaBt601(blurred)));
  });

  it('leaves a flat image flat, and refuses to run without a kernel', () => {
    const flat = toLinear(filled(120));
    const restored = richardsonLucy(flat, linearMotionKernel(9, 1));
    for (const v of restored.data) expect(v).toBeCloseTo(flat.data[0], 5);
    expect(() => BASELINES['richardson-lucy'].run({ image: filled(120) }, 1)).toThrow(/true kernel/);
  });
});

describe('unsharp mask', () => {
  it('steepens a blurred photo’s edges (more detail) but leaves flat areas alone', async () => {
    const truth = await crop('coffee.png', 300, 150);
    const blurred = blurInLinearLight(truth, linearMotionKernel(9, 0));
    const sharpened = unsharpMask(blurred);
    expect(highFrequencyEnergy(lumaBt601(sharpened))).toBeGreaterThan(2 * highFrequencyEnergy(lumaBt601(blurred)));
    expect(Array.from(unsharpMask(filled(77)).data).every((v) => v === 77)).toBe(true);
  });

  it('overshoots on both sides of an edge, as a sharpen does', () => {
    const edge = createImage(32, 8, 3, 8);
    for (let y = 0; y < 8; y++) for (let x = 0; x < 32; x++) edge.data.fill(x < 16 ? 60 : 180, (y * 32 + x) * 3, (y * 32 + x) * 3 + 3);
    const row = Array.from({ length: 32 }, (_, x) => unsharpMask(edge).data[(4 * 32 + x) * 3]);
    expect(Math.min(...row)).toBeLessThan(60);
    expect(Math.max(...row)).toBeGreaterThan(180);
    expect(row[0]).toBe(60);
    expect(row[31]).toBe(180);
  });
});

describe('non-local means', () => {
  it('estimates the σ of white noise from the image alone', () => {
    for (const sigma of [5, 15]) expect(estimateNoiseSigma(addGaussianNoise(filled(128, 128), sigma, 3)) / sigma).toBeCloseTo(1, 1);
    expect(estimateNoiseSigma(filled(128))).toBe(0);
  });

  it('removes most of the noise of a noisy photo, without knowing σ', async () => {
    const truth = await crop('chelsea.png', 150, 50, 64);
    const noisy = addGaussianNoise(truth, 15, 4);
    const denoised = BASELINES['non-local-means'].run({ image: noisy }, 1);
    expect(psnrRgb(truth, denoised)).toBeGreaterThan(psnrRgb(truth, noisy) + 3);
    // On a flat field it leaves under a third of the noise.
    const flat = addGaussianNoise(filled(128, 64), 15, 5);
    const residual = nonLocalMeans(flat, 15).data;
    const rms = Math.sqrt(Array.from(residual).reduce((s, v) => s + (v - 128) ** 2, 0) / residual.length);
    expect(rms).toBeLessThan(5);
  });
});

describe('auto levels', () => {
  it('stretches the darkest and brightest samples to black and white, one stretch for all channels', () => {
    const image = createImage(2, 1, 3, 8);
    image.data.set([50, 100, 150, 60, 90, 120]);
    expect(Array.from(autoLevels(image, 0).data)).toEqual([0, 127, 255, 26, 102, 179]);
    expect(autoLevels(filled(90)).data).toEqual(filled(90).data);
  });

  it('brings an image 2 stops under back close to its exposure', async () => {
    const truth = await crop('astronaut.png', 160, 40);
    const dark = cameraNoise(truth, 6, LOW_LIGHT_STOPS);
    expect(psnrRgb(truth, BASELINES['auto-levels'].run({ image: dark }, 1))).toBeGreaterThan(psnrRgb(truth, dark) + 5);
  });
});
