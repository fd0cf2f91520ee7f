import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Catalog } from '../../../native-helper/src/catalog/catalog';
import { modelFiles, type ModelManifest } from '../../../native-helper/src/catalog/manifest';
import type { InferenceEngine, ModelSession } from '../../../native-helper/src/engine/inference-engine';
import { CancelledError } from '../../../native-helper/src/errors';
import { createImage } from '../../../native-helper/src/imaging/pixel-image';
import { PREPARE_CONVERT_STAGE, PREPARE_DOWNLOAD_STAGE } from '../../../native-helper/src/protocol';
import { createTaskRunner } from '../../../native-helper/src/tasks/runner';
import type { TaskContext, TaskProgress } from '../../../native-helper/src/tasks/types';
import { fixedSideBytes, writeFixedSideCatalog } from '../../helpers/tiny-models';

const echo: InferenceEngine = {
  load: () => Promise.reject(new Error('not used here')),
  loadForTiles: async (): Promise<ModelSession> => ({
    provider: 'cpu',
    parallelRuns: 1,
    run: async (input, height, width) => ({ data: input, height, width }),
    runNamed: () => Promise.reject(new Error('not used here')),
    release: async () => undefined,
  }),
};

/** A job whose model is `available` prepares it first, inside the job; the preparation here is a stand-in that writes the files. */
describe('jobs with a model prepared on first use', () => {
  let dir: string;
  let catalog: Catalog;
  const prepared: string[] = [];

  /** Reports a download and a conversion, as the real one does, then writes every file (unless cancelled). */
  async function prepareModel(manifest: ModelManifest, context: TaskContext): Promise<void> {
    prepared.push(manifest.id);
    context.onProgress({ done: 0, total: 100, stage: PREPARE_DOWNLOAD_STAGE });
    context.onProgress({ done: 100, total: 100, stage: PREPARE_DOWNLOAD_STAGE });
    if (context.signal.aborted) throw new CancelledError();
    for (const [index, file] of modelFiles(manifest).entries()) {
      writeFileSync(catalog.pathOf(manifest, file), fixedSideBytes(manifest.id, file.side ?? 0));
      context.onProgress({ done: index + 1, total: 2, stage: PREPARE_CONVERT_STAGE });
    }
  }

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'mend-first-use-jobs-'));
    const { manifestDir, cacheDir } = writeFixedSideCatalog(dir, { id: 'fake-deblur', sides: [256, 128], overlap: 32, built: [] });
    catalog = await Catalog.open({ manifestDirs: [manifestDir], cacheDir });
    prepared.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function job(signal = new AbortController().signal) {
    const progress: TaskProgress[] = [];
    const run = createTaskRunner({ catalog, engine: echo, prepareModel })(
      { options: { task: 'restore', model: 'fake-deblur' }, image: createImage(100, 70, 3, 8) },
      { signal, onProgress: (p) => progress.push(p) },
    );
    return { run, progress };
  }

  it('prepares the model inside the first job, reporting it, then runs its tiles; the next job does not prepare again', async () => {
    const first = job();
    await first.run;
    expect(first.progress.map((p) => p.stage)).toEqual([
      PREPARE_DOWNLOAD_STAGE,
      PREPARE_DOWNLOAD_STAGE,
      PREPARE_CONVERT_STAGE,
      PREPARE_CONVERT_STAGE,
      'fake-deblur',
      'fake-deblur',
    ]);
    expect(await catalog.statusOf(catalog.get('fake-deblur'))).toBe('ready');

    const second = job();
    await second.run;
    expect(second.progress.map((p) => p.stage)).toEqual(['fake-deblur', 'fake-deblur']);
    expect(prepared).toEqual(['fake-deblur']);
  });

  it('ends as cancelled when cancelled while preparing, and the model stays available', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(job(controller.signal).run).rejects.toBeInstanceOf(CancelledError);
    expect(await catalog.statusOf(catalog.get('fake-deblur'))).toBe('available');
  });

  it('without a preparer (a tool that runs built models only), says how to build the model', async () => {
    const run = createTaskRunner({ catalog, engine: echo })(
      { options: { task: 'restore', model: 'fake-deblur' }, image: createImage(100, 70, 3, 8) },
      { signal: new AbortController().signal, onProgress: () => undefined },
    );
    await expect(run).rejects.toMatchObject({ code: 'model_missing', message: expect.stringContaining('run `mend models prepare fake-deblur`') });
  });
});
