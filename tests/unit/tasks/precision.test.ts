import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Catalog } from '../../../native-helper/src/catalog/catalog';
import type { InferenceEngine, ModelSession } from '../../../native-helper/src/engine/inference-engine';
import { createImage } from '../../../native-helper/src/imaging/pixel-image';
import type { JobOptions } from '../../../native-helper/src/protocol';
import { createTaskRunner } from '../../../native-helper/src/tasks/runner';
import type { TaskDependencies } from '../../../native-helper/src/tasks/types';
import { writeTinyCatalog } from '../../helpers/tiny-models';

/** A session on `provider` that enlarges its input `scale` times by repeating pixels (planar, 3 channels). */
function nearestSession(provider: ModelSession['provider'], scale: number): ModelSession {
  return {
    provider,
    parallelRuns: 1,
    run: async (input, height, width) => {
      const out = new Float32Array(input.length * scale * scale);
      for (let c = 0; c < 3; c++)
        for (let y = 0; y < height * scale; y++)
          for (let x = 0; x < width * scale; x++) out[(c * height * scale + y) * width * scale + x] = input[(c * height + Math.floor(y / scale)) * width + Math.floor(x / scale)];
      return { data: out, height: height * scale, width: width * scale };
    },
    runNamed: () => Promise.reject(new Error('not used here')),
    release: async () => undefined,
  };
}

/** An engine that records the files it loads, on `provider`; tiny-up's files enlarge ×2, the others answer their input. */
function recordingEngine(provider: ModelSession['provider'], halfPrecision?: InferenceEngine['halfPrecision']): InferenceEngine & { files: string[] } {
  const files: string[] = [];
  return {
    files,
    halfPrecision,
    load: () => Promise.reject(new Error('not used here')),
    loadForTiles: async (file) => {
      files.push(file);
      return nearestSession(provider, path.basename(file).startsWith('tiny-up') ? 2 : 1);
    },
  };
}

describe('a job’s precision', () => {
  let dir: string;
  let catalog: Catalog;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'mend-precision-'));
    const { manifestDir, cacheDir } = writeTinyCatalog(dir, [
      { id: 'tiny-up', task: 'upscale', scale: 2, bytes: new Uint8Array([1, 2, 3]), overlap: 4, tile: 16 },
      { id: 'tiny-clean', task: 'restore', scale: 1, bytes: new Uint8Array([4, 5, 6]), overlap: 4, tile: 16 },
    ]);
    catalog = await Catalog.open({ manifestDirs: [manifestDir], cacheDir });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const idle = () => ({ signal: new AbortController().signal, onProgress: () => undefined });
  const image = () => createImage(20, 20, 3, 8);
  const onnx = (name: string) => path.join(dir, 'onnx', name);

  /** Runs a job with `variantPath` answering `<id>-<precision>.onnx` (as if built) and recording what it was asked for. */
  async function run(options: JobOptions, provider: ModelSession['provider'] = 'cpu', dependencies: Partial<TaskDependencies> = {}, half?: InferenceEngine['halfPrecision']) {
    const engine = recordingEngine(provider, half);
    const asked: string[] = [];
    const variantPath: TaskDependencies['variantPath'] = async (manifest, file, precision) => {
      asked.push(`${manifest.id} ${file.file} ${precision}`);
      return onnx(`${manifest.id}-${precision}.onnx`);
    };
    const out = await createTaskRunner({ catalog, engine, variantPath, ...dependencies })({ options, image: image() }, idle());
    return { out, files: engine.files, asked };
  }

  it('runs the fp32 files when absent or fp32, and never asks for a variant', async () => {
    for (const precision of [undefined, 'fp32'] as const) {
      const { files, asked } = await run({ task: 'upscale', model: 'tiny-up', cleanFirst: 'tiny-clean', precision });
      expect(files).toEqual([onnx('tiny-up.onnx'), onnx('tiny-clean.onnx')]);
      expect(asked).toEqual([]);
    }
  });

  it('runs the int8 variants of the upscaler and the clean-first model, and of a restore model', async () => {
    const upscale = await run({ task: 'upscale', model: 'tiny-up', cleanFirst: 'tiny-clean', precision: 'int8' });
    expect(upscale.files).toEqual([onnx('tiny-up-int8.onnx'), onnx('tiny-clean-int8.onnx')]);
    expect(upscale.asked).toEqual(['tiny-up tiny-up.onnx int8', 'tiny-clean tiny-clean.onnx int8']);
    expect(upscale.out).toMatchObject({ models: ['tiny-clean', 'tiny-up'], width: 40, height: 40 });
    const restore = await run({ task: 'restore', model: 'tiny-clean', precision: 'int8' });
    expect(restore.files).toEqual([onnx('tiny-clean-int8.onnx')]);
  });

  it('labels compare variants by their precision, and runs each at its own', async () => {
    const { out, files } = await run({
      task: 'compare',
      variants: [
        { task: 'upscale', model: 'tiny-up', precision: 'fp32' },
        { task: 'upscale', model: 'tiny-up', precision: 'int8' },
      ],
    });
    expect(files).toEqual([onnx('tiny-up.onnx'), onnx('tiny-up-int8.onnx')]);
    expect([out.main?.label, out.extraOutputs?.[0].label]).toEqual(['tiny-up', 'tiny-up · int8']);
  });

  it('refuses fp16 before loading anything where the engine says it does not run it (the CPU, an adapter without shader-f16), or cannot say', async () => {
    const cpu = async () => ({ supported: false, reason: 'fp16 runs on GPU providers only, and this helper runs models on the CPU' });
    const refused = run({ task: 'restore', model: 'tiny-clean', precision: 'fp16' }, 'cpu', {}, cpu);
    await expect(refused).rejects.toMatchObject({ code: 'bad_usage', message: 'fp16 runs on GPU providers only, and this helper runs models on the CPU; use --precision fp32' });
    await expect(run({ task: 'restore', model: 'tiny-clean', precision: 'fp16' }, 'webgpu')).rejects.toMatchObject({
      code: 'bad_usage',
      message: expect.stringMatching(/fp32 only/),
    });
  });

  it('runs the fp16 variants where the engine runs them (a GPU provider with half-precision shaders)', async () => {
    const { files, asked } = await run({ task: 'upscale', model: 'tiny-up', cleanFirst: 'tiny-clean', precision: 'fp16' }, 'webgpu', {}, async () => ({ supported: true }));
    expect(files).toEqual([onnx('tiny-up-fp16.onnx'), onnx('tiny-clean-fp16.onnx')]);
    expect(asked).toEqual(['tiny-up tiny-up.onnx fp16', 'tiny-clean tiny-clean.onnx fp16']);
  });

  it('refuses int8 where models run on a GPU provider, and where no variant can be built', async () => {
    await expect(run({ task: 'restore', model: 'tiny-clean', precision: 'int8' }, 'webgpu')).rejects.toMatchObject({
      code: 'bad_usage',
      message: expect.stringMatching(/^int8 runs on the CPU provider only, and this helper runs models on webgpu/),
    });
    await expect(run({ task: 'restore', model: 'tiny-clean', precision: 'int8' }, 'cpu', { variantPath: undefined })).rejects.toThrow(/int8 variants cannot be built/);
  });
});
