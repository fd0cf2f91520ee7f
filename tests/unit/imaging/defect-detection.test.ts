import path from 'node:path';
import { decodeImageFile } from '../../../native-helper/src/codecs/image-file';
import { detectDefects } from '../../../native-helper/src/imaging/defect-detection';
import { createImage, type PixelImage } from '../../../native-helper/src/imaging/pixel-image';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'images');

const W = 160;
const H = 120;

/** A smooth gray gradient (a clean print's sky), 8-bit gray. */
function gradient(): PixelImage {
  const image = createImage(W, H, 1, 8);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) image.data[y * W + x] = 90 + Math.round((60 * x) / W + (20 * y) / H);
  return image;
}

/** The gradient with a dark 1-px and a bright 3-px scratch and a few dark and bright specks; returns the defect pixels too. */
function damaged(): { image: PixelImage; defects: Uint8Array } {
  const image = gradient();
  const defects = new Uint8Array(W * H);
  const mark = (x: number, y: number, value: number) => {
    image.data[y * W + x] = value;
    defects[y * W + x] = 1;
  };
  for (let x = 20; x < 140; x++) mark(x, 30 + Math.round(x / 8), 10);
  for (let y = 10; y < 110; y++) for (let d = 0; d < 3; d++) mark(100 + d + Math.round(y / 10), y, 245);
  for (const [cx, cy, v] of [
    [30, 90, 5],
    [60, 100, 250],
    [140, 15, 8],
    [15, 12, 240],
  ]) {
    for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) mark(cx + dx, cy + dy, v);
  }
  return { image, defects };
}

const count = (mask: PixelImage) => Array.from(mask.data).filter((v) => v > 0).length;

describe('detectDefects', () => {
  it('finds thin scratches and dust specks of both polarities on a smooth print', () => {
    const { image, defects } = damaged();
    const mask = detectDefects(image, { sensitivity: 0.5 });
    expect(mask).toMatchObject({ width: W, height: H, channels: 1, bitDepth: 8 });
    let hit = 0;
    let total = 0;
    for (let i = 0; i < defects.length; i++) {
      if (!defects[i]) continue;
      total++;
      if (mask.data[i] === 255) hit++;
    }
    expect(hit / total).toBeGreaterThanOrEqual(0.9);
    // The growth around the defects is a pixel, not a flood.
    expect(count(mask)).toBeLessThan(total * 4);
  });

  it('marks nothing on a clean smooth gradient', () => {
    expect(count(detectDefects(gradient(), { sensitivity: 0.75 }))).toBe(0);
  });

  it('marks (almost) nothing on a clean photo', async () => {
    const { image: photo } = await decodeImageFile(path.join(FIXTURES, 'chelsea.png'));
    const crop = createImage(200, 200, photo.channels, 8);
    for (let y = 0; y < 200; y++)
      crop.data.set(photo.data.subarray(((y + 50) * photo.width + 100) * photo.channels, ((y + 50) * photo.width + 300) * photo.channels), y * 200 * photo.channels);
    expect(count(detectDefects(crop, { sensitivity: 0.5 }))).toBeLessThan(0.001 * 200 * 200);
  });

  it('finds more, never less, at a higher sensitivity', () => {
    // Specks and a scratch fading from faint to strong: the sensitivity decides which are found.
    const image = gradient();
    for (let k = 0; k < 12; k++) {
      const [cx, cy] = [12 + 12 * k, 100];
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) image.data[(cy + dy) * W + cx + dx] -= 6 + 6 * k;
    }
    for (let x = 10; x < 150; x++) image.data[40 * W + x] += Math.round((x - 10) * 0.6);
    const masks = [0, 0.25, 0.5, 0.75, 1].map((sensitivity) => detectDefects(image, { sensitivity }));
    for (let m = 1; m < masks.length; m++) {
      for (let i = 0; i < image.data.length; i++) if (masks[m - 1].data[i]) expect(masks[m].data[i]).toBe(255);
    }
    expect(count(masks[4])).toBeGreaterThan(count(masks[0]));
  });

  it('gives a 16-bit scan the same mask as its 8-bit version', () => {
    const { image } = damaged();
    const deep = createImage(W, H, 1, 16);
    for (let i = 0; i < image.data.length; i++) deep.data[i] = image.data[i] * 257;
    expect(Buffer.from(detectDefects(deep, { sensitivity: 0.5 }).data)).toEqual(Buffer.from(detectDefects(image, { sensitivity: 0.5 }).data));
  });

  it('never marks fully transparent pixels, and copes with tiny images', () => {
    const { image } = damaged();
    const rgba = createImage(W, H, 4, 8);
    for (let i = 0; i < W * H; i++) rgba.data.set([image.data[i], image.data[i], image.data[i], i % W < W / 2 ? 0 : 255], i * 4);
    const mask = detectDefects(rgba, { sensitivity: 0.5 });
    for (let y = 0; y < H; y++) for (let x = 0; x < W / 2 - 2; x++) expect(mask.data[y * W + x]).toBe(0);
    expect(count(mask)).toBeGreaterThan(0);
    expect(detectDefects(createImage(1, 1, 3, 8), { sensitivity: 1 }).data).toHaveLength(1);
    expect(detectDefects(createImage(3, 2, 1, 8), { sensitivity: 0 }).data).toHaveLength(6);
  });
});
