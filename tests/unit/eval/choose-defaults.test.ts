import { openCatalog } from '../../../native-helper/src/app';
import type { Catalog } from '../../../native-helper/src/catalog/catalog';
import { chooseDefaults } from '../../../native-helper/src/eval/choose-defaults';
import type { EvalTable, MethodResult } from '../../../native-helper/src/eval/report';
import type { Scores } from '../../../native-helper/src/eval/score';

function method(id: string, kind: MethodResult['kind'], domain: MethodResult['domain'], mean: Scores): MethodResult {
  return { method: id, kind, label: id, ...(domain ? { domain } : {}), mean, images: [{ image: 'a', ...mean }] };
}

const scores = (psnrY: number, ssimY: number, detailRatio: number): Scores => ({ psnrY, ssimY, psnrRgb: psnrY, ssimRgb: ssimY, detailRatio });

function table(degradation: string, domain: EvalTable['domain'], methods: MethodResult[]): EvalTable {
  const kind = degradation.startsWith('bicubic') ? 'upscale' : 'restore';
  return { degradation, label: degradation, kind, scale: kind === 'upscale' ? 4 : 1, domain, images: ['a'], border: 0, methods };
}

describe('chooseDefaults', () => {
  let catalog: Catalog;
  beforeAll(async () => {
    catalog = await openCatalog(undefined);
  });

  it('upscaling: among models as faithful as bicubic (SSIM-Y), picks the detail closest to the truth, not the PSNR leader', () => {
    const tables = [
      table('bicubic-x4', 'photo', [
        method('bicubic', 'baseline', undefined, scores(27, 0.8, 0.05)),
        method('esrgan-thick-x4', 'model', 'photo', scores(28.5, 0.83, 0.08)),
        method('realesrgan-x4fast', 'model', 'photo', scores(26.5, 0.81, 0.4)),
        // Sharpest, but less faithful than bicubic.
        method('realesrgan-x4plus', 'model', 'photo', scores(26, 0.77, 0.9)),
        // Anime models are not candidates for photos however they score.
        method('realesr-animevideov3-x4', 'model', 'anime-art', scores(30, 0.9, 1)),
      ]),
    ];
    const [photo] = chooseDefaults(tables, catalog);
    expect(photo).toMatchObject({ role: 'photo-upscale', model: 'realesrgan-x4fast' });
    expect(photo.basis).toMatch(/PSNR leader esrgan-thick-x4/);
  });

  it('restoration: the highest mean PSNR-Y over both strengths, and only restore models', () => {
    const tables = ['noise-15', 'noise-25'].map((id, i) =>
      table(id, 'photo', [
        method('identity', 'baseline', undefined, scores(25 - i, 0.6, 2)),
        method('waifu2x-cunet-noise1', 'model', 'anime-art', scores(29 - i, 0.7, 1.5)),
        method('waifu2x-cunet-noise3', 'model', 'anime-art', scores(30 - i, 0.7, 1.8)),
      ]),
    );
    expect(chooseDefaults(tables, catalog)).toEqual([
      expect.objectContaining({ role: 'denoise', model: 'waifu2x-cunet-noise3', catalogModel: catalog.defaultForRole('denoise').id }),
    ]);
  });

  it('camera roles: deblur over both motion blurs, and the best baseline named, said to be ahead when it is', () => {
    const tables = [
      ...['motion-linear', 'motion-shake'].map((id, i) =>
        table(id, 'photo', [
          method('identity', 'baseline', undefined, scores(22, 0.66, 0.06)),
          method('richardson-lucy', 'baseline', undefined, scores(27 + 4 * i, 0.85, 0.3)),
          method('maxim-deblur', 'model', 'photo', scores(25 + i, 0.8, 0.2)),
        ]),
      ),
      table('haze', 'photo', [
        method('identity', 'baseline', undefined, scores(13, 0.72, 0.2)),
        method('auto-levels', 'baseline', undefined, scores(17.4, 0.87, 0.5)),
        method('maxim-dehaze-outdoor', 'model', 'photo', scores(15, 0.8, 0.3)),
        method('maxim-dehaze-indoor', 'model', 'photo', scores(16, 0.82, 0.3)),
      ]),
      table('noise-camera', 'photo', [
        method('identity', 'baseline', undefined, scores(30.9, 0.78, 1.7)),
        method('waifu2x-cunet-noise3', 'model', 'anime-art', scores(33, 0.9, 0.9)),
        method('maxim-denoise', 'model', 'photo', scores(35, 0.94, 0.95)),
      ]),
    ];
    const byRole = Object.fromEntries(chooseDefaults(tables, catalog).map((c) => [c.role, c]));
    expect(Object.keys(byRole).sort()).toEqual(['deblur', 'dehaze', 'denoise-camera']);
    expect(byRole.deblur).toMatchObject({
      model: 'maxim-deblur',
      basis: expect.stringMatching(/^highest PSNR-Y on motion-linear \+ motion-shake \(photo\): 25\.50 dB; best baseline richardson-lucy 29\.00 dB, ahead of every model$/),
    });
    expect(byRole.dehaze).toMatchObject({
      model: 'maxim-dehaze-indoor',
      basis: expect.stringMatching(/1\.00 dB over maxim-dehaze-outdoor; best baseline auto-levels 17\.40 dB, ahead/),
    });
    expect(byRole['denoise-camera']).toMatchObject({
      model: 'maxim-denoise',
      basis: expect.stringMatching(/2\.00 dB over waifu2x-cunet-noise3; best baseline identity 30\.90 dB$/),
    });
  });

  it('decides nothing for roles whose tables were not measured (the quick run)', () => {
    expect(chooseDefaults([table('bicubic-x2', 'photo', [method('bicubic', 'baseline', undefined, scores(30, 0.9, 0.2))])], catalog)).toEqual([]);
  });
});
