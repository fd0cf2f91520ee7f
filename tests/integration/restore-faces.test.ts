import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeImageFile } from '../../native-helper/src/codecs/image-file';
import type { PixelImage } from '../../native-helper/src/imaging/pixel-image';
import { faceRestorerLikeModel } from '../helpers/tiny-models';
import { runMend } from '../helpers/run-mend';

const ASTRONAUT = path.resolve('tests/fixtures/images/astronaut.png');

interface FaceJson {
  box: { x: number; y: number; width: number; height: number };
  score: number;
  alignedBy: string;
  identity?: number;
  mayNotLookLikeSamePerson?: boolean;
}

/** Samples changed outside a box grown by `margin` times its size on each side (the paste region lies inside it). */
function changedOutside(before: PixelImage, after: PixelImage, box: FaceJson['box'], margin: number): number {
  let changed = 0;
  const { width, channels } = before;
  for (let y = 0; y < before.height; y++) {
    for (let x = 0; x < width; x++) {
      const inside = x >= box.x - margin * box.width && x < box.x + (1 + margin) * box.width && y >= box.y - margin * box.height && y < box.y + (1 + margin) * box.height;
      if (inside) continue;
      for (let c = 0; c < channels; c++) if (before.data[(y * width + x) * channels + c] !== after.data[(y * width + x) * channels + c]) changed++;
    }
  }
  return changed;
}

function changedSamples(before: PixelImage, after: PixelImage): number {
  let changed = 0;
  for (let i = 0; i < before.data.length; i++) if (before.data[i] !== after.data[i]) changed++;
  return changed;
}

/** `mend restore-faces` on the astronaut photo: BlazeFace, FaceMesh, a restorer, the paste back and FaceRes's identity check. */
describe('mend restore-faces', () => {
  let work: string;
  const mend = (...argv: string[]) => runMend(work, ...argv);

  beforeEach(() => {
    work = mkdtempSync(path.join(tmpdir(), 'mend-restore-faces-'));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  it('restores the face with an installed face model, reports its box and identity, and leaves the rest of the photo byte-identical', async () => {
    writeFileSync(path.join(work, 'gfpgan.onnx'), faceRestorerLikeModel({ side: 512 }));
    expect((await mend('models', 'add', path.join(work, 'gfpgan.onnx'), '--task', 'face', '--id', 'tiny-gfpgan')).code).toBe(0);
    const out = path.join(work, 'out.png');
    const result = await mend('restore-faces', ASTRONAUT, '-o', out, '--json');
    expect(result.code).toBe(0);
    const [report] = JSON.parse(result.stdout).results;
    expect(report).toMatchObject({ restorer: 'tiny-gfpgan', models: ['tiny-gfpgan'] });
    expect(report.faces).toHaveLength(1);
    const [face] = report.faces as FaceJson[];
    expect(face.alignedBy).toBe('face-mesh');
    expect(face.identity).toEqual(expect.any(Number));
    // The face sits around (225, 125) in the 512² photo.
    expect(face.box.x + face.box.width / 2).toBeGreaterThan(200);
    expect(face.box.x + face.box.width / 2).toBeLessThan(250);
    const before = (await decodeImageFile(ASTRONAUT)).image;
    const after = (await decodeImageFile(out)).image;
    // The tiny model halves the face's contrast: a change a user sees, inside the face only.
    expect(changedSamples(before, after)).toBeGreaterThan(10000);
    expect(changedOutside(before, after, face.box, 0.5)).toBe(0);
  });

  it('blends by --strength: 0 writes the photo unchanged', async () => {
    writeFileSync(path.join(work, 'gfpgan.onnx'), faceRestorerLikeModel({ side: 512 }));
    await mend('models', 'add', path.join(work, 'gfpgan.onnx'), '--task', 'face', '--id', 'tiny-gfpgan');
    const out = path.join(work, 'none.png');
    expect((await mend('restore-faces', ASTRONAUT, '-o', out, '--strength', '0')).code).toBe(0);
    expect(changedSamples((await decodeImageFile(ASTRONAUT)).image, (await decodeImageFile(out)).image)).toBe(0);
  });

  it('without a face model runs the general detail chain and says so', async () => {
    const out = path.join(work, 'detail.png');
    const result = await mend('restore-faces', ASTRONAUT, '-o', out);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/1 face restored by no face model installed: general detail/);
    expect(result.stdout).toMatch(/identity 0\.\d\d/);
  });

  it('refuses a model that is not a face model', async () => {
    const result = await mend('restore-faces', ASTRONAUT, '-o', path.join(work, 'x.png'), '--model', 'realesrgan-x4fast');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/realesrgan-x4fast is made for upscale, not face restoration/);
  });
});
