import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { modelManifestSchema, type ModelManifest } from '../../native-helper/src/catalog/manifest';
import { Engine } from '../../native-helper/src/engine/engine';
import { faceRestorer } from '../../native-helper/src/faces/face-restorer';
import { createImage } from '../../native-helper/src/imaging/pixel-image';
import { codeFormerLikeModel, faceRestorerLikeModel, lamaLikeModel, TINY_FACE_GAIN } from '../helpers/tiny-models';
import { runMend } from '../helpers/run-mend';

/**
 * The face-restorer contracts, exercised with tiny models of the public exports' signatures (their
 * weights are not on the registries): each is added with `mend models add --task face`, then restores
 * a crop through the driver `mend restore-faces` uses. The tiny models scale their −1..1 input by
 * TINY_FACE_GAIN (CodeFormer's by its fidelity weight), so a wrong range or weight shows in the value.
 */
describe('face restorers added with mend models add --task face', () => {
  let work: string;
  let engine: Engine;
  const mend = (...argv: string[]) => runMend(work, ...argv);

  async function add(model: Uint8Array, id: string): Promise<ModelManifest> {
    const file = path.join(work, `${id}.onnx`);
    writeFileSync(file, model);
    const added = await mend('models', 'add', file, '--task', 'face', '--id', id, '--json');
    expect(added.stderr).toBe('');
    expect(JSON.parse(added.stdout)).toMatchObject({ id, task: 'face', scale: 1 });
    return modelManifestSchema.parse(JSON.parse(readFileSync(path.join(work, 'models', `${id}.json`), 'utf8')));
  }

  /** Restores a crop of one colour (0.8 gray) with the installed model; answers its value. */
  async function restoredGray(manifest: ModelManifest): Promise<number> {
    const { io, tiling } = manifest;
    const session = await engine.load(manifest.file, { input: io.input, output: io.output, extraInputs: io.fidelity ? [io.fidelity.name] : [] });
    const crop = createImage(tiling.tile, tiling.tile, 3, 32, 1);
    crop.data.fill(0.8);
    const restored = await faceRestorer(manifest, session).restore(crop);
    return restored.data[0];
  }

  /** 0.8 is 0.6 in −1..1; times the gain, back to 0..1. */
  const expected = (gain: number) => (0.6 * gain + 1) / 2;

  beforeEach(() => {
    work = mkdtempSync(path.join(tmpdir(), 'mend-face-models-'));
    engine = new Engine({ provider: 'cpu' });
  });
  afterEach(async () => {
    await engine.close();
    rmSync(work, { recursive: true, force: true });
  });

  it.each([
    ['GFPGAN v1.4 (facefusion)', 'gfpgan-v1-4', { side: 512 }, 512],
    ['GFPGAN v1.3 (numbered output)', 'gfpgan-v1-3', { side: 512, output: '1392' }, 512],
    ['GPEN-BFR-512', 'gpen-bfr-512', { side: 512 }, 512],
    ['GPEN-BFR-256', 'gpen-bfr-256', { side: 256 }, 256],
    ['RestoreFormer++ of free size', 'restoreformer-pp', {}, 512],
  ])('adds a %s export and restores its crops in −1..1', async (_, id, signature, side) => {
    const manifest = await add(faceRestorerLikeModel(signature), id);
    expect(manifest).toMatchObject({ task: 'face', io: { valueRange: [-1, 1], channelOrder: 'RGB' }, tiling: { tile: side } });
    expect(await restoredGray(manifest)).toBeCloseTo(expected(TINY_FACE_GAIN), 5);
  });

  it.each([
    ['redthing1/CodeFormer', { image: 'x', weight: 'w' }],
    ['facefusion', { image: 'input', weight: 'weight' }],
  ])('adds a CodeFormer export (%s) and feeds it the fidelity weight 0.5 as float64', async (_, names) => {
    const manifest = await add(codeFormerLikeModel(names), 'codeformer');
    expect(manifest.io).toMatchObject({ input: names.image, output: 'output', fidelity: { name: names.weight, dtype: 'float64', dims: [1] } });
    expect(await restoredGray(manifest)).toBeCloseTo(expected(0.5), 5);
  });

  it('refuses an inpainting model, saying what it found', async () => {
    const file = path.join(work, 'lama.onnx');
    writeFileSync(file, lamaLikeModel({ side: 512, outputScale: 1 }));
    const result = await mend('models', 'add', file, '--task', 'face');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/not a face restorer Mend can drive: .*its inputs are \[image: float32\[1,3,512,512\]; mask: float32\[1,1,512,512\]\]/);
  });

  it('refuses --range, --input and --output: the contract is read from the signature', async () => {
    const file = path.join(work, 'gfpgan.onnx');
    writeFileSync(file, faceRestorerLikeModel({ side: 512 }));
    const result = await mend('models', 'add', file, '--task', 'face', '--range', '0-255');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--range does not apply to --task face/);
  });
});
