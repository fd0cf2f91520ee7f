import { measureInpainting } from '../../models/scripts/eval-inpaint';

/**
 * The shipped classical fill must clearly beat naive fills on scanned-print defects (the bar:
 * ≥ 2.5 dB PSNR inside the holes over nearest-pixel on average, never worse than a mean-colour fill),
 * on the eight test photos `npx tsx models/scripts/eval-inpaint.ts` reports on.
 */
describe('classical inpainting quality', () => {
  it('beats the nearest-pixel fill by ≥ 2.5 dB on average and the mean-colour fill everywhere', async () => {
    const result = await measureInpainting();
    expect(result.rows).toHaveLength(48);
    expect(result.gainOverNearest).toBeGreaterThanOrEqual(2.5);
    expect(result.worstVsMean).toBeGreaterThan(0);
  }, 600_000);
});
