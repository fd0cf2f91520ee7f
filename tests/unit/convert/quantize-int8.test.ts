import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { attr, GraphBuilder } from '../../../native-helper/src/convert/onnx';
import { ModelProto } from '../../../native-helper/src/convert/onnx/onnx-schema';
import { activationParams, quantizeInt8, quantizeWeights, type TensorRange, tensorsToCalibrate, withTensorOutputs } from '../../../native-helper/src/convert/onnx/quantize-int8';

/** Deterministic values in [-amplitude, amplitude]. */
function seeded(count: number, seed: number, amplitude: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: count }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648 - 0.5) * 2 * amplitude;
  });
}

/** conv 3→8, LeakyRelu, conv 8→8, Concat with the LeakyRelu, conv 16→3 scaled by 0.2, plus the input: the shapes of an RRDB block in small. */
function blockModel(): Uint8Array {
  const g = new GraphBuilder('block');
  g.input('input', 'float32', [1, 3, 'H', 'W']);
  const conv = (x: string, cin: number, cout: number, seed: number) =>
    g.op('Conv', [x, g.initializer('w', seeded(cout * cin * 9, seed, 0.4), [cout, cin, 3, 3]), g.initializer('b', seeded(cout, seed + 1, 0.1), [cout])], {
      kernel_shape: attr.ints([3, 3]),
      pads: attr.ints([1, 1, 1, 1]),
    });
  const a = g.op('LeakyRelu', [conv('input', 3, 8, 1)], { alpha: attr.float(0.2) });
  const b = conv(a, 8, 8, 3);
  const joined = g.op('Concat', [a, b], { axis: attr.int(1) });
  const out = g.op('Add', [g.op('Mul', [conv(joined, 16, 3, 5), g.initializer('coeff', new Float32Array([0.2]), [])]), 'input']);
  g.node('Identity', [out], ['output']);
  g.output('output', 'float32', [1, 3, 'H', 'W']);
  return g.toModel();
}

interface Node {
  opType: string;
  input: string[];
  output: string[];
}
interface Graph {
  node: Node[];
  initializer: Array<{ name: string; dataType: number; dims: unknown[] }>;
  output: Array<{ name: string }>;
}

const graphOf = (bytes: Uint8Array) => (ModelProto.toObject(ModelProto.decode(bytes), { arrays: true }) as { graph: Graph }).graph;
const SIDE = 24;
const image = seeded(3 * SIDE * SIDE, 11, 0.5).map((v, i) => 0.5 + v * 0.5 + 0.3 * Math.sin(i / 7));

async function run(model: Uint8Array, outputs?: string[], options: ort.InferenceSession.SessionOptions = {}): Promise<Record<string, Float32Array>> {
  const session = await ort.InferenceSession.create(model, { executionProviders: ['cpu'], ...options });
  const feeds = { input: new ort.Tensor('float32', image, [1, 3, SIDE, SIDE]) };
  const result = await (outputs ? session.run(feeds, outputs) : session.run(feeds));
  await session.release();
  return Object.fromEntries(Object.entries(result).map(([name, t]) => [name, t.data as Float32Array]));
}

async function calibrated(model: Uint8Array, fp32Convs: number[], scope: 'convs' | 'graph' = 'convs'): Promise<Map<string, TensorRange>> {
  const names = tensorsToCalibrate(model, { fp32Convs, scope });
  const values = await run(withTensorOutputs(model, names), names);
  return new Map(names.map((n) => [n, { min: Math.min(...values[n]), max: Math.max(...values[n]) }]));
}

function psnr(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
  return 10 * Math.log10(1 / (sum / a.length));
}

describe('int8 QDQ quantization', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mend-quantize-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('quantizes weights per output channel, symmetric: each channel’s largest magnitude becomes ±127', () => {
    const { values, scales } = quantizeWeights(new Float32Array([0.5, -0.26, 0, 0.01, -0.02, 0.005]), 2);
    expect([...values]).toEqual([127, -66, 0, 64, -127, 32]);
    expect(scales[0]).toBeCloseTo(0.5 / 127, 8);
    expect(scales[1]).toBeCloseTo(0.02 / 127, 8);
  });

  it('maps an activation range onto uint8 with 0 exact, widened to hold 0', () => {
    expect(activationParams({ min: -1, max: 3 })).toEqual({ scale: 4 / 255, zeroPoint: 64 });
    expect(activationParams({ min: 0.2, max: 1 })).toEqual({ scale: 1 / 255, zeroPoint: 0 });
    expect(activationParams({ min: 0, max: 0 })).toEqual({ scale: 1, zeroPoint: 0 });
  });

  it('puts Q/DQ on the input and output of every quantized conv, leaves no dead DequantizeLinear, and keeps the convs asked for in fp32', async () => {
    const model = blockModel();
    for (const fp32Convs of [[], [0, -1]]) {
      const graph = graphOf(quantizeInt8(model, await calibrated(model, fp32Convs), { fp32Convs }));
      const producer = new Map(graph.node.flatMap((n) => n.output.map((o) => [o, n] as const)));
      const consumers = (name: string) => graph.node.filter((n) => n.input.includes(name));
      const convs = graph.node.filter((n) => n.opType === 'Conv');
      const quantized = convs.filter((c) => producer.get(c.input[1])?.opType === 'DequantizeLinear');
      expect([fp32Convs, quantized.length]).toEqual([fp32Convs, 3 - fp32Convs.length]);
      for (const conv of quantized) {
        expect(producer.get(conv.input[0])?.opType).toBe('DequantizeLinear');
        expect(consumers(conv.output[0]).map((n) => n.opType)).toEqual(['QuantizeLinear']);
      }
      const outputs = new Set(graph.output.map((o) => o.name));
      for (const dq of graph.node.filter((n) => n.opType === 'DequantizeLinear')) expect(consumers(dq.output[0]).length + (outputs.has(dq.output[0]) ? 1 : 0)).toBeGreaterThan(0);
      // The fp32 weights of quantized convs are gone; the kept convs' remain.
      expect(graph.initializer.filter((t) => t.dataType === 1 && t.dims.length === 4)).toHaveLength(fp32Convs.length);
    }
  });

  it('runs in onnxruntime close to fp32, with every quantized conv fused into QLinearConv', async () => {
    const model = blockModel();
    // 7-bit weights (the default): the full ±127 range saturates u8×s8 sums on CPUs without VNNI (this block: 18 dB).
    const int8 = quantizeInt8(model, await calibrated(model, []), {});
    const optimized = path.join(dir, 'optimized.onnx');
    const fp32Out = (await run(model)).output;
    const fused = (await run(int8, undefined, { graphOptimizationLevel: 'all', optimizedModelFilePath: optimized })).output;
    // The QDQ graph run as written (each DequantizeLinear in float) is what the fused kernels must compute.
    const reference = (await run(int8, undefined, { graphOptimizationLevel: 'disabled' })).output;
    expect(psnr(reference, fused)).toBeGreaterThan(45);
    // Random weights of a wide range quantize worse than a trained model's (realesr-animevideov3-x2: 38.6 dB).
    expect(psnr(fp32Out, fused)).toBeGreaterThan(25);
    const ops = graphOf(readFileSync(optimized)).node.map((n) => n.opType);
    expect(ops.filter((op) => op === 'QLinearConv')).toHaveLength(3);
    expect(ops).not.toContain('Conv');
  });

  it("with scope 'graph' runs the convs' neighbours in int8 too, so that onnxruntime needs no layout Transposes between them", async () => {
    const model = blockModel();
    const int8 = quantizeInt8(model, await calibrated(model, [], 'graph'), { fp32Convs: [], scope: 'graph' });
    // The residual scaling folds into the conv before it.
    expect(graphOf(int8).node.map((n) => n.opType)).not.toContain('Mul');
    const optimized = path.join(dir, 'optimized-graph.onnx');
    const fp32Out = (await run(model)).output;
    const fused = (await run(int8, undefined, { graphOptimizationLevel: 'all', optimizedModelFilePath: optimized })).output;
    const reference = (await run(int8, undefined, { graphOptimizationLevel: 'disabled' })).output;
    expect(psnr(reference, fused)).toBeGreaterThan(45);
    expect(psnr(fp32Out, fused)).toBeGreaterThan(25);
    const ops = graphOf(readFileSync(optimized)).node.map((n) => n.opType);
    // Two Transposes into and out of NHWC around the int8 island; with scope 'convs' onnxruntime wraps the convs one by one.
    expect(ops.filter((op) => op === 'Transpose')).toHaveLength(2);
    for (const op of ['QLinearLeakyRelu', 'QLinearConcat', 'QLinearAdd']) expect([op, ops.filter((o) => o === op).length]).toEqual([op, 1]);
    for (const op of ['Conv', 'LeakyRelu', 'Concat', 'Add', 'Mul']) expect(ops).not.toContain(op);
  });
});
