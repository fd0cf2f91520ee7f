import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeImageFile, encodeImage } from '../../native-helper/src/codecs/image-file';
import { recognizeInpaintContract } from '../../native-helper/src/catalog/inpaint-contract';
import { createImage, type PixelImage } from '../../native-helper/src/imaging/pixel-image';
import { identityModel, lamaLikeModel, miganLikeModel } from '../helpers/tiny-models';
import { runMend } from '../helpers/run-mend';

/** The LaMa and MI-GAN contracts, exercised with tiny models of the same signatures (their weights are not on the registries). */
describe('inpainting models added with mend models add --task inpaint', () => {
  let work: string;
  const file = (name: string) => path.join(work, name);

  const mend = (...argv: string[]) => runMend(work, ...argv);

  /** A 200×160 photo-like image with a square hole of `side` at (60, 50). */
  async function writeCase(side: number): Promise<{ image: PixelImage; inHole: (x: number, y: number) => boolean }> {
    const image = createImage(200, 160, 3, 8);
    for (let i = 0; i < image.data.length; i++) image.data[i] = (i * 7) % 200;
    const inHole = (x: number, y: number) => x >= 60 && x < 60 + side && y >= 50 && y < 50 + side;
    const mask = createImage(200, 160, 1, 8);
    for (let y = 0; y < 160; y++) for (let x = 0; x < 200; x++) mask.data[y * 200 + x] = inHole(x, y) ? 255 : 0;
    writeFileSync(file('photo.png'), await encodeImage(image, 'png'));
    writeFileSync(file('mask.png'), await encodeImage(mask, 'png'));
    return { image, inHole };
  }

  async function expectFilled(model: string, side: number): Promise<void> {
    const { image, inHole } = await writeCase(side);
    const result = await mend('inpaint', file('photo.png'), '--mask', file('mask.png'), '-o', file(`out-${model}-${side}.png`), '--model', model, '--json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).results[0].models).toEqual([model]);
    const { image: out } = await decodeImageFile(file(`out-${model}-${side}.png`));
    let wrongInside = 0;
    let changedOutside = 0;
    for (let y = 0; y < 160; y++) {
      for (let x = 0; x < 200; x++) {
        for (let c = 0; c < 3; c++) {
          const i = (y * 200 + x) * 3 + c;
          if (inHole(x, y)) wrongInside += Math.abs(out.data[i] - 64) > 1 ? 1 : 0;
          else changedOutside += out.data[i] !== image.data[i] ? 1 : 0;
        }
      }
    }
    expect({ model, side, wrongInside, changedOutside }).toEqual({ model, side, wrongInside: 0, changedOutside: 0 });
  }

  beforeEach(() => {
    work = mkdtempSync(path.join(tmpdir(), 'mend-inpaint-models-'));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  it('adds a fixed 64×64 LaMa-style export (0..255 output) and fills small and large holes with it', async () => {
    writeFileSync(file('lama.onnx'), lamaLikeModel({ side: 64, outputRange: 255 }));
    const added = await mend('models', 'add', file('lama.onnx'), '--task', 'inpaint', '--id', 'tiny-lama', '--json');
    expect(added.stderr).toBe('');
    expect(JSON.parse(added.stdout)).toMatchObject({ id: 'tiny-lama', task: 'inpaint', scale: 1 });
    await expectFilled('tiny-lama', 8);
    // A 70-px hole needs a window larger than the model's 64 px: filled at reduced scale.
    await expectFilled('tiny-lama', 70);
  });

  it('reads the output range of a LaMa-style export of free size with 0..1 output', async () => {
    writeFileSync(file('lama01.onnx'), lamaLikeModel({ outputRange: 1 }));
    expect((await mend('models', 'add', file('lama01.onnx'), '--task', 'inpaint', '--id', 'tiny-lama-01')).code).toBe(0);
    await expectFilled('tiny-lama-01', 12);
  });

  it('adds an MI-GAN-style uint8 pipeline (mask 255 = keep) and fills with it', async () => {
    writeFileSync(file('migan.onnx'), miganLikeModel());
    expect((await mend('models', 'add', file('migan.onnx'), '--task', 'inpaint', '--id', 'tiny-migan')).code).toBe(0);
    await expectFilled('tiny-migan', 10);
  });

  it('refuses a model without an image and a mask, saying which contracts it reads', async () => {
    writeFileSync(file('one.onnx'), identityModel());
    const result = await mend('models', 'add', file('one.onnx'), '--task', 'inpaint');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/takes 1 inputs, not an image and a mask.*LaMa-style.*MI-GAN-style/);
  });

  it('recognizes the contracts from the signatures alone', () => {
    const lama = recognizeInpaintContract({
      inputs: [
        { name: 'image', type: 'float32', shape: [1, 3, 512, 512] },
        { name: 'mask', type: 'float32', shape: [1, 1, 512, 512] },
      ],
      outputs: [{ name: 'output', type: 'float32', shape: [1, 3, 512, 512] }],
    });
    expect(lama).toMatchObject({ family: 'lama', io: { mask: { name: 'mask', holeValue: 1, keepValue: 0 } }, tiling: { tile: 512, minSize: 512, multipleOf: 8 } });
    const migan = recognizeInpaintContract({
      inputs: [
        { name: 'image', type: 'uint8', shape: ['batch', 3, 'height', 'width'] },
        { name: 'mask', type: 'uint8', shape: ['batch', 1, 'height', 'width'] },
      ],
      outputs: [{ name: 'result', type: 'uint8', shape: ['batch', 3, 'height', 'width'] }],
    });
    expect(migan).toMatchObject({ family: 'mi-gan', io: { dtype: 'uint8', output: 'result', mask: { holeValue: 0, keepValue: 255 } } });
    expect(() =>
      recognizeInpaintContract({
        inputs: [
          { name: 'image', type: 'float16', shape: [1, 3, 512, 512] },
          { name: 'mask', type: 'float16', shape: [1, 1, 512, 512] },
        ],
        outputs: [{ name: 'output', type: 'float16', shape: [1, 3, 512, 512] }],
      }),
    ).toThrow(/float16 and float16/);
  });
});
