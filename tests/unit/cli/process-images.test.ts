import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { runCli } from '../../../native-helper/src/cli/main';
import { decodeImageFile } from '../../../native-helper/src/codecs/image-file';
import { MendError } from '../../../native-helper/src/errors';
import type { TaskRunner } from '../../../native-helper/src/tasks/types';
import { fakeApp, firstDifference, nearest, nearestTask, recordingIo, type FakeApp, type RecordingIo } from './fake-app';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'images');
const fixture = (name: string) => path.join(FIXTURES, name);

describe('mend upscale / restore (with a fake app)', () => {
  let work: string;
  const file = (name: string) => path.join(work, name);

  async function mend(argv: string[], options: { app?: FakeApp; env?: NodeJS.ProcessEnv; tty?: boolean } = {}) {
    const app = options.app ?? fakeApp();
    const io = recordingIo(app, options.env, options.tty);
    const code = await runCli(argv, io);
    return { code, stdout: io.out.join(''), stderr: io.err.join(''), app };
  }

  /** Everything under the work folder, so a test sees any stray temporary file. */
  const listing = () => readdirSync(work, { recursive: true }).map(String).sort();

  beforeEach(() => {
    work = mkdtempSync(path.join(tmpdir(), 'mend-cli-unit-'));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  it.each([
    ['camera.png', 1, 8],
    ['chelsea.png', 3, 8],
    ['portrait_alpha.png', 4, 8],
    ['aerial_16bit.png', 3, 16],
  ] as const)('writes %s upscaled, with its channels, depth and exact pixels', async (name, channels, bitDepth) => {
    const result = await mend(['upscale', fixture(name), '-o', file('out.png')]);
    expect([result.code, result.stderr]).toEqual([0, expect.stringContaining(`→ ${file('out.png')}`)]);
    const input = (await decodeImageFile(fixture(name))).image;
    const output = (await decodeImageFile(file('out.png'))).image;
    expect([output.width, output.height, output.channels, output.bitDepth]).toEqual([input.width * 2, input.height * 2, channels, bitDepth]);
    expect(firstDifference(output.data, nearest(input, 2).data)).toBe(-1);
    expect(listing()).toEqual(['out.png']);
    expect(result.app.closed).toBe(1);
  });

  it('keeps gray+alpha, 16-bit, as two channels', async () => {
    const samples = Uint16Array.from({ length: 9 * 5 * 2 }, (_, i) => (i * 1499) % 65536);
    await sharp(samples, { raw: { width: 9, height: 5, channels: 2 } })
      .toColourspace('grey16')
      .png()
      .toFile(file('ga.png'));
    expect((await mend(['restore', file('ga.png'), '-o', file('ga-out.png')])).code).toBe(0);
    const meta = await sharp(file('ga-out.png')).metadata();
    expect([meta.channels, meta.depth, meta.hasAlpha]).toEqual([2, 'ushort', true]);
    expect(firstDifference((await decodeImageFile(file('ga-out.png'))).image.data, samples)).toBe(-1);
  });

  it('names outputs in a folder after the input, the scale reached and the input format', async () => {
    await sharp(fixture('camera.png')).resize(64).toFile(file('a.png'));
    await sharp(fixture('coffee.png')).resize(60).jpeg().toFile(file('b.jpeg'));
    expect((await mend(['upscale', file('a.png'), file('b.jpeg'), '-o', file('new/folder')])).code).toBe(0);
    expect(readdirSync(file('new/folder')).sort()).toEqual(['a-x2.png', 'b-x2.jpeg']);
    expect((await sharp(file('new/folder/b-x2.jpeg')).metadata()).format).toBe('jpeg');

    expect((await mend(['upscale', file('a.png'), '--model', 'fake-x4', '-o', `${file('x4')}/`])).code).toBe(0);
    expect((await mend(['upscale', file('a.png'), '--scale', '3', '-o', file('x4')])).code).toBe(0);
    expect(readdirSync(file('x4')).sort()).toEqual(['a-x3.png', 'a-x4.png']);
    expect((await sharp(file('x4/a-x4.png')).metadata()).width).toBe(256);

    expect((await mend(['restore', file('b.jpeg'), '-o', work])).code).toBe(0);
    expect(existsSync(file('b-restored.jpeg'))).toBe(true);
  });

  it('writes the format -o names, whatever the input was', async () => {
    expect((await mend(['upscale', fixture('portrait_alpha.png'), '-o', file('flat.jpg')])).code).toBe(0);
    const meta = await sharp(file('flat.jpg')).metadata();
    expect([meta.format, meta.channels, meta.width]).toEqual(['jpeg', 3, 1000]);
  });

  it('refuses to clobber an existing output before any work, unless --overwrite', async () => {
    writeFileSync(file('taken.png'), 'precious');
    const refused = await mend(['upscale', fixture('camera.png'), '-o', file('taken.png')]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toBe(`mend: ${file('taken.png')} already exists; pass --overwrite to replace it\n`);
    expect(refused.app.runs).toHaveLength(0);
    expect(readFileSync(file('taken.png'), 'utf8')).toBe('precious');

    const replaced = await mend(['upscale', fixture('camera.png'), '-o', file('taken.png'), '--overwrite']);
    expect(replaced.code).toBe(0);
    expect((await sharp(file('taken.png')).metadata()).width).toBe(1024);
    expect(listing()).toEqual(['taken.png']);
  });

  it('leaves nothing behind when the task fails, and shows no stack unless MEND_DEBUG=1', async () => {
    const failing: TaskRunner = async (_input, context) => {
      context.onProgress({ done: 1, total: 4, stage: 'upscale' });
      throw new Error('out of device memory');
    };
    const result = await mend(['upscale', fixture('camera.png'), '-o', file('out.png')], { app: fakeApp(failing) });
    expect([result.code, result.stderr]).toEqual([1, 'mend: unexpected failure: out of device memory\n']);
    expect(listing()).toEqual([]);
    expect(result.app.closed).toBe(1);

    const debug = await mend(['upscale', fixture('camera.png'), '-o', file('out.png')], { app: fakeApp(failing), env: { MEND_DEBUG: '1' } });
    expect(debug.stderr).toMatch(/out of device memory\n\s+at /);

    const model = await mend(['upscale', fixture('camera.png'), '-o', file('out.png')], {
      app: fakeApp(async () => {
        throw new MendError('model_missing', 'fake-x2 is not built; run `mend models prepare`');
      }),
    });
    expect([model.code, model.stderr]).toEqual([4, 'mend: fake-x2 is not built; run `mend models prepare`\n']);
    expect(listing()).toEqual([]);
  });

  it('leaves nothing behind when the write itself fails', async () => {
    // A folder stands where the output should go: the temporary file is written, the rename fails.
    mkdirSync(file('out/camera-x2.png/inside'), { recursive: true });
    const result = await mend(['upscale', fixture('camera.png'), '-o', file('out'), '--overwrite']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^mend: unexpected failure: .*camera-x2\.png/);
    expect(listing()).toEqual(['out', 'out/camera-x2.png', 'out/camera-x2.png/inside']);
  });

  it('cancels on Ctrl+C between tiles, stops the batch and leaves nothing behind', async () => {
    copyFileSync(fixture('camera.png'), file('first.png'));
    copyFileSync(fixture('chelsea.png'), file('second.png'));
    let io: RecordingIo | undefined;
    const pressCtrlCMidway: TaskRunner = (input, context) =>
      nearestTask(input, {
        signal: context.signal,
        onProgress(progress) {
          if (progress.done === 2) io?.interrupt();
          context.onProgress(progress);
        },
      });
    const app = fakeApp(pressCtrlCMidway);
    io = recordingIo(app);
    const code = await runCli(['upscale', file('first.png'), file('second.png'), '-o', file('out'), '--json'], io);
    expect(code).toBe(130);
    expect(io.err.join('')).toMatch(/cancelling/);
    expect(app.runs).toHaveLength(1);
    expect(io.interruptible()).toBe(false);
    expect(app.closed).toBe(1);
    expect(listing()).toEqual(['first.png', 'second.png']);
    expect(JSON.parse(io.out.join(''))).toMatchObject({ ok: false, results: [{ input: file('first.png'), error: { code: 'cancelled' } }] });
  });

  it('says which file is corrupt or truncated, with exit code 3, and still does the good ones', async () => {
    const png = readFileSync(fixture('chelsea.png'));
    const jpeg = await sharp(fixture('coffee.png')).jpeg().toBuffer();
    writeFileSync(file('garbage.png'), 'not an image at all');
    writeFileSync(file('half.png'), png.subarray(0, png.length >> 1));
    writeFileSync(file('cut.jpg'), jpeg.subarray(0, jpeg.length >> 2));
    writeFileSync(file('empty.jpg'), '');
    for (const name of ['garbage.png', 'half.png', 'cut.jpg', 'empty.jpg']) {
      const result = await mend(['restore', file(name), '-o', file(`fixed-${name}`)]);
      expect([name, result.code]).toEqual([name, 3]);
      expect(result.stderr).toMatch(new RegExp(`^mend: ${file(name).replace(/[.\\]/g, '\\$&')}: not a readable PNG or JPEG image \\(.+\\)\\n$`));
      expect(result.app.runs).toHaveLength(0);
      expect(existsSync(file(`fixed-${name}`))).toBe(false);
    }

    copyFileSync(fixture('camera.png'), file('good.png'));
    const mixed = await mend(['restore', file('half.png'), file('good.png'), '-o', file('out'), '--json']);
    expect(mixed.code).toBe(3);
    const summary = JSON.parse(mixed.stdout);
    expect(summary.results.map((r: { error?: { code: string } }) => r.error?.code ?? 'ok')).toEqual(['bad_input', 'ok']);
    expect(readdirSync(file('out'))).toEqual(['good-restored.png']);
  });

  it('answers bad usage with exit code 2 and writes nothing', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['upscale', fixture('camera.png')], /required option '-o, --output <output>'/],
      [['upscale', '-o', file('x.png')], /missing required argument 'input'/],
      [['upscale', fixture('camera.png'), '-o', file('x.png'), '--tile', '8'], /--tile must be a whole number from 32 to 4096/],
      [['upscale', fixture('camera.png'), '-o', file('x.png'), '--scale', '16'], /--scale must be a whole number from 1 to 8/],
      [['upscale', fixture('camera.png'), '-o', file('x.png'), '--sharpen'], /unknown option '--sharpen'/],
      [['restore', fixture('camera.png'), '-o', file('x.png'), '--scale', '2'], /unknown option '--scale'/],
      [['upscale', fixture('camera.png'), '-o', file('x.gif')], /use a \.png, \.jpg or \.jpeg name, or a folder/],
      [['upscale', fixture('camera.png'), fixture('chelsea.png'), '-o', file('both.png')], /2 inputs need a folder after -o/],
      [['upscale', fixture('camera.png'), '-o', file('x.png'), '--model', 'Bad Id'], /--model/],
      [['enhance', fixture('camera.png')], /unknown command 'enhance'/],
    ];
    for (const [argv, message] of cases) {
      const result = await mend(argv);
      expect([argv.join(' '), result.code]).toEqual([argv.join(' '), 2]);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    expect(listing()).toEqual([]);
  });

  it('--json prints exactly one summary line with inputs, outputs, timings, provider and models', async () => {
    const result = await mend(['upscale', fixture('camera.png'), fixture('chelsea.png'), '-o', file('out'), '--json'], { tty: true });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('');
    const summary = JSON.parse(lines[0]);
    expect(summary).toEqual({
      command: 'upscale',
      ok: true,
      provider: 'fake-gpu',
      totalMs: expect.any(Number),
      peakRssBytes: expect.any(Number),
      results: [
        expect.objectContaining({ input: fixture('camera.png'), output: file('out/camera-x2.png'), width: 512, height: 512, outputWidth: 1024, outputHeight: 1024 }),
        expect.objectContaining({ input: fixture('chelsea.png'), output: file('out/chelsea-x2.png'), models: ['fake-x2'], tiles: 4 }),
      ],
    });
    expect(summary.results[0].timings).toEqual({ decodeMs: expect.any(Number), runMs: expect.any(Number), finishMs: expect.any(Number) });

    const failed = await mend(['upscale', fixture('camera.png'), '-o', file('x.tiff'), '--json']);
    expect(failed.code).toBe(2);
    expect(JSON.parse(failed.stdout)).toMatchObject({ ok: false, results: [], error: { code: 'bad_usage' } });
  });

  it('passes --provider, else MEND_PROVIDER, to the app', async () => {
    const app = fakeApp();
    await mend(['restore', fixture('camera.png'), '-o', file('a.png'), '--provider', 'cpu'], { app, env: { MEND_PROVIDER: 'webgpu' } });
    await mend(['restore', fixture('camera.png'), '-o', file('b.png')], { app, env: { MEND_PROVIDER: 'webgpu' } });
    expect(app.options.map((o) => o.provider)).toEqual(['cpu', 'webgpu']);
  });

  it('draws a progress bar on a terminal and none in a pipe', async () => {
    const tty = await mend(['restore', fixture('camera.png'), '-o', file('a.png')], { tty: true });
    expect(tty.stderr).toMatch(/restore .*camera\.png \[[=-]+\] \d+% \| \d\/4 tiles \| restore/);
    const pipe = await mend(['restore', fixture('camera.png'), '-o', file('b.png')]);
    expect(pipe.stderr).not.toMatch(/tiles/);
  });
});
