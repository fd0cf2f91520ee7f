import path from 'node:path';
import { decodeImageFile } from '../../../native-helper/src/codecs/image-file';
import type { PixelImage } from '../../../native-helper/src/imaging/pixel-image';
import { createImage } from '../../../native-helper/src/imaging/pixel-image';
import { highFrequencyEnergy } from '../../../native-helper/src/eval/high-frequency';
import { lumaBt601, rgbPlanes, shave, type Plane } from '../../../native-helper/src/eval/planes';
import { psnr } from '../../../native-helper/src/eval/psnr';
import { meanSsim, ssim } from '../../../native-helper/src/eval/ssim';
import { cropImage } from '../../../native-helper/src/imaging/crop';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'images');
const load = async (name: string) => (await decodeImageFile(path.join(FIXTURES, name))).image;

/** A gray image's samples as a plane (0..255). */
function grayPlane(image: PixelImage): Plane {
  expect(image.channels).toBe(1);
  return { width: image.width, height: image.height, data: Float64Array.from(image.data) };
}

const crop = (image: PixelImage, x: number, y: number, size = 128) => cropImage(image, { x, y, width: size, height: size });

/*
 * Reference values from scikit-image 0.19.3 (Debian python3-skimage), computed once:
 *   from skimage.metrics import structural_similarity, peak_signal_noise_ratio
 *   kw = dict(gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=255)
 *   cam, brick, chel = imread('camera.png'), imread('brick.png'), imread('chelsea.png')
 *   a, b = cam[100:228, 150:278], cam[101:229, 152:280]          # a crop and the crop shifted by (1, 2)
 *   structural_similarity(a, b, **kw); peak_signal_noise_ratio(a, b, data_range=255)
 *   structural_similarity(a, brick[100:228, 150:278], **kw)      # two unrelated textures
 *   x, y = chel[50:178, 150:278], chel[51:179, 152:280]
 *   structural_similarity(x, y, channel_axis=-1, **kw); peak_signal_noise_ratio(x, y, data_range=255)
 *   Y = lambda im: 16 + 65.481*im[...,0]/255 + 128.553*im[...,1]/255 + 24.966*im[...,2]/255   (float64)
 *   structural_similarity(Y(x), Y(y), **kw); peak_signal_noise_ratio(Y(x), Y(y), data_range=255)
 */
const REFERENCE = {
  cameraShifted: { ssim: 0.5750939609, psnr: 18.0432299329 },
  cameraVsBrick: { ssim: 0.1859862027, psnr: 10.5432866819 },
  chelseaRgbShifted: { ssim: 0.4128852509, psnr: 22.2448097728 },
  chelseaYShifted: { ssim: 0.4578148066, psnr: 23.607571954 },
};

describe('SSIM and PSNR against scikit-image', () => {
  it('match on a gray crop and the same crop shifted', async () => {
    const camera = await load('camera.png');
    const a = grayPlane(crop(camera, 150, 100));
    const b = grayPlane(crop(camera, 152, 101));
    expect(ssim(a, b)).toBeCloseTo(REFERENCE.cameraShifted.ssim, 7);
    expect(psnr([a], [b])).toBeCloseTo(REFERENCE.cameraShifted.psnr, 7);
  });

  it('match on two unrelated textures', async () => {
    const a = grayPlane(crop(await load('camera.png'), 150, 100));
    const b = grayPlane(crop(await load('brick.png'), 150, 100));
    expect(ssim(a, b)).toBeCloseTo(REFERENCE.cameraVsBrick.ssim, 7);
    expect(psnr([a], [b])).toBeCloseTo(REFERENCE.cameraVsBrick.psnr, 7);
  });

  it('match on RGB (SSIM averaged over channels, PSNR pooled) and on BT.601 luma', async () => {
    const chelsea = await load('chelsea.png');
    const x = crop(chelsea, 150, 50);
    const y = crop(chelsea, 152, 51);
    expect(meanSsim(rgbPlanes(x), rgbPlanes(y))).toBeCloseTo(REFERENCE.chelseaRgbShifted.ssim, 7);
    expect(psnr(rgbPlanes(x), rgbPlanes(y))).toBeCloseTo(REFERENCE.chelseaRgbShifted.psnr, 7);
    expect(ssim(lumaBt601(x), lumaBt601(y))).toBeCloseTo(REFERENCE.chelseaYShifted.ssim, 7);
    expect(psnr([lumaBt601(x)], [lumaBt601(y)])).toBeCloseTo(REFERENCE.chelseaYShifted.psnr, 7);
  });
});

describe('metric definitions', () => {
  const flat = (value: number, size = 32): Plane => ({ width: size, height: size, data: new Float64Array(size * size).fill(value) });

  it('gives 1 and infinite PSNR for identical planes, and PSNR from the MSE', () => {
    const a = flat(100);
    expect(ssim(a, a)).toBe(1);
    expect(psnr([a], [a])).toBe(Infinity);
    // MSE 25 → 10·log10(255² / 25)
    expect(psnr([a], [flat(105)])).toBeCloseTo(10 * Math.log10((255 * 255) / 25), 10);
  });

  it('puts BT.601 luma in the studio range 16..235', () => {
    const image = createImage(2, 1, 3, 8);
    image.data.set([0, 0, 0, 255, 255, 255]);
    const y = lumaBt601(image).data;
    expect(y[0]).toBeCloseTo(16, 10);
    expect(y[1]).toBeCloseTo(235, 10);
  });

  it('shaves borders, and refuses planes smaller than the SSIM window or of different sizes', () => {
    expect(shave(flat(1, 32), 4).width).toBe(24);
    expect(() => ssim(flat(1, 10), flat(1, 10))).toThrow(/smaller than the 11×11 filter/);
    expect(() => ssim(flat(1, 32), flat(1, 16))).toThrow(/different sizes/);
    expect(() => psnr([flat(1, 32)], [flat(1, 16)])).toThrow(/different sizes/);
  });

  it('measures high-frequency energy: none in a flat plane, less after a blur than before', async () => {
    expect(highFrequencyEnergy(flat(80))).toBe(0);
    const sharp = grayPlane(crop(await load('brick.png'), 100, 100, 64));
    const blurred: Plane = { ...sharp, data: sharp.data.map((v, i) => (v + sharp.data[i + 1 < sharp.data.length ? i + 1 : i]) / 2) };
    expect(highFrequencyEnergy(blurred)).toBeLessThan(0.8 * highFrequencyEnergy(sharp));
  });
});
