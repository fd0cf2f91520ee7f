import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { ensureSource } from '../../native-helper/src/catalog/sources';
import { convertTfjsModel } from '../../native-helper/src/convert/tfjs';
import { runTfjsReference } from '../helpers/tfjs-reference';

const MODELS = ['slim', 'medium', 'thick'].flatMap((size) => ['x2', 'x3', 'x4', 'x8'].map((scale) => [size, scale] as const));

describe('TF.js → ONNX parity with @tensorflow/tfjs', () => {
  it.each(MODELS)('esrgan-%s-%s: max abs difference ≤ 1e-3 on the same tensor', async (size, scale) => {
    const modelJson = path.join(await ensureSource(`@upscalerjs/esrgan-${size}@1.0.0`), 'models', scale, 'model.json');
    const n = 12;
    const white = size === 'thick' ? 1 : 255;
    const nhwc = Float32Array.from({ length: n * n * 3 }, (_, i) => (((i * 7919) % 256) / 255) * white);
    const reference = await runTfjsReference(modelJson, nhwc, n, n);
    const nchw = new Float32Array(3 * n * n);
    for (let i = 0; i < n * n; i++) for (let c = 0; c < 3; c++) nchw[c * n * n + i] = nhwc[i * 3 + c];
    const session = await ort.InferenceSession.create(await convertTfjsModel(modelJson));
    const out = (await session.run({ input: new ort.Tensor('float32', nchw, [1, 3, n, n]) })).output;
    const [, , height, width] = out.dims;
    expect([height, width]).toEqual([n * Number(scale[1]), n * Number(scale[1])]);
    const ours = out.data as Float32Array;
    let max = 0;
    for (let i = 0; i < height * width; i++) for (let c = 0; c < 3; c++) max = Math.max(max, Math.abs(ours[c * height * width + i] - reference[i * 3 + c]));
    expect(max).toBeLessThanOrEqual(1e-3);
    await session.release();
  }, 60_000);
});
