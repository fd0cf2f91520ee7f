import { imagePsnr, precisionMarkdown } from '../../../native-helper/src/bench/measure-precision';
import { createImage } from '../../../native-helper/src/imaging/pixel-image';

describe('mend bench --precision', () => {
  it('measures PSNR against the fp32 output over every sample, Infinity when equal', () => {
    const a = createImage(4, 4, 3, 8);
    a.data.fill(100);
    const b = createImage(4, 4, 3, 8);
    b.data.fill(100);
    expect(imagePsnr(a, b)).toBe(Number.POSITIVE_INFINITY);
    b.data[0] = 110;
    // One sample of 48 off by 10: MSE 100/48.
    expect(imagePsnr(a, b)).toBeCloseTo(10 * Math.log10((255 * 255 * 48) / 100), 6);
  });

  it('tables the medians, the median ratio of the pairs and the PSNR', () => {
    const table = precisionMarkdown([
      { model: 'realesrgan-x4plus', precision: 'int8', size: 256, firstRunMs: 60000, fp32Ms: [10000, 12000, 11000], variantMs: [4000, 6000, 5000], speedRatio: 2.4, psnrDb: 37.04 },
    ]);
    expect(table.split('\n')[2]).toBe('| realesrgan-x4plus · int8 | 256² | 11.00 s | 5.00 s | 2.40× | 37.0 dB | 60.0 s |');
  });
});
