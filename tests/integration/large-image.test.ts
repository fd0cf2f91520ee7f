import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { PngFileWriter } from '../../native-helper/src/codecs/png-writer';
import { runMend } from '../helpers/run-mend';
import { nearestUpscaleModel, writeUserModels } from '../helpers/tiny-models';

const ROOT = path.join(__dirname, '..', '..');
const [WIDTH, HEIGHT, SCALE, TILE] = [600, 400, 4, 64];

/**
 * `mend upscale` encodes its output into the file band by band as the tiles finish, so a large photo's ×4 is never
 * whole in memory (24 MP ×4 is 1.15 GB of 8-bit pixels). How much memory that takes on a real photo size depends on
 * the machine: `npx tsx models/scripts/large-photo-memory.ts` measures it.
 */
describe('large photos', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mend-large-'));
    writeUserModels(path.join(dir, 'config'), [{ id: 'tiny-nearest-x4', task: 'upscale', scale: SCALE, bytes: nearestUpscaleModel(SCALE), overlap: 0 }]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('hands the PNG encoder one row of tiles at a time, all in one buffer no larger than a row of tiles', async () => {
    const input = path.join(dir, 'photo.png');
    await sharp(path.join(ROOT, 'tests', 'fixtures', 'images', 'astronaut.png'))
      .removeAlpha()
      .resize(WIDTH, HEIGHT, { fit: 'fill' })
      .toFile(input);
    const output = path.join(dir, 'photo-x4.png');
    const writes = jest.spyOn(PngFileWriter.prototype, 'write');
    try {
      const run = await runMend(path.join(dir, 'config'), 'upscale', input, '-o', output, '--model', 'tiny-nearest-x4', '--tile', String(TILE));
      expect(run.code).toBe(0);
      const bands = writes.mock.calls.map(([band]) => band);
      expect(bands).toHaveLength(Math.ceil(HEIGHT / TILE));
      expect(bands.reduce((rows, band) => rows + band.height, 0)).toBe(HEIGHT * SCALE);
      const buffers = new Set(bands.map((band) => band.data.buffer));
      expect(buffers.size).toBe(1);
      const oneRowOfTiles = TILE * SCALE * WIDTH * SCALE * 3;
      expect([...buffers][0].byteLength).toBeLessThanOrEqual(oneRowOfTiles);
    } finally {
      writes.mockRestore();
    }
    expect(await sharp(output).metadata()).toMatchObject({ width: WIDTH * SCALE, height: HEIGHT * SCALE });
  });
});
