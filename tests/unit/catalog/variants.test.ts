import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Catalog } from '../../../native-helper/src/catalog/catalog';
import { readyVariant, type VariantBuilder, variantPathOf } from '../../../native-helper/src/catalog/variants';
import { writeTinyCatalog } from '../../helpers/tiny-models';

describe('variants of other precisions', () => {
  let dir: string;
  let catalog: Catalog;
  const built: string[] = [];
  /** A builder that appends its version to the fp32 bytes, so each build is told apart. */
  const builder = (version: string): VariantBuilder => ({
    version,
    build: async (fp32, manifest) => {
      built.push(`${manifest.id} ${version}`);
      return new Uint8Array([...fp32, version.length]);
    },
  });

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'mend-variants-'));
    const { manifestDir, cacheDir } = writeTinyCatalog(dir, [{ id: 'tiny', task: 'restore', scale: 1, bytes: new Uint8Array([1, 2, 3]), overlap: 4, tile: 16 }]);
    catalog = await Catalog.open({ manifestDirs: [manifestDir], cacheDir });
    built.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const variant = (version = 'v1') => readyVariant(catalog, catalog.get('tiny'), catalog.get('tiny'), 'int8', { int8: builder(version) });

  it('lives next to the fp32 file as <name>-<precision>.onnx', () => {
    expect(variantPathOf('/cache/realesrgan-x4plus.onnx', 'int8')).toBe('/cache/realesrgan-x4plus-int8.onnx');
    expect(variantPathOf('/cache/maxim-deblur-256.onnx', 'fp16')).toBe('/cache/maxim-deblur-256-fp16.onnx');
  });

  it('is built on first use, then reused; built again for another builder version, or when damaged', async () => {
    const file = await variant();
    expect(file).toBe(path.join(dir, 'onnx', 'tiny-int8.onnx'));
    expect([...readFileSync(file)]).toEqual([1, 2, 3, 2]);
    expect(JSON.parse(readFileSync(`${file}.json`, 'utf8'))).toMatchObject({ precision: 'int8', builder: 'v1', source: catalog.get('tiny').sha256 });
    await variant();
    expect(built).toEqual(['tiny v1']);
    await variant('v22');
    expect(built).toEqual(['tiny v1', 'tiny v22']);
    writeFileSync(file, 'damaged');
    await variant('v22');
    expect(built).toEqual(['tiny v1', 'tiny v22', 'tiny v22']);
    expect([...readFileSync(file)]).toEqual([1, 2, 3, 3]);
  });

  it('is refused when its fp32 file is damaged, or no builder makes that precision', async () => {
    writeFileSync(path.join(dir, 'onnx', 'tiny.onnx'), 'damaged');
    await expect(variant()).rejects.toMatchObject({ code: 'model_missing', message: expect.stringContaining('mend models prepare tiny') });
    await expect(readyVariant(catalog, catalog.get('tiny'), catalog.get('tiny'), 'fp16', {})).rejects.toThrow(/tiny has no fp16 variant, and this helper cannot build one/);
    expect(built).toEqual([]);
  });
});
