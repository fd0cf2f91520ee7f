import path from 'node:path';
import sharp from 'sharp';
import { createApp, openCatalog, type MendApp } from '../../native-helper/src/app';
import { createImage, type PixelImage } from '../../native-helper/src/imaging/pixel-image';

/** Every shipped model runs through the normal pipeline on an odd-sized photo and keeps its promised geometry. */
describe('the shipped catalog', () => {
  let app: MendApp;
  let photo: PixelImage;
  beforeAll(async () => {
    app = await createApp({ provider: 'cpu' });
    const { data, info } = await sharp(path.join(__dirname, '..', 'fixtures', 'images', 'coffee.png'))
      .resize(45, 33)
      .raw()
      .toBuffer({ resolveWithObject: true });
    photo = createImage(info.width, info.height, 3, 8);
    photo.data.set(data);
  });
  afterAll(() => app.close());

  it('has every model built and ready after npm ci, but those prepared on first use', async () => {
    const models = await app.listModels();
    expect(models.length).toBeGreaterThanOrEqual(38);
    const firstUse = new Set((await openCatalog(undefined)).list().flatMap((m) => (m.prepareOnFirstUse ? [m.id] : [])));
    expect(models.filter((m) => m.status !== 'ready' && !(firstUse.has(m.id) && m.status === 'available')).map((m) => m.id)).toEqual([]);
  });

  it('runs each model at its scale, with output that still looks like the photo', async () => {
    const catalog = await openCatalog(undefined);
    expect(catalog.list().map((m) => m.task)).toEqual(expect.arrayContaining(['upscale', 'restore', 'inpaint']));
    // Inpainting models fill a hole in the middle of the photo.
    const hole = createImage(45, 33, 1, 8);
    for (let y = 12; y < 20; y++) hole.data.fill(255, y * 45 + 18, y * 45 + 26);
    // Models prepared on first use are MAXIM's, heavy and tone-changing: tests/integration/maxim.test.ts runs one.
    for (const manifest of catalog.list().filter((m) => !m.prepareOnFirstUse)) {
      const { task } = manifest;
      // Face restorers take aligned face crops (mend restore-faces), not photos; none ships.
      if (task === 'face') continue;
      const { image } = await app.runTask(
        { options: { task, model: manifest.id }, image: photo, mask: task === 'inpaint' ? hole : undefined },
        { signal: new AbortController().signal, onProgress: () => undefined },
      );
      expect([manifest.id, image.width, image.height]).toEqual([manifest.id, 45 * manifest.scale, 33 * manifest.scale]);
      // Mean color within 12 levels of the input's: wrong value ranges or channel orders fail this.
      for (let c = 0; c < 3; c++) {
        const mean = (img: PixelImage) => {
          let sum = 0;
          for (let i = c; i < img.data.length; i += 3) sum += img.data[i];
          return sum / (img.data.length / 3);
        };
        expect([manifest.id, c, Math.abs(mean(image) - mean(photo)) < 12]).toEqual([manifest.id, c, true]);
      }
    }
  }, 180_000);
});
