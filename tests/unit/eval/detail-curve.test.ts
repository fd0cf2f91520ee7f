import sharp from 'sharp';
import { DETAIL_STRENGTHS, type DetailCurve, detailCurveMarkdown } from '../../../native-helper/src/eval/detail-curve';
import { detailCurveSvg } from '../../../native-helper/src/eval/detail-curve-chart';

const curve = (model: string, slope: number): DetailCurve => ({
  model,
  points: DETAIL_STRENGTHS.map((k) => ({ k, psnrY: 29 - slope * k, ssimY: 0.82 - 0.03 * slope * k, detailRatio: 0.08 + slope * k })),
});
const curves = [curve('realesrgan-x4fast', 1), curve('realesrgan-x4plus', 1.5)];
const bicubic = { psnrY: 28.27, ssimY: 0.7974, detailRatio: 0.04 };

describe('the detail-strength curve', () => {
  it('tables every strength, three metrics per model, bicubic last', () => {
    const lines = detailCurveMarkdown(curves, bicubic).split('\n');
    expect(lines).toHaveLength(2 + DETAIL_STRENGTHS.length + 1);
    expect(lines[0]).toBe('| k | realesrgan-x4fast PSNR-Y dB | SSIM-Y | detail | realesrgan-x4plus PSNR-Y dB | SSIM-Y | detail |');
    expect(lines[2 + DETAIL_STRENGTHS.indexOf(2)]).toBe('| 2 | 27.00 | 0.7600 | 2.08 | 26.00 | 0.7300 | 3.08 |');
    expect(lines.at(-1)).toBe('| *bicubic* | 28.27 | 0.7974 | 0.04 | 28.27 | 0.7974 | 0.04 |');
    for (const line of lines) expect(line.split('|')).toHaveLength(9);
  });

  it('draws PSNR-Y, SSIM-Y and detail against k, a line per model in each panel, bicubic dashed, as SVG that renders to PNG', async () => {
    const svg = detailCurveSvg(curves, bicubic);
    expect(svg.match(/<polyline[^>]*stroke="#d95f02"/g)).toHaveLength(3);
    expect(svg.match(/<polyline[^>]*stroke="#7570b3"/g)).toHaveLength(3);
    expect(svg.match(/<circle[^>]*fill="#7570b3"/g)).toHaveLength(3 * DETAIL_STRENGTHS.length);
    expect(svg.match(/stroke-dasharray/g)).toHaveLength(4);
    for (const label of ['PSNR-Y (dB)', 'SSIM-Y', 'detail ratio (truth = 1)', 'detail strength k', 'realesrgan-x4plus', 'bicubic']) expect(svg).toContain(label);
    const png = await sharp(Buffer.from(svg)).png().toBuffer();
    expect(await sharp(png).metadata()).toMatchObject({ format: 'png', width: 960, height: 308 });
  });
});
