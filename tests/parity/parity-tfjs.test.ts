import { TFJS_MODELS, tfjsMaxAbsDiff } from '../../models/scripts/parity-tfjs';

describe('TF.js → ONNX parity with @tensorflow/tfjs', () => {
  it.each(TFJS_MODELS)(
    'esrgan-%s-%s: max abs difference ≤ 1e-3 on the same tensor',
    async (size, scale) => {
      const { maxAbsDiff, outputSide } = await tfjsMaxAbsDiff(size, scale);
      expect(outputSide).toBe(12 * Number(scale[1]));
      expect(maxAbsDiff).toBeLessThanOrEqual(1e-3);
    },
    60_000,
  );
});
