import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { SHEET_CELL_SIDE } from '../../../native-helper/src/cli/compare-files';
import { runCli } from '../../../native-helper/src/cli/main';
import { decodeImageFile } from '../../../native-helper/src/codecs/image-file';
import { cellOrigin } from '../../../native-helper/src/eval/contact-sheet';
import type { TaskRunner } from '../../../native-helper/src/tasks/types';
import { fakeApp, firstDifference, nearest, nearestTask, recordingIo, type FakeApp, type RecordingIo } from './fake-app';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'images');
const fixture = (name: string) => path.join(FIXTURES, name);

describe('mend upscale --detail / --hallucination-map / --compare (with a fake app)', () => {
  let work: string;
  const file = (name: string) => path.join(work, name);
  const listing = () => readdirSync(work, { recursive: true }).map(String).sort();

  async function mend(argv: string[], app: FakeApp = fakeApp()) {
    const io = recordingIo(app);
    const code = await runCli(argv, io);
    return { code, stdout: io.out.join(''), stderr: io.err.join(''), app };
  }

  beforeEach(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'mend-cli-compare-'));
    await sharp(fixture('chelsea.png')).resize(60, 40).toFile(file('cat.png'));
    await sharp(fixture('coffee.png')).resize(50, 30).toFile(file('cup.png'));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  it('passes --detail to the upscale, and refuses a strength outside 0..2', async () => {
    const run = await mend(['upscale', file('cat.png'), '-o', file('out.png'), '--detail', '0.5']);
    expect(run.code).toBe(0);
    expect(run.app.runs[0].options).toMatchObject({ task: 'upscale', detail: 0.5 });
    for (const bad of ['2.5', '-1', 'much', '']) {
      const refused = await mend(['upscale', file('cat.png'), '-o', file('bad.png'), '--detail', bad]);
      expect([bad, refused.code, refused.stderr]).toEqual([bad, 2, expect.stringContaining('--detail must be a number from 0 to 2')]);
      expect(refused.app.runs).toHaveLength(0);
    }
    expect(listing()).toEqual(['cat.png', 'cup.png', 'out.png']);
  });

  it("writes the map of invented detail as a gray PNG of the output's size: to the file named, or into a folder for several inputs", async () => {
    const one = await mend(['upscale', file('cat.png'), '-o', file('big.png'), '--hallucination-map', file('map.png')]);
    expect([one.code, one.stderr]).toEqual([0, expect.stringContaining(`invented detail → ${file('map.png')}`)]);
    expect(one.app.runs[0].options).toMatchObject({ task: 'upscale', inventedDetailMap: true });
    const map = (await decodeImageFile(file('map.png'))).image;
    expect([map.width, map.height, map.channels, map.bitDepth]).toEqual([120, 80, 1, 8]);
    const big = (await decodeImageFile(file('big.png'))).image;
    expect(map.data[0]).toBe(big.data[0]);

    const several = await mend(['upscale', file('cat.png'), file('cup.png'), '-o', file('out'), '--hallucination-map', file('maps'), '--json']);
    expect(several.code).toBe(0);
    expect(readdirSync(file('maps')).sort()).toEqual(['cat-hallucination-map.png', 'cup-hallucination-map.png']);
    expect(JSON.parse(several.stdout).results[1]).toMatchObject({ output: file('out/cup-x2.png'), mapOutput: file('maps/cup-hallucination-map.png') });

    // An existing map is not replaced without --overwrite, and the run writes nothing.
    const refused = await mend(['upscale', file('cat.png'), '-o', file('again.png'), '--hallucination-map', file('map.png')]);
    expect([refused.code, refused.stderr]).toEqual([3, `mend: ${file('map.png')} already exists; pass --overwrite to replace it\n`]);
    expect(refused.app.runs).toHaveLength(0);
  });

  it('writes neither the upscale nor its map when the map cannot be written', async () => {
    // A folder stands where the map should go: its rename fails, after the upscale was made.
    mkdirSync(file('maps/cat-hallucination-map.png/inside'), { recursive: true });
    const result = await mend(['upscale', file('cat.png'), '-o', file('big.png'), '--hallucination-map', file('maps'), '--overwrite']);
    expect([result.code, result.stderr]).toEqual([1, expect.stringMatching(/^mend: unexpected failure: .*cat-hallucination-map\.png/)]);
    expect(listing()).toEqual(['cat.png', 'cup.png', 'maps', 'maps/cat-hallucination-map.png', 'maps/cat-hallucination-map.png/inside']);
  });

  it('--compare writes each variant, named after the input and the model, and a contact sheet of them under their labels', async () => {
    const run = await mend(['upscale', file('cat.png'), '--compare', 'fake-x2,fake-x4', '-o', file('cmp'), '--scale', '2', '--json']);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.app.runs).toHaveLength(1);
    expect(run.app.runs[0].options).toEqual({
      task: 'compare',
      variants: [
        { task: 'upscale', model: 'fake-x2', scale: 2 },
        { task: 'upscale', model: 'fake-x4', scale: 2 },
      ],
    });
    expect(readdirSync(file('cmp')).sort()).toEqual(['cat-compare.png', 'cat-fake-x2.png', 'cat-fake-x4.png']);
    expect(JSON.parse(run.stdout).results[0]).toMatchObject({
      output: file('cmp/cat-compare.png'),
      variants: [
        { file: file('cmp/cat-fake-x2.png'), label: 'fake-x2', models: ['fake-x2'] },
        { file: file('cmp/cat-fake-x4.png'), label: 'fake-x4', models: ['fake-x4'] },
      ],
    });
    const source = (await decodeImageFile(file('cat.png'))).image;
    const variant = (await decodeImageFile(file('cmp/cat-fake-x4.png'))).image;
    expect(firstDifference(variant.data, nearest(source, 2).data)).toBe(-1);

    // The sheet shows both variants at 1:1, side by side.
    const sheet = await sharp(file('cmp/cat-compare.png')).raw().toBuffer({ resolveWithObject: true });
    const second = cellOrigin(0, 1, 120, 80);
    expect(sheet.info.width).toBe(second.left + 120 + 4);
    const at = (x: number, y: number) => {
      const from = (y * sheet.info.width + x) * sheet.info.channels;
      return Array.from(sheet.data.subarray(from, from + 3));
    };
    expect(at(second.left + 7, second.top + 5)).toEqual(Array.from(variant.data.subarray((5 * 120 + 7) * 3, (5 * 120 + 7) * 3 + 3)));
  });

  it('--compare detail:… compares strengths of --model, each file named with its strength', async () => {
    const run = await mend(['upscale', file('cat.png'), '--model', 'fake-x2', '--compare', 'detail:0,detail:1,detail:2', '-o', file('cmp')]);
    expect(run.code).toBe(0);
    expect(run.app.runs[0].options).toMatchObject({ variants: [0, 1, 2].map((detail) => ({ task: 'upscale', model: 'fake-x2', detail })) });
    expect(readdirSync(file('cmp')).sort()).toEqual(['cat-compare.png', 'cat-fake-x2-detail0.png', 'cat-fake-x2-detail1.png', 'cat-fake-x2-detail2.png']);
    expect(run.stderr).toMatch(/fake-x2 · detail 2 → .*cat-fake-x2-detail2\.png/);
  });

  it('shows a large variant in the contact sheet by its centre, at 1:1', async () => {
    await sharp({ create: { width: 600, height: 300, channels: 3, background: '#808080' } })
      .png()
      .toFile(file('wide.png'));
    expect((await mend(['upscale', file('wide.png'), '--compare', 'fake-x2,fake-x4', '--scale', '2', '-o', file('cmp')])).code).toBe(0);
    const sheet = await sharp(file('cmp/wide-compare.png')).metadata();
    expect(sheet.width).toBe(cellOrigin(0, 1, SHEET_CELL_SIDE, 600).left + SHEET_CELL_SIDE + 4);
    expect(sheet.height).toBe(cellOrigin(1, 0, SHEET_CELL_SIDE, 600).top);
  });

  it('refuses --compare with what it cannot do, as bad usage before any work', async () => {
    const cases: Array<[string[], string]> = [
      [['--compare', 'fake-x2,fake-x4', '--model', 'fake-x2'], '--compare names the models to compare: leave out --model'],
      [['--compare', 'fake-x2'], '--compare takes 2 to 4 variants separated by commas, not 1'],
      [['--compare', 'a,b,c,d,e'], '--compare takes 2 to 4 variants separated by commas, not 5'],
      [['--compare', 'fake-x2,,fake-x4'], 'without empty items'],
      [['--compare', 'fake-x2,fake-x2'], '--compare names fake-x2 twice'],
      [['--compare', 'fake-x2,detail:1'], 'not both'],
      [['--compare', 'detail:0,detail:3'], '--compare detail:3: a detail strength is a number from 0 to 2'],
      [['--compare', 'detail:0,detail:1', '--detail', '1'], 'leave out --detail'],
      [['--compare', 'fake-x2,Fake-X4'], '--compare: model ids are lower-case'],
      [['--compare', 'fake-x2,fake-x4', '--hallucination-map', 'map.png'], '--compare writes no map of invented detail'],
    ];
    for (const [flags, message] of cases) {
      const result = await mend(['upscale', file('cat.png'), '-o', file('cmp'), ...flags]);
      expect([flags.join(' '), result.code, result.stderr]).toEqual([flags.join(' '), 2, expect.stringContaining(message)]);
      expect(result.app.runs).toHaveLength(0);
    }
    const toFile = await mend(['upscale', file('cat.png'), '--compare', 'fake-x2,fake-x4', '-o', file('sheet.png')]);
    expect([toFile.code, toFile.stderr]).toEqual([2, `mend: --compare writes one file per variant and a contact sheet: give a folder after -o, not ${file('sheet.png')}\n`]);
    expect(listing()).toEqual(['cat.png', 'cup.png']);
  });

  it('--compare replaces no existing file without --overwrite, and writes none of its files then', async () => {
    mkdirSync(file('cmp'));
    writeFileSync(file('cmp/cat-fake-x4.png'), 'precious');
    const refused = await mend(['upscale', file('cat.png'), '--compare', 'fake-x2,fake-x4', '--scale', '2', '-o', file('cmp')]);
    expect([refused.code, refused.stderr]).toEqual([3, `mend: ${file('cmp/cat-fake-x4.png')} already exists; pass --overwrite to replace it\n`]);
    expect(readdirSync(file('cmp'))).toEqual(['cat-fake-x4.png']);
    expect(readFileSync(file('cmp/cat-fake-x4.png'), 'utf8')).toBe('precious');
  });

  it('--compare leaves nothing behind when a variant fails or on Ctrl+C', async () => {
    const failing: TaskRunner = async (input, context) => {
      if (input.options.task === 'compare' && input.options.variants[1].model === 'fake-x4') throw new Error('out of device memory');
      return nearestTask(input, context);
    };
    const failed = await mend(['upscale', file('cat.png'), '--compare', 'fake-x2,fake-x4', '-o', file('cmp')], fakeApp(failing));
    expect([failed.code, failed.stderr]).toEqual([1, 'mend: unexpected failure: out of device memory\n']);

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
    expect(await runCli(['upscale', file('cat.png'), '--compare', 'fake-x2,fake-x4', '-o', file('cmp')], io)).toBe(130);
    expect(listing()).toEqual(['cat.png', 'cup.png']);
  });
});
