import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CancelledError } from '../../../native-helper/src/errors';
import { ensureSource, type SourcePins } from '../../../native-helper/src/catalog/sources';
import { packTinyGraphPackage, startFakeRegistry, type FakePackage, type FakeRegistry } from '../../helpers/fake-registry';

/** Fetching a pinned source package from an npm registry (a fake one on 127.0.0.1; npm's own client finds the tarball). */
describe('source packages from the npm registry', () => {
  let pkg: FakePackage;
  let registry: FakeRegistry;
  let cacheDir: string;
  let spec: string;
  let pins: SourcePins;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    pkg = await packTinyGraphPackage();
    registry = await startFakeRegistry(pkg);
    Object.assign(process.env, registry.npmEnv);
    spec = `${pkg.name}@${pkg.version}`;
    pins = { [spec]: { integrity: pkg.integrity, license: 'MIT', use: 'test' } };
  });
  afterAll(async () => {
    process.env = savedEnv;
    await registry.close();
  });
  beforeEach(() => {
    cacheDir = mkdtempSync(path.join(tmpdir(), 'mend-sources-'));
    registry.tarballRequests = 0;
    registry.stallAfter = undefined;
  });
  afterEach(() => rmSync(cacheDir, { recursive: true, force: true }));

  it('downloads with byte progress up to the tarball’s size, unpacks it, and does not download it again', async () => {
    const progress: Array<[number, number]> = [];
    const dir = await ensureSource(spec, { pins, cacheDir, onDownload: (done, total) => progress.push([done, total]) });
    expect(existsSync(path.join(dir, 'models', 'model.json'))).toBe(true);
    const size = pkg.tarball.byteLength;
    expect(progress[0]).toEqual([0, size]);
    expect(progress[progress.length - 1]).toEqual([size, size]);
    // The padding makes a few megabytes: several steps between, each further than the last.
    expect(progress.length).toBeGreaterThanOrEqual(4);
    progress.slice(1).forEach(([done], i) => expect(done).toBeGreaterThan(progress[i][0]));
    expect(readdirSync(cacheDir)).toEqual([path.basename(dir)]);

    expect(await ensureSource(spec, { pins, cacheDir, onDownload: () => progress.push([-1, -1]) })).toBe(dir);
    expect(registry.tarballRequests).toBe(1);
    expect(progress[progress.length - 1]).toEqual([size, size]);
  });

  it('refuses a package whose checksum is not the pinned one, and keeps nothing of it', async () => {
    const wrong = `sha512-${Buffer.alloc(64, 7).toString('base64')}`;
    await expect(ensureSource(spec, { pins: { [spec]: { ...pins[spec], integrity: wrong } }, cacheDir })).rejects.toMatchObject({
      code: 'runtime',
      message: `${spec} downloaded with checksum ${pkg.integrity}, but models/sources.json pins ${wrong}; refusing to use it`,
    });
    expect(readdirSync(cacheDir)).toEqual([]);
  });

  it('stops a download when cancelled midway and leaves no file behind', async () => {
    registry.stallAfter = 1.5 * (1 << 20);
    const controller = new AbortController();
    const download = ensureSource(spec, {
      pins,
      cacheDir,
      signal: controller.signal,
      onDownload: (done) => done > 0 && controller.abort(),
    });
    await expect(download).rejects.toBeInstanceOf(CancelledError);
    expect(readdirSync(cacheDir)).toEqual([]);
  });
});
