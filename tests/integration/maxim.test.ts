import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { runMend } from '../helpers/run-mend';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'images');

async function meanOf(file: string): Promise<number> {
  const { channels } = await sharp(file).stats();
  return channels.slice(0, 3).reduce((sum, c) => sum + c.mean, 0) / 3;
}

/**
 * A MAXIM model end to end: prepared on first use from its pinned package (the 2-stage low-light one, the
 * fastest), then run by `mend restore` on a small dark photo, at its 128² export in one run.
 */
describe('MAXIM low light through the CLI', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 'mend-maxim-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('is prepared by `mend models prepare maxim-lowlight`, then brightens a dark 100×70 photo', async () => {
    const prepared = await runMend(work, 'models', 'prepare', 'maxim-lowlight', '--json');
    expect(prepared.code).toBe(0);
    const { stdout } = await runMend(work, 'models', '--json');
    expect(JSON.parse(stdout)).toContainEqual(expect.objectContaining({ id: 'maxim-lowlight', status: 'ready' }));

    const dark = path.join(work, 'dark.png');
    await sharp(path.join(FIXTURES, 'coffee.png')).resize(100, 70).linear(0.25, 0).png().toFile(dark);
    const out = path.join(work, 'lit.png');
    const restored = await runMend(work, 'restore', dark, '-o', out, '--model', 'maxim-lowlight', '--json');
    expect(restored.code).toBe(0);
    expect(JSON.parse(restored.stdout).results[0]).toMatchObject({ outputWidth: 100, outputHeight: 70, models: ['maxim-lowlight'] });
    const meta = await sharp(out).metadata();
    expect([meta.width, meta.height, meta.channels]).toEqual([100, 70, 3]);
    const [before, after] = [await meanOf(dark), await meanOf(out)];
    // Clearly brighter, and not blown out to white.
    expect(after).toBeGreaterThan(before * 1.5);
    expect(after).toBeLessThan(200);
  });
});
