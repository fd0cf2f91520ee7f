import { MAXIM_TASKS, maximParity } from '../../models/scripts/parity-maxim';

/**
 * All seven MAXIM models converted from their TF.js graphs, against @tensorflow/tfjs running the original
 * graphs on the centre crop of each package's sample photo. tfjs takes minutes per model, so its outputs
 * are stored in tests/fixtures/maxim-parity (how they were made, and from which package and input, is in
 * its references.json; `npx tsx models/scripts/maxim-references.ts 64 256` remakes them) and the test
 * runs only the conversion and onnxruntime.
 */
describe('TF.js graph → ONNX parity: MAXIM', () => {
  it.each(MAXIM_TASKS.flatMap((task) => [64, 256].map((side) => [task, side] as const)))(
    'maxim-%s at %d²: PSNR ≥ 50 dB against the original graph',
    async (task, side) => {
      const { psnr } = await maximParity(task, side);
      expect(psnr).toBeGreaterThanOrEqual(50);
    },
    300_000,
  );
});
