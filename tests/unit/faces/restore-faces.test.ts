import { applySimilarity, type Point } from '../../../native-helper/src/faces/similarity';
import { FFHQ_TEMPLATE_512 } from '../../../native-helper/src/faces/face-template';
import { restoreFaces, type CropRestorer } from '../../../native-helper/src/faces/restore-faces';
import { createImage, type PixelImage } from '../../../native-helper/src/imaging/pixel-image';
import { seededRandom } from '../../../native-helper/src/protocol/seeded-random';

const WIDTH = 160;
const HEIGHT = 140;

/** A face at (cx, cy) whose 512-template crop spans 512·scale image pixels. */
function facePoints(scale: number, cx: number, cy: number): Point[] {
  return FFHQ_TEMPLATE_512.map((p) => applySimilarity({ a: scale, b: 0, tx: cx - 256 * scale, ty: cy - 256 * scale }, p));
}

/** A smooth 16-bit RGBA picture (ramps) with `noise` levels of noise, alpha varying. */
function photo(noise = 400): PixelImage {
  const random = seededRandom(21);
  const image = createImage(WIDTH, HEIGHT, 4, 16);
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      const jitter = () => Math.round((random() - 0.5) * noise);
      image.data.set([20000 + x * 150 + jitter(), 15000 + y * 120 + jitter(), 30000 + jitter(), (x * 977 + y * 31) % 65536], (y * WIDTH + x) * 4);
    }
  }
  return image;
}

/** A face model stand-in: 512² crops, answering a flat crop of one colour. */
const flatModel = (value: number): CropRestorer => ({
  label: 'flat',
  sideFor: () => 512,
  restore: async () => {
    const crop = createImage(512, 512, 3, 32, 1);
    crop.data.fill(value);
    return crop;
  },
});

const changedPixels = (a: PixelImage, b: PixelImage) => {
  let changed = 0;
  for (let p = 0; p < a.width * a.height; p++) if ([0, 1, 2].some((c) => a.data[p * a.channels + c] !== b.data[p * b.channels + c])) changed++;
  return changed;
};

describe('restoreFaces', () => {
  it('gives the image back when the restorer changes nothing (within one 16-bit level, on ramps that bilinear sampling keeps)', async () => {
    const image = photo(0);
    const identity: CropRestorer = { label: 'identity', sideFor: (n) => Math.round(n), restore: async (crop) => crop };
    const { image: out } = await restoreFaces(image, [{ points: facePoints(0.15, 80, 70) }], identity, 1);
    let worst = 0;
    for (let i = 0; i < image.data.length; i++) worst = Math.max(worst, Math.abs(out.data[i] - image.data[i]));
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('pastes a model’s 512 crop at the face’s own size, its colour matched to the face', async () => {
    const image = photo();
    const { image: out, faces } = await restoreFaces(image, [{ points: facePoints(0.15, 80, 70) }], flatModel(0.9), 1);
    // The crop spans 0.15 · 512 = 76.8 image pixels: it is pasted from a 77-px crop.
    expect(faces[0].nativeSide).toBeCloseTo(76.8, 6);
    expect(faces[0].restored.width).toBe(77);
    expect(faces[0].box).toEqual({ x: 42, y: 32, width: 77, height: 77 });
    // The flat face takes the original face's mean colour (not 0.9 white): near the middle of the face, the ramps' value there.
    const centre = (70 * WIDTH + 80) * 4;
    expect(Math.abs(out.data[centre] - image.data[centre])).toBeLessThan(1500);
    expect(changedPixels(out, image)).toBeGreaterThan(1500);
    // Alpha is never touched.
    expect(Array.from({ length: WIDTH * HEIGHT }, (_, p) => out.data[p * 4 + 3] - image.data[p * 4 + 3]).some((d) => d !== 0)).toBe(false);
  });

  it('pastes inside the landmarks’ hull only, when landmarks are given', async () => {
    const image = photo();
    // A small diamond around the nose: nothing outside it may change.
    const outline = [
      { x: 80, y: 60 },
      { x: 90, y: 70 },
      { x: 80, y: 80 },
      { x: 70, y: 70 },
    ];
    const { image: out } = await restoreFaces(image, [{ points: facePoints(0.15, 80, 70), outline }], flatModel(0.1), 1);
    let changedOutside = 0;
    for (let y = 0; y < HEIGHT; y++) {
      for (let x = 0; x < WIDTH; x++) {
        const p = (y * WIDTH + x) * 4;
        if (Math.abs(x - 80) + Math.abs(y - 70) >= 10 && [0, 1, 2].some((c) => out.data[p + c] !== image.data[p + c])) changedOutside++;
      }
    }
    expect(changedOutside).toBe(0);
    expect(changedPixels(out, image)).toBeGreaterThan(50);
  });

  it('changes nothing at strength 0 and restores every face it is given', async () => {
    const image = photo();
    const faces = [{ points: facePoints(0.12, 40, 40) }, { points: facePoints(0.1, 120, 90) }, { points: facePoints(0.12, 55, 50) }];
    const none = await restoreFaces(image, faces, flatModel(0.5), 0);
    expect(Buffer.from(none.image.data.buffer).equals(Buffer.from(image.data.buffer))).toBe(true);
    expect(none.faces).toHaveLength(3);
  });
});
