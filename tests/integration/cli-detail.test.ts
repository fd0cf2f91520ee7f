import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { decodeImageFile } from '../../native-helper/src/codecs/image-file';
import type { PixelImage } from '../../native-helper/src/imaging/pixel-image';
import { runMend } from '../helpers/run-mend';
import { standardTinyModels, writeUserModels } from '../helpers/tiny-models';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'images');

/** Largest difference between two images' samples. */
function maxDifference(a: PixelImage, b: PixelImage): number {
  expect([a.width, a.height, a.channels]).toEqual([b.width, b.height, b.channels]);
  let max = 0;
  for (let i = 0; i < a.data.length; i++) max = Math.max(max, Math.abs(a.data[i] - b.data[i]));
  return max;
}

/**
 * `mend upscale --detail / --hallucination-map / --compare` on a small photo, with tiny models and the shipped
 * fidelity model of ×4 (esrgan-thick-x4).
 */
describe('mend upscale: detail strength, map of invented detail, compare', () => {
  let dir: string;
  let configDir: string;
  let input: string;
  const file = (name: string) => path.join(dir, name);
  const mend = (...argv: string[]) => runMend(configDir, ...argv);
  const image = async (name: string) => (await decodeImageFile(file(name))).image;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'mend-cli-detail-'));
    configDir = file('config');
    writeUserModels(configDir, standardTinyModels());
    input = file('small.png');
    await sharp(path.join(FIXTURES, 'chelsea.png')).extract({ left: 180, top: 80, width: 32, height: 24 }).toFile(input);
    // The references: the GAN stand-in (tiny-shuffle-x4) and the fidelity model, each run alone.
    for (const model of ['tiny-shuffle-x4', 'esrgan-thick-x4', 'tiny-nearest-x4'])
      expect((await mend('upscale', input, '--model', model, '-o', file(`${model}.png`))).code).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("--detail 1 is the model's own output, --detail 0 the fidelity model's; the map is 0 where the output is the base", async () => {
    expect((await mend('upscale', input, '--model', 'tiny-shuffle-x4', '--detail', '1', '-o', file('d1.png'))).code).toBe(0);
    expect(maxDifference(await image('d1.png'), await image('tiny-shuffle-x4.png'))).toBeLessThanOrEqual(1);

    const atBase = await mend('upscale', input, '--model', 'tiny-shuffle-x4', '--detail', '0', '--hallucination-map', file('map0.png'), '-o', file('d0.png'), '--json');
    expect(atBase.code).toBe(0);
    expect(JSON.parse(atBase.stdout).results[0]).toMatchObject({ models: ['tiny-shuffle-x4', 'esrgan-thick-x4'], mapOutput: file('map0.png') });
    expect(maxDifference(await image('d0.png'), await image('esrgan-thick-x4.png'))).toBeLessThanOrEqual(1);
    const map0 = await image('map0.png');
    expect([map0.width, map0.height, map0.channels, map0.bitDepth]).toEqual([128, 96, 1, 8]);
    expect(Math.max(...map0.data)).toBe(0);

    expect((await mend('upscale', input, '--model', 'tiny-shuffle-x4', '--detail', '1.5', '--hallucination-map', file('map.png'), '-o', file('d15.png'))).code).toBe(0);
    const map = await image('map.png');
    expect([map.width, map.height, map.channels]).toEqual([128, 96, 1]);
    expect(Math.max(...map.data)).toBeGreaterThan(0);
    // Past 1 the output departs from the base further than the model's own does.
    const thick = await image('esrgan-thick-x4.png');
    expect(maxDifference(await image('d15.png'), thick)).toBeGreaterThan(maxDifference(await image('tiny-shuffle-x4.png'), thick));
  });

  it('--compare writes each variant as its own run makes it, and a contact sheet of them', async () => {
    const models = await mend('upscale', input, '--compare', 'tiny-nearest-x4,tiny-shuffle-x4', '-o', file('models'));
    expect([models.code, models.stderr]).toEqual([0, expect.stringContaining('(contact sheet, 128×96)')]);
    expect(readdirSync(file('models')).sort()).toEqual(['small-compare.png', 'small-tiny-nearest-x4.png', 'small-tiny-shuffle-x4.png']);
    expect(maxDifference(await image('models/small-tiny-nearest-x4.png'), await image('tiny-nearest-x4.png'))).toBe(0);
    expect(maxDifference(await image('models/small-tiny-shuffle-x4.png'), await image('tiny-shuffle-x4.png'))).toBe(0);
    expect((await sharp(file('models/small-compare.png')).metadata()).height).toBeGreaterThan(96);

    const strengths = await mend('upscale', input, '--model', 'tiny-shuffle-x4', '--compare', 'detail:0,detail:1', '-o', file('strengths'));
    expect(strengths.code).toBe(0);
    expect(readdirSync(file('strengths')).sort()).toEqual(['small-compare.png', 'small-tiny-shuffle-x4-detail0.png', 'small-tiny-shuffle-x4-detail1.png']);
    expect(maxDifference(await image('strengths/small-tiny-shuffle-x4-detail1.png'), await image('tiny-shuffle-x4.png'))).toBeLessThanOrEqual(1);
    expect(maxDifference(await image('strengths/small-tiny-shuffle-x4-detail0.png'), await image('esrgan-thick-x4.png'))).toBeLessThanOrEqual(1);
  });
});
