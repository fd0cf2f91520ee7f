import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeImageFile, writeImageFile } from '../../native-helper/src/codecs/image-file';
import { createImage, type PixelImage } from '../../native-helper/src/imaging/pixel-image';
import { damage, defectSets } from '../../models/scripts/synthetic-defects';
import { runMend } from '../helpers/run-mend';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'images');

/** Mean squared error over the pixels where `where` is set, colour channels only. */
function mseInside(a: PixelImage, b: PixelImage, where: (p: number) => boolean): number {
  let sum = 0;
  let n = 0;
  const colour = Math.min(3, a.channels);
  for (let p = 0; p < a.width * a.height; p++) {
    if (!where(p)) continue;
    for (let c = 0; c < colour; c++) sum += (a.data[p * a.channels + c] - b.data[p * b.channels + c]) ** 2;
    n += colour;
  }
  return sum / n;
}

describe('mend inpaint and mend repair', () => {
  let work: string;
  const file = (name: string) => path.join(work, name);

  const mend = (...argv: string[]) => runMend(work, ...argv);

  beforeEach(() => {
    work = mkdtempSync(path.join(tmpdir(), 'mend-inpaint-'));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  it('fills a torn-out rectangle with the classical fill; every unmasked sample stays byte-identical', async () => {
    const { image: photo } = await decodeImageFile(path.join(FIXTURES, 'chelsea.png'));
    const holeSet = defectSets(photo.width, photo.height, 7).find((s) => s.name === 'hole');
    const { image: torn, truth } = damage(photo, holeSet?.defects ?? []);
    const mask = createImage(photo.width, photo.height, 1, 8);
    truth.forEach((t, i) => (mask.data[i] = t ? 255 : 0));
    await writeImageFile(torn, 'png', file('torn.png'));
    await writeImageFile(mask, 'png', file('mask.png'));

    const result = await mend('inpaint', file('torn.png'), '--mask', file('mask.png'), '-o', file('out.png'), '--json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).results[0]).toMatchObject({ models: ['classical-pushpull'], outputWidth: photo.width, outputHeight: photo.height });

    const { image: out } = await decodeImageFile(file('out.png'));
    let changedOutside = 0;
    for (let p = 0; p < truth.length; p++) {
      if (truth[p]) continue;
      for (let c = 0; c < photo.channels; c++) if (out.data[p * photo.channels + c] !== torn.data[p * photo.channels + c]) changedOutside++;
    }
    expect(changedOutside).toBe(0);
    const inside = (p: number) => truth[p] === 1;
    // The fill is far closer to the real fur than the black tear was (PSNR inside > 20 dB).
    expect(10 * Math.log10(255 ** 2 / mseInside(out, photo, inside))).toBeGreaterThan(20);
    expect(mseInside(out, photo, inside)).toBeLessThan(mseInside(torn, photo, inside) / 20);
  });

  it('keeps a 16-bit gray scan 16-bit and gray', async () => {
    const scan = createImage(64, 48, 1, 16);
    for (let y = 0; y < 48; y++) for (let x = 0; x < 64; x++) scan.data[y * 64 + x] = 1000 * x;
    const mask = createImage(64, 48, 1, 8);
    for (let y = 20; y < 26; y++) mask.data.fill(255, y * 64 + 30, y * 64 + 36);
    await writeImageFile(scan, 'png', file('scan.png'));
    await writeImageFile(mask, 'png', file('mask.png'));
    expect((await mend('inpaint', file('scan.png'), '--mask', file('mask.png'), '-o', file('out.png'))).code).toBe(0);
    const { image: out } = await decodeImageFile(file('out.png'));
    expect(out).toMatchObject({ channels: 1, bitDepth: 16 });
    // A linear ramp is continued through the hole almost exactly.
    for (let y = 20; y < 26; y++) for (let x = 30; x < 36; x++) expect(Math.abs(out.data[y * 64 + x] - 1000 * x)).toBeLessThan(400);
  });

  it('says what is wrong with a mask of another size or no mask at all, and writes nothing', async () => {
    await writeImageFile(createImage(30, 20, 3, 8), 'png', file('a.png'));
    await writeImageFile(createImage(20, 20, 1, 8), 'png', file('m.png'));
    const wrongSize = await mend('inpaint', file('a.png'), '--mask', file('m.png'), '-o', file('out.png'));
    expect(wrongSize.code).not.toBe(0);
    expect(wrongSize.stderr).toMatch(/m\.png is 20×20, but .*a\.png is 30×20/);
    const noMask = await mend('inpaint', file('a.png'), '-o', file('out.png'));
    expect(noMask.code).toBe(2);
    expect(noMask.stderr).toMatch(/--mask/);
    expect(existsSync(file('out.png'))).toBe(false);
  });

  it('repair finds the dust on a print, writes the mask for review, and fills only there', async () => {
    const { image: photo } = await decodeImageFile(path.join(FIXTURES, 'coffee.png'));
    const dustSet = defectSets(photo.width, photo.height, 3).find((s) => s.name === 'dust');
    const { image: dusty, truth } = damage(photo, dustSet?.defects ?? []);
    await writeImageFile(dusty, 'png', file('dusty.png'));

    const result = await mend('repair', file('dusty.png'), '-o', file('clean.png'), '--mask-out', file('dust.png'), '--json');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout).results[0];
    expect(summary.maskOutput).toBe(file('dust.png'));
    const { image: found } = await decodeImageFile(file('dust.png'));
    expect(found).toMatchObject({ width: photo.width, height: photo.height, channels: 1 });
    let hit = 0;
    let defects = 0;
    for (let p = 0; p < truth.length; p++) if (truth[p]) defects++, found.data[p] && hit++;
    // The detector finds about half of the dust on the test photos (README); coffee.png has busy areas.
    expect(hit / defects).toBeGreaterThan(0.3);
    expect(summary.defectShare).toBeGreaterThan(0);
    expect(summary.defectShare).toBeLessThan(0.05);

    const { image: clean } = await decodeImageFile(file('clean.png'));
    let changedOutside = 0;
    for (let p = 0; p < truth.length; p++) if (!found.data[p]) for (let c = 0; c < 3; c++) if (clean.data[p * 3 + c] !== dusty.data[p * 3 + c]) changedOutside++;
    expect(changedOutside).toBe(0);
    const onDust = (p: number) => truth[p] === 1 && found.data[p] > 0;
    expect(mseInside(clean, photo, onDust)).toBeLessThan(mseInside(dusty, photo, onDust) / 4);
  });
});
