import { readFileSync } from 'node:fs';
import path from 'node:path';
import { modelCacheDir } from '../../native-helper/src/app';
import { toFloat16 } from '../../native-helper/src/convert/onnx/to-float16';
import { Engine } from '../../native-helper/src/engine/engine';

/**
 * fp16 variants checked for correctness where this machine can run them: on the CPU provider, which runs
 * an fp16 graph through Casts onnxruntime inserts (SwiftShader lacks shader-f16, see the webgpu tier), so
 * what is checked is the transform and fp16 weights, not a GPU's half-precision arithmetic.
 */
const SIDE = 32;

function psnr(reference: Float32Array, other: Float32Array, range: number): number {
  let squared = 0;
  for (let i = 0; i < reference.length; i++) {
    const d = (Math.min(range, Math.max(0, reference[i])) - Math.min(range, Math.max(0, other[i]))) / range;
    squared += d * d;
  }
  return 10 * Math.log10(1 / (squared / reference.length));
}

describe('fp16 variants against their fp32 models (CPU provider)', () => {
  it.each([
    ['realesr-animevideov3-x2', 1],
    ['esrgan-slim-x2', 255],
  ])('%s: ≥ 60 dB', async (id, range) => {
    const fp32 = readFileSync(path.join(modelCacheDir(), `${id}.onnx`));
    const engine = new Engine({ provider: 'cpu' });
    try {
      const input = Float32Array.from({ length: 3 * SIDE * SIDE }, (_, i) => range * (0.5 + 0.45 * Math.sin(i * 0.37) * Math.cos(i * 0.011)));
      const io = { input: 'input', output: 'output' };
      const expected = await (await engine.load(fp32, io, `${id}-fp32`)).run(input, SIDE, SIDE);
      const actual = await (await engine.load(toFloat16(fp32), io, `${id}-fp16`)).run(input, SIDE, SIDE);
      expect([actual.height, actual.width]).toEqual([expected.height, expected.width]);
      const db = psnr(expected.data, actual.data, range);
      console.log(`${id} fp16 vs fp32 at ${SIDE}²: ${db.toFixed(1)} dB`);
      expect(db).toBeGreaterThanOrEqual(60);
    } finally {
      await engine.close();
    }
  });
});
