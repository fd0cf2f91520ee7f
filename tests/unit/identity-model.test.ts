import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openCatalog } from '../../native-helper/src/app';
import { DEFAULT_BENCH_MODEL } from '../../native-helper/src/bench/bench-defaults';
import { buildModelBytes, sha256Hex } from '../../native-helper/src/catalog/build-model';
import { Catalog } from '../../native-helper/src/catalog/catalog';
import { fullPlan, quickPlan } from '../../native-helper/src/eval/plan';
import { IDENTITY_MODEL_ID } from '../../native-helper/src/protocol';

const MANIFESTS = path.join(__dirname, '..', '..', 'models', 'manifests');

/** The self-test's identity model: shipped, built by Mend's own script, never a default, never measured. */
describe('identity model', () => {
  it('is in the catalog as a ×1 restore model for any image, and `mend models prepare` builds it with no download', async () => {
    const manifest = (await openCatalog(undefined)).get(IDENTITY_MODEL_ID);
    expect(manifest).toMatchObject({ task: 'restore', scale: 1, domain: 'any', default: false, source: { converter: 'script' }, title: expect.stringMatching(/self-test/) });
    expect(manifest.roles).toBeUndefined();
    expect(sha256Hex(await buildModelBytes(manifest))).toBe(manifest.sha256);
  });

  it('is never the default, even where no restore model holds a role', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mend-manifests-'));
    try {
      // Without roles, the default falls back to the first restore model by file name; identity.json sorts first.
      for (const name of [`${IDENTITY_MODEL_ID}.json`, 'waifu2x-cunet-noise0.json']) copyFileSync(path.join(MANIFESTS, name), path.join(dir, name));
      const catalog = await Catalog.open({ manifestDirs: [dir], cacheDir: dir });
      expect(catalog.defaultFor('restore').id).toBe('waifu2x-cunet-noise0');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is not measured by `mend eval` or `mend bench`', () => {
    const evaluated = [...fullPlan().steps, ...quickPlan().steps].flatMap((step) => step.models);
    expect(evaluated).not.toContain(IDENTITY_MODEL_ID);
    expect(DEFAULT_BENCH_MODEL).not.toBe(IDENTITY_MODEL_ID);
  });
});
