/** Parity of our TF.js → ONNX conversions with @tensorflow/tfjs running the original models. */
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { ensureSource } from '../../native-helper/src/catalog/sources';
import { convertTfjsModel } from '../../native-helper/src/convert/tfjs';
import { runTfjsReference } from './tfjs-reference';

export const TFJS_MODELS = ['slim', 'medium', 'thick'].flatMap((size) => ['x2', 'x3', 'x4', 'x8'].map((scale) => [size, scale] as const));

/** Max abs difference between both engines on the same n×n tensor, in the model's own value range. */
export async function tfjsMaxAbsDiff(size: string, scale: string, n = 12): Promise<{ maxAbsDiff: number; outputSide: number }> {
  const modelJson = path.join(await ensureSource(`@upscalerjs/esrgan-${size}@1.0.0`), 'models', scale, 'model.json');
  const white = size === 'thick' ? 1 : 255;
  const nhwc = Float32Array.from({ length: n * n * 3 }, (_, i) => (((i * 7919) % 256) / 255) * white);
  const reference = await runTfjsReference(modelJson, nhwc, n, n);
  const nchw = new Float32Array(3 * n * n);
  for (let i = 0; i < n * n; i++) for (let c = 0; c < 3; c++) nchw[c * n * n + i] = nhwc[i * 3 + c];
  const session = await ort.InferenceSession.create(await convertTfjsModel(modelJson));
  const out = (await session.run({ input: new ort.Tensor('float32', nchw, [1, 3, n, n]) })).output;
  await session.release();
  const [, , height, width] = out.dims;
  const ours = out.data as Float32Array;
  let max = 0;
  for (let i = 0; i < height * width; i++) for (let c = 0; c < 3; c++) max = Math.max(max, Math.abs(ours[c * height * width + i] - reference[i * 3 + c]));
  return { maxAbsDiff: max, outputSide: height };
}

async function main(): Promise<void> {
  console.log('| model | output | max abs diff |\n|---|---|---|');
  for (const [size, scale] of TFJS_MODELS) {
    const { maxAbsDiff, outputSide } = await tfjsMaxAbsDiff(size, scale, 16);
    console.log(`| esrgan-${size}-${scale} | ${outputSide}² | ${maxAbsDiff.toExponential(2)} |`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
