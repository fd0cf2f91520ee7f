import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Catalog } from '../../../native-helper/src/catalog/catalog';
import { modelFiles } from '../../../native-helper/src/catalog/manifest';
import { prepareModels } from '../../../native-helper/src/catalog/prepare';
import { writeFixedSideCatalog } from '../../helpers/tiny-models';

/** A model converted for fixed sides (256² for tiles, 128² for small images) and prepared on first use, like MAXIM's. */
describe('catalog: models of fixed sides, prepared on first use', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mend-first-use-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function open(built?: number[]): Promise<Catalog> {
    const { manifestDir, cacheDir } = writeFixedSideCatalog(dir, { id: 'fake-deblur', sides: [256, 128], overlap: 32, built });
    return Catalog.open({ manifestDirs: [manifestDir], cacheDir });
  }

  it('lists every file of the model, the main side first', async () => {
    const manifest = (await open()).get('fake-deblur');
    expect(modelFiles(manifest).map(({ side, file }) => ({ side, file }))).toEqual([
      { side: 256, file: 'fake-deblur-256.onnx' },
      { side: 128, file: 'fake-deblur-128.onnx' },
    ]);
  });

  it('is `available` until every file is built, and says how to build it', async () => {
    for (const built of [[], [256], [128]]) {
      const catalog = await open(built);
      const manifest = catalog.get('fake-deblur');
      expect(await catalog.statusOf(manifest)).toBe('available');
      await expect(catalog.readyPath(manifest, 128)).rejects.toMatchObject({
        code: 'model_missing',
        message: 'the model fake-deblur is not built yet; run `mend models prepare fake-deblur` to build it',
      });
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is ready with every file intact, and answers the file of the side asked for', async () => {
    const catalog = await open();
    const manifest = catalog.get('fake-deblur');
    expect(await catalog.statusOf(manifest)).toBe('ready');
    expect(await catalog.readyPath(manifest, 128)).toBe(path.join(dir, 'onnx', 'fake-deblur-128.onnx'));
    expect(await catalog.readyPath(manifest, 256)).toBe(path.join(dir, 'onnx', 'fake-deblur-256.onnx'));
    expect(await catalog.readyPath(manifest)).toBe(path.join(dir, 'onnx', 'fake-deblur-256.onnx'));
    await expect(catalog.readyPath(manifest, 512)).rejects.toMatchObject({ message: 'the model fake-deblur has no export for 512×512 inputs' });
  });

  it('is corrupt when the smaller export is damaged', async () => {
    const catalog = await open();
    writeFileSync(path.join(dir, 'onnx', 'fake-deblur-128.onnx'), 'damaged');
    const manifest = catalog.get('fake-deblur');
    expect(await catalog.statusOf(manifest)).toBe('corrupt');
    await expect(catalog.readyPath(manifest, 256)).rejects.toMatchObject({ message: expect.stringContaining('fake-deblur is damaged') });
  });

  it('is left alone by a bare `mend models prepare`, which builds the other models', async () => {
    const catalog = await open([]);
    expect(await prepareModels(catalog, undefined)).toEqual({ built: [], skipped: [] });
    expect(await catalog.statusOf(catalog.get('fake-deblur'))).toBe('available');
  });
});
