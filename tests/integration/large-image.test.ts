import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { nearestUpscaleModel, writeUserModels } from '../helpers/tiny-models';

const ROOT = path.join(__dirname, '..', '..');

/**
 * A 24-megapixel photo upscaled ×4 (384 MP out) in a separate process, as a user would run it: the
 * output is encoded into its file band by band and never held whole (its 8-bit pixels alone are 1.15 GB),
 * only one row of tiles is float at a time. Measured peak: 1.6 GB; holding the output took it to 2.2 GB.
 */
describe('real photo sizes', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mend-large-'));
    writeUserModels(path.join(dir, 'config'), [{ id: 'tiny-nearest-x4', task: 'upscale', scale: 4, bytes: nearestUpscaleModel(4), overlap: 0 }]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('upscales 6000×4000 ×4 within 2 GB of memory', async () => {
    const input = path.join(dir, 'photo.png');
    await sharp(path.join(ROOT, 'tests', 'fixtures', 'images', 'astronaut.png')).resize(6000, 4000, { fit: 'fill' }).png({ compressionLevel: 1 }).toFile(input);
    const output = path.join(dir, 'photo-x4.png');
    const runner = path.join(dir, 'run.js');
    writeFileSync(
      runner,
      `const cli = require(${JSON.stringify(path.join(ROOT, 'native-helper', 'dist', 'cli', 'main.js'))});
       cli.runCli(['upscale', ${JSON.stringify(input)}, '-o', ${JSON.stringify(output)}, '--model', 'tiny-nearest-x4', '--tile', '512'], cli.processIo)
         .then((code) => console.log(JSON.stringify({ code, maxRssKb: process.resourceUsage().maxRSS })));`,
    );
    const stdout = execFileSync('node', [runner], { env: { ...process.env, MEND_CONFIG_DIR: path.join(dir, 'config') }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const { code, maxRssKb } = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { code: number; maxRssKb: number };
    expect(code).toBe(0);
    const meta = await sharp(output, { limitInputPixels: false }).metadata();
    expect([meta.width, meta.height]).toEqual([24000, 16000]);
    expect(maxRssKb / 1024 / 1024).toBeLessThan(2);
  }, 240_000);
});
