import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp, type MendApp } from '../../native-helper/src/app';
import { detailCurve } from '../../native-helper/src/eval/detail-curve';
import { DETAIL_SCALE, FIDELITY_BASE } from '../../native-helper/src/eval/detail-plan';
import { inventedDetailAuc, meanAuc } from '../../native-helper/src/eval/invented-detail-auc';
import { scoreImage } from '../../native-helper/src/eval/score';
import { FULL_SET } from '../../native-helper/src/eval/test-set';
import { outputOf, runUpscales, type UpscaleRun } from '../../native-helper/src/eval/upscale-runs';
import { applyDetailStrength } from '../../native-helper/src/imaging/detail-strength';

const MODEL = 'realesrgan-x4fast';
const SECOND = 'realesrgan-x4plus';

/** The eval's 4 photos shrunk ×4 (48² inputs), the real fidelity base and GAN models through the app's runner. */
describe('detail strength and the map of invented detail on the eval photos', () => {
  let work: string;
  let app: MendApp;
  let runs: UpscaleRun[];

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'mend-detail-'));
    app = await createApp({ provider: 'cpu', configDir: path.join(work, 'config') });
    const photos = FULL_SET.filter((image) => image.domain === 'photo');
    runs = await runUpscales(photos, [FIDELITY_BASE, MODEL, SECOND], DETAIL_SCALE, { app, signal: new AbortController().signal, log: () => undefined });
  });
  afterAll(async () => {
    await app.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('at k = 0 scores a PSNR-Y at least bicubic’s on every photo', () => {
    for (const run of runs) {
      const fidelity = scoreImage(run.truth, applyDetailStrength(outputOf(run, FIDELITY_BASE), outputOf(run, MODEL), 0), DETAIL_SCALE);
      const bicubic = scoreImage(run.truth, run.bicubic, DETAIL_SCALE);
      expect(fidelity.psnrY).toBeGreaterThanOrEqual(bicubic.psnrY);
    }
  });

  it('trades fidelity for detail as k grows: more detail, less PSNR-Y beyond the model’s own output', () => {
    const { points } = detailCurve(runs, MODEL, FIDELITY_BASE, DETAIL_SCALE);
    const at = (k: number) => {
      const point = points.find((p) => p.k === k);
      if (!point) throw new Error(`the curve has no point at k = ${k}`);
      return point;
    };
    for (let i = 1; i < points.length; i++) expect(points[i].detailRatio).toBeGreaterThan(points[i - 1].detailRatio);
    expect(at(2).psnrY).toBeLessThan(at(1).psnrY);
    expect(at(1).psnrY).toBeLessThan(at(0).psnrY);
  });

  it('finds where the model is worse than bicubic better than the naive high-frequency map', () => {
    const { map, naive } = meanAuc(runs.map((run) => inventedDetailAuc(run, MODEL, SECOND, FIDELITY_BASE, DETAIL_SCALE)));
    expect(map).toBeGreaterThan(naive + 0.05);
    expect(map).toBeGreaterThan(0.85);
  });
});
