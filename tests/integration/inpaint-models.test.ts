import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeImageFile, writeImageFile } from '../../native-helper/src/codecs/image-file';
import { createImage } from '../../native-helper/src/imaging/pixel-image';
import { identityModel, lamaLikeModel, miganLikeModel, mixedTypeInpaintModel, TINY_FILL } from '../helpers/tiny-models';
import { runMend } from '../helpers/run-mend';

const WIDTH = 200;
const HEIGHT = 160;
/** TINY_FILL in 8 bits: what the tiny models paint into holes. */
const FILL_8BIT = Math.round(TINY_FILL * 255);

type Hole = (x: number, y: number) => boolean;
const square =
  (side: number): Hole =>
  (x, y) =>
    x >= 60 && x < 60 + side && y >= 50 && y < 50 + side;
/** A 2-px scratch across the photo: MI-GAN's pipeline would paste its old pixels back into it unless the mask was grown. */
const scratch: Hole = (x, y) => y >= 80 && y < 82 && x >= 20 && x < 180;

/**
 * The LaMa and MI-GAN contracts, exercised with tiny models of the same signatures (their weights are
 * not on the registries): each is added with `mend models add --task inpaint`, then fills holes with
 * `mend inpaint`. The fill colour proves polarity, ranges and element types are read right.
 */
describe('inpainting models added with mend models add --task inpaint', () => {
  let work: string;
  const file = (name: string) => path.join(work, name);
  const mend = (...argv: string[]) => runMend(work, ...argv);
  const manifestOf = (id: string) => JSON.parse(readFileSync(path.join(work, 'models', `${id}.json`), 'utf8'));

  async function add(model: Uint8Array, id: string): Promise<void> {
    writeFileSync(file(`${id}.onnx`), model);
    const added = await mend('models', 'add', file(`${id}.onnx`), '--task', 'inpaint', '--id', id, '--json');
    expect(added.stderr).toBe('');
    expect(JSON.parse(added.stdout)).toMatchObject({ id, task: 'inpaint', scale: 1 });
  }

  /** Inpaints a photo-like image where `inHole`; the hole must be the fill colour, every other pixel unchanged. */
  async function expectFilled(model: string, inHole: Hole): Promise<void> {
    const image = createImage(WIDTH, HEIGHT, 3, 8);
    for (let i = 0; i < image.data.length; i++) image.data[i] = (i * 7) % 200;
    const mask = createImage(WIDTH, HEIGHT, 1, 8);
    for (let y = 0; y < HEIGHT; y++) for (let x = 0; x < WIDTH; x++) mask.data[y * WIDTH + x] = inHole(x, y) ? 255 : 0;
    rmSync(file('photo.png'), { force: true });
    rmSync(file('mask.png'), { force: true });
    await writeImageFile(image, 'png', file('photo.png'));
    await writeImageFile(mask, 'png', file('mask.png'));

    const result = await mend('inpaint', file('photo.png'), '--mask', file('mask.png'), '-o', file('out.png'), '--model', model, '--overwrite', '--json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).results[0].models).toEqual([model]);
    const { image: out } = await decodeImageFile(file('out.png'));
    let wrongInside = 0;
    let changedOutside = 0;
    for (let y = 0; y < HEIGHT; y++) {
      for (let x = 0; x < WIDTH; x++) {
        for (let c = 0; c < 3; c++) {
          const i = (y * WIDTH + x) * 3 + c;
          if (inHole(x, y)) wrongInside += Math.abs(out.data[i] - FILL_8BIT) > 1 ? 1 : 0;
          else changedOutside += out.data[i] !== image.data[i] ? 1 : 0;
        }
      }
    }
    expect({ model, wrongInside, changedOutside }).toEqual({ model, wrongInside: 0, changedOutside: 0 });
  }

  beforeEach(() => {
    work = mkdtempSync(path.join(tmpdir(), 'mend-inpaint-models-'));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  it('adds a fixed 64×64 LaMa-style export with 0..255 output, and fills holes larger than its side at reduced scale', async () => {
    await add(lamaLikeModel({ side: 64, outputScale: 255 }), 'tiny-lama');
    expect(manifestOf('tiny-lama')).toMatchObject({
      io: { valueRange: [0, 1], outputValueRange: [0, 255], mask: { name: 'mask', holeValue: 1, keepValue: 0 } },
      tiling: { tile: 64, minSize: 64, multipleOf: 8 },
    });
    await expectFilled('tiny-lama', square(8));
    await expectFilled('tiny-lama', square(70));
    await expectFilled('tiny-lama', scratch);
  });

  it('reads the 0..1 output of a LaMa-style export of free size', async () => {
    await add(lamaLikeModel({ outputScale: 1 }), 'tiny-lama-01');
    expect(manifestOf('tiny-lama-01').io.outputValueRange).toBeUndefined();
    await expectFilled('tiny-lama-01', square(12));
  });

  it('adds an MI-GAN-style uint8 pipeline (mask 255 = keep) and fills squares and thin scratches with it', async () => {
    await add(miganLikeModel(), 'tiny-migan');
    expect(manifestOf('tiny-migan').io).toMatchObject({ dtype: 'uint8', output: 'result', mask: { holeValue: 0, keepValue: 255, grow: 3 } });
    await expectFilled('tiny-migan', square(10));
    await expectFilled('tiny-migan', scratch);
  });

  it('refuses models whose signature follows neither contract, saying what it found and what Mend reads', async () => {
    writeFileSync(file('one.onnx'), identityModel());
    const one = await mend('models', 'add', file('one.onnx'), '--task', 'inpaint');
    expect(one.code).not.toBe(0);
    expect(one.stderr).toMatch(/takes 1 input\(s\), not an image and a mask; its inputs are \[input: float32\[1,3,H,W\]\].*LaMa-style.*MI-GAN/);

    writeFileSync(file('mixed.onnx'), mixedTypeInpaintModel());
    const mixed = await mend('models', 'add', file('mixed.onnx'), '--task', 'inpaint');
    expect(mixed.code).not.toBe(0);
    expect(mixed.stderr).toMatch(/image and mask are float32 and uint8/);
  });

  it('refuses a LaMa-style model whose kept pixels come back in neither 0..1 nor 0..255', async () => {
    writeFileSync(file('odd.onnx'), lamaLikeModel({ outputScale: 100 }));
    const result = await mend('models', 'add', file('odd.onnx'), '--task', 'inpaint');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/keep a mean of 50\.000, not 0\.5 \(an output in 0\.\.1\) or 127\.5 \(in 0\.\.255\)/);
  });

  it('refuses --range, --input and --output with --task inpaint: the contract says them', async () => {
    writeFileSync(file('lama.onnx'), lamaLikeModel({ outputScale: 255 }));
    const withRange = await mend('models', 'add', file('lama.onnx'), '--task', 'inpaint', '--range', '0-255');
    expect(withRange.code).not.toBe(0);
    expect(withRange.stderr).toMatch(/--range does not apply to --task inpaint/);
    const withNames = await mend('models', 'add', file('lama.onnx'), '--task', 'inpaint', '--input', 'image', '--output', 'output');
    expect(withNames.stderr).toMatch(/--input, --output do not apply to --task inpaint/);
  });
});
