import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { InpaintMeasurement } from '../../models/scripts/eval-inpaint';

const ROOT = path.join(__dirname, '..', '..');

/**
 * The shipped classical fill must clearly beat naive fills on scanned-print defects (the bar:
 * ≥ 2.5 dB PSNR inside the holes over nearest-pixel on average, never worse than a mean-colour fill),
 * measured by the script anyone reruns, on its eight test photos. It runs as its own process: inside
 * jest's module sandbox the measurement's pixel loops run several times slower.
 */
describe('classical inpainting quality', () => {
  it('beats the nearest-pixel fill by ≥ 2.5 dB on average and the mean-colour fill everywhere', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(ROOT, 'models', 'scripts', 'eval-inpaint.ts'), '--json'],
      {
        cwd: ROOT,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    const result = JSON.parse(stdout) as Pick<InpaintMeasurement, 'rows' | 'gainOverNearest' | 'worstVsMean'>;
    expect(result.rows).toHaveLength(48);
    expect(result.gainOverNearest).toBeGreaterThanOrEqual(2.5);
    expect(result.worstVsMean).toBeGreaterThan(0);
  }, 600_000);
});
