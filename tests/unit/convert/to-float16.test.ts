import * as ort from 'onnxruntime-node';
import { GraphBuilder, attr } from '../../../native-helper/src/convert/onnx';
import { ModelProto } from '../../../native-helper/src/convert/onnx/onnx-schema';
import { float16Bits, float16Value, toFloat16 } from '../../../native-helper/src/convert/onnx/to-float16';

describe('float32 → float16 bits', () => {
  it('rounds to the nearest half, ties to even, and keeps the special values', () => {
    const cases: Array<[number, number]> = [
      [0, 0x0000],
      [-0, 0x8000],
      [1, 0x3c00],
      [-2, 0xc000],
      [0.5, 0x3800],
      [65504, 0x7bff],
      [65520, 0x7c00], // past the largest half: rounds to infinity
      [1e6, 0x7c00],
      [Number.POSITIVE_INFINITY, 0x7c00],
      [2 ** -14, 0x0400], // smallest normal
      [2 ** -24, 0x0001], // smallest subnormal
      [2 ** -26, 0x0000], // under half the smallest subnormal
      [1 + 2 ** -11, 0x3c00], // a tie: to even (down)
      [1 + 3 * 2 ** -11, 0x3c02], // a tie: to even (up)
    ];
    for (const [value, bits] of cases) expect([value, float16Bits(value)]).toEqual([value, bits]);
    expect(float16Bits(Number.NaN) & 0x7c00).toBe(0x7c00);
    expect(float16Bits(Number.NaN) & 0x3ff).not.toBe(0);
  });

  it('is within half a step of every value in range, and exact on the way back for halves', () => {
    for (let i = 0; i < 2000; i++) {
      const value = (i - 1000) * 0.0371 + Math.sin(i) * 1e-3;
      const back = float16Value(float16Bits(value));
      const step = 2 ** (Math.floor(Math.log2(Math.max(Math.abs(value), 2 ** -14))) - 10);
      expect(Math.abs(back - value)).toBeLessThanOrEqual(step / 2);
      expect(float16Bits(back)).toBe(float16Bits(value));
    }
  });
});

/** A small image model with what the shipped graphs hold: Conv with bias, PRelu, a Constant, a nearest Resize (float32 scales), a Cast to float. */
function sampleModel(): Uint8Array {
  const g = new GraphBuilder('fp16-sample');
  g.input('input', 'float32', [1, 3, 'H', 'W']);
  const weights = Float32Array.from({ length: 3 * 3 * 3 * 3 }, (_, i) => Math.sin(i * 0.7) * 0.3);
  const w = g.initializer('w', weights, [3, 3, 3, 3]);
  const b = g.initializer('b', Float32Array.from([0.01, -0.02, 0.03]), [3]);
  const conv = g.op('Conv', ['input', w, b], { kernel_shape: attr.ints([3, 3]), pads: attr.ints([1, 1, 1, 1]) });
  const slope = g.initializer('slope', Float32Array.from([0.1, 0.2, 0.25]), [3, 1, 1]);
  const prelu = g.op('PRelu', [conv, slope]);
  const [half] = g.node('Constant', [], 1, { value: attr.tensor(Float32Array.from([0.5]), [1]) });
  const scaled = g.op('Mul', [prelu, half]);
  const cast = g.op('Cast', [scaled], { to: attr.int(1) });
  const up = g.nearestUpscale(cast, 2, 2);
  g.node('Add', [up, up], ['output']);
  g.output('output', 'float32', [1, 3, 'H2', 'W2']);
  return g.toModel();
}

async function run(model: Uint8Array, input: Float32Array, side: number): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(model, { executionProviders: ['cpu'], logSeverityLevel: 3 });
  const result = (await session.run({ input: new ort.Tensor('float32', input, [1, 3, side, side]) })).output;
  await session.release();
  expect(result.type).toBe('float32');
  return result.data as Float32Array;
}

describe('toFloat16', () => {
  it('keeps the inputs and outputs float32, stores weights as float16, leaves Resize scales float32, and computes what the fp32 model does to fp16 precision', async () => {
    const fp32 = sampleModel();
    const fp16 = toFloat16(fp32);
    const graph = (
      ModelProto.toObject(ModelProto.decode(fp16), { longs: Number }) as {
        graph: {
          initializer: Array<{ name: string; dataType: number }>;
          input: Array<{ type: { tensorType: { elemType: number } } }>;
          output: Array<{ type: { tensorType: { elemType: number } } }>;
        };
      }
    ).graph;
    expect(graph.input[0].type.tensorType.elemType).toBe(1);
    expect(graph.output[0].type.tensorType.elemType).toBe(1);
    const types = Object.fromEntries(graph.initializer.map((t) => [t.name, t.dataType]));
    expect(types).toMatchObject({ w: 10, b: 10, slope: 10, scales: 1, roi: 1 });
    expect(fp16.length).toBeLessThan(fp32.length);

    const side = 6;
    const input = Float32Array.from({ length: 3 * side * side }, (_, i) => 0.5 + 0.45 * Math.sin(i * 0.9));
    const [expected, actual] = [await run(fp32, input, side), await run(fp16, input, side)];
    expect(actual).toHaveLength(expected.length);
    let worst = 0;
    for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
    // fp16 keeps 11 significant bits: values under 2 are within ~1e-3 after a few roundings.
    expect(worst).toBeGreaterThan(0);
    expect(worst).toBeLessThan(4e-3);
  });

  it('refuses a model whose floats are stored outside raw_data, rather than dropping them', () => {
    const g = new GraphBuilder('float-data');
    g.input('input', 'float32', [1]);
    g.node('Identity', ['input'], ['output']);
    g.output('output', 'float32', [1]);
    const decoded = ModelProto.toObject(ModelProto.decode(g.toModel()), { longs: Number }) as { graph: { initializer?: unknown[] } };
    decoded.graph.initializer = [{ name: 'x', dataType: 1, dims: [1] }];
    expect(() => toFloat16(ModelProto.encode(ModelProto.fromObject(decoded)).finish())).toThrow(/raw_data/);
  });
});
