import path from 'node:path';
import { createApp, type MendApp } from '../../native-helper/src/app';
import { PARITY_CASES, parityOf } from '../../models/scripts/parity-ncnn';

/**
 * Our ONNX conversions against the engines the weights were made for (ncnn on Mesa's software
 * Vulkan; Real-CUGAN and waifu2x on ncnn's CPU path). Needs `mend models prepare` (run by npm ci)
 * and the Vulkan loader + Mesa (installed by .ci/run).
 */
const PHOTO = path.join(__dirname, '..', 'fixtures', 'images', 'chelsea.png');
// realesrgan-x4plus is left to `npm run parity`: its reference takes minutes on a software GPU.
const IN_SUITE = PARITY_CASES.filter((c) => c.id !== 'realesrgan-x4plus');

describe('ncnn → ONNX parity with the reference engines', () => {
  let app: MendApp;
  beforeAll(async () => {
    app = await createApp({ provider: 'cpu' });
  });
  afterAll(() => app.close());

  it.each(IN_SUITE.map((c) => [c.id, c] as const))(
    '%s matches its reference at ≥ 40 dB PSNR',
    async (_id, parityCase) => {
      const { psnr } = await parityOf(app, parityCase, PHOTO, 48, 64);
      expect(psnr).toBeGreaterThanOrEqual(40);
    },
    120_000,
  );
});
