import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FACE_MODELS, faceModelPath, faceModelStatus } from '../../native-helper/src/faces/face-models';
import { runMend } from '../helpers/run-mend';

/** The real BlazeFace package (fetched by `mend models prepare`, as `npm test` runs it), built into a scratch model cache. */
describe('face models in `mend models`', () => {
  const model = FACE_MODELS['blazeface-256'];
  const previous = process.env.MEND_MODEL_CACHE;
  let cache: string;
  let config: string;

  beforeAll(() => {
    cache = mkdtempSync(path.join(tmpdir(), 'mend-face-cache-'));
    config = mkdtempSync(path.join(tmpdir(), 'mend-face-config-'));
    process.env.MEND_MODEL_CACHE = cache;
  });
  afterAll(() => {
    process.env.MEND_MODEL_CACHE = previous;
    rmSync(cache, { recursive: true, force: true });
    rmSync(config, { recursive: true, force: true });
  });

  it('builds BlazeFace by id, skips it when intact, rebuilds it when damaged, and lists it', async () => {
    const listed = async () => (JSON.parse((await runMend(config, 'models', '--json')).stdout) as Array<{ id: string; status: string }>).find((m) => m.id === model.id);
    expect(await listed()).toMatchObject({ task: 'face-detection', status: 'not-built' });

    const first = await runMend(config, 'models', 'prepare', 'blazeface-256', '--json');
    expect([first.code, JSON.parse(first.stdout)]).toEqual([0, { built: ['blazeface-256'], skipped: [] }]);
    expect(await listed()).toMatchObject({ status: 'ready', path: faceModelPath(model, cache) });
    const built = statSync(faceModelPath(model, cache)).mtimeMs;
    expect(JSON.parse((await runMend(config, 'models', 'prepare', 'blazeface-256', '--json')).stdout)).toEqual({ built: [], skipped: ['blazeface-256'] });
    expect(statSync(faceModelPath(model, cache)).mtimeMs).toBe(built);

    const good = readFileSync(faceModelPath(model, cache));
    writeFileSync(faceModelPath(model, cache), good.subarray(0, 1000));
    expect(await faceModelStatus(model, cache)).toBe('corrupt');
    expect((await runMend(config, 'models')).stdout).toMatch(/Face analysis models.*\n\s+blazeface-256\s+face-detection\s+corrupt/);
    expect(JSON.parse((await runMend(config, 'models', 'prepare', 'blazeface-256', '--json')).stdout).built).toEqual(['blazeface-256']);
    expect(readFileSync(faceModelPath(model, cache)).equals(good)).toBe(true);
  });
});
