/**
 * int8 variants measured against fp32, in one process: fusion (QLinearConv count in onnxruntime's
 * optimized model), speed (fp32 and int8 runs alternating on the same input, median ratio) and PSNR of the
 * int8 output against the fp32 output on crops of the shipped photos.
 *
 *   npx tsx models/scripts/int8-experiment.ts realesrgan-x4plus [--calibration minmax|percentile] [--fp32-convs 0,-1] [--side 128] [--runs 5]
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { type Calibration, calibrate, DEFAULT_FP32_CONVS } from '../../native-helper/src/catalog/int8-variant';
import { quantizeInt8, type TensorRange, tensorsToCalibrate, type WeightFormat } from '../../native-helper/src/convert/onnx/quantize-int8';
import { modelManifestSchema } from '../../native-helper/src/catalog/manifest';
import { decodeImageFile } from '../../native-helper/src/codecs/image-file';
import { ModelProto } from '../../native-helper/src/convert/onnx/onnx-schema';
import { openActivationSession } from '../../native-helper/src/engine/activation-session';
import { readTileTensor } from '../../native-helper/src/imaging/tensor';

const ROOT = path.join(__dirname, '..', '..');
const IMAGES = path.join(ROOT, 'tests', 'fixtures', 'images');

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function psnr(a: Float32Array, b: Float32Array, range: number): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const clip = (v: number) => Math.min(range, Math.max(0, v));
    const d = clip(a[i]) - clip(b[i]);
    sum += d * d;
  }
  return 10 * Math.log10((range * range) / (sum / a.length));
}

function opCounts(bytes: Uint8Array): Record<string, number> {
  const model = ModelProto.toObject(ModelProto.decode(bytes)) as { graph: { node: Array<{ opType: string }> } };
  const counts: Record<string, number> = {};
  for (const n of model.graph.node) counts[n.opType] = (counts[n.opType] ?? 0) + 1;
  return counts;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const id = process.argv[2];
  const manifest = modelManifestSchema.parse(JSON.parse(readFileSync(path.join(ROOT, 'models', 'manifests', `${id}.json`), 'utf8')));
  const fp32Path = path.join(ROOT, 'models', '.cache', 'onnx', manifest.file);
  const fp32 = readFileSync(fp32Path);
  const calibration = (flag('--calibration') ?? 'minmax') as Calibration;
  const fp32Convs = flag('--fp32-convs')?.split(',').filter(Boolean).map(Number);
  const side = Number(flag('--side') ?? 128);
  const weights = (flag('--weights') ?? 'int8-7bit') as WeightFormat;
  const runs = Number(flag('--runs') ?? 5);
  const scope = (flag('--scope') ?? 'convs') as 'convs' | 'graph';
  const images = readdirSync(IMAGES)
    .filter((n) => n.endsWith('.png'))
    .map((n) => path.join(IMAGES, n));

  const started = Date.now();
  // Ranges of every tensor any configuration quantizes, cached per model and calibration: calibrating
  // an RRDB model takes minutes, quantizing with other options seconds.
  const rangesPath = path.join(tmpdir(), `${id}-${calibration}-int8-ranges.json`);
  let ranges: Map<string, TensorRange>;
  if (existsSync(rangesPath)) ranges = new Map(JSON.parse(readFileSync(rangesPath, 'utf8')));
  else {
    const names = tensorsToCalibrate(fp32, { scope: 'graph', fp32Convs: [] });
    ranges = await calibrate(fp32, manifest, manifest, names, { images, open: openActivationSession, calibration }, {});
    writeFileSync(rangesPath, JSON.stringify([...ranges]));
  }
  const int8 = quantizeInt8(fp32, ranges, { fp32Convs: fp32Convs ?? DEFAULT_FP32_CONVS, weights, scope });
  const buildMs = Date.now() - started;
  const int8Path = path.join(tmpdir(), `${id}-int8-experiment.onnx`);
  writeFileSync(int8Path, int8);

  const optimizedPath = path.join(tmpdir(), `${id}-int8-optimized.onnx`);
  const options: ort.InferenceSession.SessionOptions = { executionProviders: ['cpu'], graphOptimizationLevel: 'all', intraOpNumThreads: 2 };
  const fp32Session = await ort.InferenceSession.create(fp32Path, options);
  const int8Session = await ort.InferenceSession.create(int8Path, { ...options, optimizedModelFilePath: optimizedPath });
  const ops = opCounts(readFileSync(optimizedPath));
  const convs = opCounts(fp32).Conv;

  const format = { channelOrder: manifest.io.channelOrder, valueRange: manifest.io.valueRange };
  const range = manifest.io.valueRange[1] - manifest.io.valueRange[0];
  const run = async (session: ort.InferenceSession, input: Float32Array) => {
    const out = await session.run({ [manifest.io.input]: new ort.Tensor('float32', input, [1, 3, side, side]) });
    return out[manifest.io.output].data as Float32Array;
  };
  const qualities: Array<{ image: string; psnr: number }> = [];
  let timedInput: Float32Array | undefined;
  for (const file of images) {
    const { image } = await decodeImageFile(file);
    if (image.width < side || image.height < side) continue;
    const input = readTileTensor(image, { x: Math.floor((image.width - side) / 2), y: Math.floor((image.height - side) / 2), width: side, height: side }, format);
    timedInput ??= input;
    qualities.push({ image: path.basename(file), psnr: psnr(await run(fp32Session, input), await run(int8Session, input), range) });
  }
  const ratios: number[] = [];
  const fp32Times: number[] = [];
  const int8Times: number[] = [];
  for (let i = 0; i < runs && timedInput; i++) {
    let t = performance.now();
    await run(fp32Session, timedInput);
    const a = performance.now() - t;
    t = performance.now();
    await run(int8Session, timedInput);
    const b = performance.now() - t;
    fp32Times.push(a);
    int8Times.push(b);
    ratios.push(a / b);
  }
  const worst = qualities.reduce((w, q) => (q.psnr < w.psnr ? q : w));
  const mean = qualities.reduce((s, q) => s + q.psnr, 0) / qualities.length;
  console.log(
    JSON.stringify({
      id,
      calibration,
      weights,
      scope,
      fp32Convs: fp32Convs ?? 'default',
      side,
      buildMs,
      convs,
      optimizedOps: ops,
      fp32MedianMs: Math.round(median(fp32Times)),
      int8MedianMs: Math.round(median(int8Times)),
      speedRatio: Number(median(ratios).toFixed(2)),
      psnrMean: Number(mean.toFixed(2)),
      psnrWorst: { ...worst, psnr: Number(worst.psnr.toFixed(2)) },
      psnr: qualities.map((q) => `${q.image} ${q.psnr.toFixed(2)}`),
    }),
  );
}

void main();
