/** Parity of our TF.js graph → ONNX conversion of MAXIM with @tensorflow/tfjs running the original graphs. */
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { ensureSource } from '../../native-helper/src/catalog/sources';
import { readGraphModel, specialize, specializedGraphToOnnx } from '../../native-helper/src/convert/tfjs-graph';
import { TfjsGraphReference } from './tfjs-graph-reference';

export const MAXIM_TASKS = ['deblurring', 'denoising', 'enhancement', 'retouching', 'dehazing-indoor', 'dehazing-outdoor', 'deraining'] as const;
export type MaximTask = (typeof MAXIM_TASKS)[number];

export async function maximModelJson(task: MaximTask): Promise<string> {
  return path.join(await ensureSource(`@upscalerjs/maxim-${task}@0.1.0`), 'models', 'model.json');
}

/** The package's own sample photo, centre-cropped (resized first where it is smaller) to n×n, NHWC in 0..1. */
export async function fixtureTile(task: MaximTask, n: number): Promise<Float32Array> {
  const png = path.join(path.dirname(path.dirname(await maximModelJson(task))), 'assets', 'fixture.png');
  const { data } = await sharp(png).removeAlpha().resize(n, n, { fit: 'cover' }).raw().toBuffer({ resolveWithObject: true });
  return Float32Array.from(data, (v) => v / 255);
}

export function nhwcToNchw(nhwc: Float32Array, height: number, width: number): Float32Array {
  const nchw = new Float32Array(nhwc.length);
  for (let i = 0; i < height * width; i++) for (let c = 0; c < 3; c++) nchw[c * height * width + i] = nhwc[i * 3 + c];
  return nchw;
}

/** PSNR in dB of `ours` (NCHW) against `reference` (NHWC), for values in 0..1. */
export function psnr(ours: Float32Array, reference: Float32Array, height: number, width: number): number {
  let squared = 0;
  for (let i = 0; i < height * width; i++) for (let c = 0; c < 3; c++) squared += (ours[c * height * width + i] - reference[i * 3 + c]) ** 2;
  return 10 * Math.log10(1 / (squared / reference.length));
}

export interface MaximConversion {
  onnx: Uint8Array;
  nodesBefore: number;
  nodesAfter: number;
  opTypes: string[];
  convertMs: number;
}

export async function convertMaxim(task: MaximTask, n: number): Promise<MaximConversion> {
  const started = performance.now();
  const model = await readGraphModel(await maximModelJson(task));
  const graph = specialize(model, [1, n, n, 3]);
  const onnx = specializedGraphToOnnx(graph, `maxim-${task}-${n}`);
  const computed = graph.nodes.filter((node) => node.op !== 'Placeholder');
  return {
    onnx,
    nodesBefore: model.nodes.length,
    nodesAfter: computed.length,
    opTypes: [...new Set(computed.map((node) => node.op))].sort(),
    convertMs: performance.now() - started,
  };
}

export async function runOnnx(onnx: Uint8Array, nchw: Float32Array, n: number): Promise<{ output: Float32Array; sessionMs: number; runMs: number }> {
  let started = performance.now();
  const session = await ort.InferenceSession.create(onnx);
  const sessionMs = performance.now() - started;
  started = performance.now();
  const output = (await session.run({ input: new ort.Tensor('float32', nchw, [1, 3, n, n]) })).output.data as Float32Array;
  const runMs = performance.now() - started;
  await session.release();
  return { output, sessionMs, runMs };
}

/** Both engines on the same n×n crop of the package's sample photo: PSNR of ours against the original. */
export async function maximParity(task: MaximTask, n: number): Promise<{ psnr: number; conversion: MaximConversion }> {
  const conversion = await convertMaxim(task, n);
  const nhwc = await fixtureTile(task, n);
  const { output } = await runOnnx(conversion.onnx, nhwcToNchw(nhwc, n, n), n);
  const reference = await TfjsGraphReference.load(await maximModelJson(task));
  try {
    return { psnr: psnr(output, await reference.run(nhwc, n, n), n, n), conversion };
  } finally {
    reference.dispose();
  }
}

async function main(): Promise<void> {
  const tasks = process.argv.length > 2 ? (process.argv.slice(2) as MaximTask[]) : MAXIM_TASKS;
  console.log('| model | nodes (graph → folded at 64²) | op types | ONNX 64² (MB) | PSNR 64² (dB) | convert 64² (s) | ORT 256² tile (s) |\n|---|---|---|---|---|---|---|');
  for (const task of tasks) {
    const { psnr: db, conversion } = await maximParity(task, 64);
    const large = await convertMaxim(task, 256);
    const { runMs } = await runOnnx(large.onnx, nhwcToNchw(await fixtureTile(task, 256), 256, 256), 256);
    console.log(
      `| maxim-${task} | ${conversion.nodesBefore} → ${conversion.nodesAfter} | ${conversion.opTypes.length} | ${(conversion.onnx.byteLength / 2 ** 20).toFixed(1)} | ${db.toFixed(1)} | ${(conversion.convertMs / 1000).toFixed(1)} | ${(runMs / 1000).toFixed(1)} |`,
    );
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
