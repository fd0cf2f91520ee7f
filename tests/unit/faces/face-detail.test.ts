import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Catalog } from '../../../native-helper/src/catalog/catalog';
import { FACE_DETAIL_LABEL, faceDetailModels, faceDetailRestorer, planFaceDetail, runFaceDetail } from '../../../native-helper/src/faces/face-detail';
import { createImage, type PixelImage } from '../../../native-helper/src/imaging/pixel-image';
import type { TaskInput, TaskRunner } from '../../../native-helper/src/tasks/types';
import { convModel, convUpscaleModel, writeTinyCatalog } from '../../helpers/tiny-models';

const MODELS = { denoiser: 'waifu2x-cunet-noise3', upscaler: { id: 'realesrgan-x4fast', scale: 4 } };
const context = { signal: new AbortController().signal, onProgress: () => undefined };

describe('planFaceDetail', () => {
  it('aligns a small face at its own size, denoises, upscales ×4 and is named for what it is', () => {
    expect(planFaceDetail(100.4, MODELS)).toEqual({
      label: 'no face model installed: general detail',
      side: 100,
      job: { task: 'upscale', model: 'realesrgan-x4fast', scale: 4, cleanFirst: 'waifu2x-cunet-noise3' },
      models: ['waifu2x-cunet-noise3', 'realesrgan-x4fast'],
    });
  });

  it('gives faces smaller than 32 px a 32-px crop', () => {
    expect(planFaceDetail(12, MODELS).side).toBe(32);
  });

  it('only denoises faces of 512 px and more, at their own size up to 2048', () => {
    expect(planFaceDetail(800, MODELS)).toMatchObject({ side: 800, job: { task: 'restore', model: 'waifu2x-cunet-noise3' }, models: ['waifu2x-cunet-noise3'] });
    expect(planFaceDetail(5000, MODELS).side).toBe(2048);
  });
});

describe('faceDetailModels', () => {
  it('takes the catalog’s defaults for denoise and photo upscale', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mend-face-detail-'));
    try {
      const folders = writeTinyCatalog(dir, [
        { id: 'tiny-x2', task: 'upscale', scale: 2, bytes: convUpscaleModel(2), overlap: 4, default: true },
        { id: 'tiny-photo-x4', task: 'upscale', scale: 4, bytes: convUpscaleModel(4), overlap: 4, roles: ['photo-upscale'] },
        { id: 'tiny-clean', task: 'restore', scale: 1, bytes: convModel(3), overlap: 2, roles: ['denoise'] },
      ]);
      const catalog = await Catalog.open({ manifestDirs: [folders.manifestDir], cacheDir: folders.cacheDir });
      expect(faceDetailModels(catalog)).toEqual({ denoiser: 'tiny-clean', upscaler: { id: 'tiny-photo-x4', scale: 4 } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('runFaceDetail', () => {
  /** A stand-in for the pipelines: nearest ×4 for upscales (brightened by 10 %), as it is for restores; records what it was given. */
  function fakeRunner(seen: TaskInput[]): TaskRunner {
    return async (input) => {
      seen.push(input);
      const factor = input.options.task === 'upscale' ? 4 : 1;
      const { image } = input;
      const out = createImage(image.width * factor, image.height * factor, image.channels, image.bitDepth, image.maxValue);
      for (let y = 0; y < out.height; y++) {
        for (let x = 0; x < out.width; x++) {
          for (let c = 0; c < image.channels; c++) {
            const v = image.data[(Math.floor(y / factor) * image.width + Math.floor(x / factor)) * image.channels + c];
            out.data[(y * out.width + x) * image.channels + c] = Math.min(image.maxValue, Math.round(v * (factor === 4 ? 1.1 : 1)));
          }
        }
      }
      return { image: out, models: [], provider: 'cpu', tiles: 1, width: out.width, height: out.height };
    };
  }

  function grayCrop(side: number, value: number): PixelImage {
    const crop = createImage(side, side, 3, 32, 1);
    crop.data.fill(value);
    return crop;
  }

  it('runs the plan’s job on the crop in 16 bits and answers a float crop of the same side', async () => {
    const seen: TaskInput[] = [];
    const plan = planFaceDetail(48, MODELS);
    const out = await runFaceDetail(plan, grayCrop(48, 0.5), fakeRunner(seen), context);
    expect(seen.map((s) => [s.options, s.image.bitDepth, s.image.width])).toEqual([[plan.job, 16, 48]]);
    expect([out.width, out.height, out.bitDepth, out.channels]).toEqual([48, 48, 32, 3]);
    expect(out.data[(24 * 48 + 24) * 3]).toBeCloseTo(0.55, 3);
  });

  it('is a restorer of restoreFaces: the side of each face from its own size', async () => {
    const seen: TaskInput[] = [];
    const restorer = faceDetailRestorer(MODELS, fakeRunner(seen), context);
    expect(restorer.label).toBe(FACE_DETAIL_LABEL);
    expect(restorer.sideFor(70)).toBe(70);
    const out = await restorer.restore(grayCrop(70, 0.2), 70);
    expect(out.width).toBe(70);
    expect(seen[0].options).toEqual(planFaceDetail(70, MODELS).job);
  });

  it('refuses a crop of another side than planned', async () => {
    await expect(runFaceDetail(planFaceDetail(64, MODELS), grayCrop(50, 0.5), fakeRunner([]), context)).rejects.toThrow(/64² crops, not 50×50/);
  });
});
