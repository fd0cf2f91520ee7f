import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openCatalog } from '../../native-helper/src/app';
import { prepareModels } from '../../native-helper/src/catalog/prepare';

/** Uses the sources `npm ci` already fetched; builds into a scratch model cache. */
describe('mend models prepare', () => {
  const ID = 'realesr-animevideov3-x2';
  let cache: string;
  const previous = process.env.MEND_MODEL_CACHE;

  beforeAll(() => {
    cache = mkdtempSync(path.join(tmpdir(), 'mend-cache-'));
    process.env.MEND_MODEL_CACHE = cache;
  });
  afterAll(() => {
    process.env.MEND_MODEL_CACHE = previous;
    rmSync(cache, { recursive: true, force: true });
  });

  it('builds a missing model, leaves an intact one alone, and rebuilds a damaged one', async () => {
    const catalog = await openCatalog(undefined);
    const file = catalog.pathOf(catalog.get(ID));
    expect(await prepareModels(catalog, [ID])).toEqual({ built: [ID], skipped: [] });
    const built = statSync(file).mtimeMs;
    expect(await prepareModels(catalog, [ID])).toEqual({ built: [], skipped: [ID] });
    expect(statSync(file).mtimeMs).toBe(built);

    const good = readFileSync(file);
    const damaged = Buffer.from(good);
    damaged[damaged.length >> 1] ^= 0xff;
    writeFileSync(file, damaged);
    expect(await catalog.statusOf(catalog.get(ID))).toBe('corrupt');
    expect(await prepareModels(catalog, [ID])).toEqual({ built: [ID], skipped: [] });
    expect(readFileSync(file).equals(good)).toBe(true);
  });
});
