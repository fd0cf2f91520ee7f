import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { modelArtifacts } from '../../../models/scripts/tfjs-cpu';
import { TfjsGraphReference } from '../../../models/scripts/tfjs-graph-reference';
import { graphModelToOnnxOutputs, readGraphModel, specialize } from '../../../native-helper/src/convert/tfjs-graph';
import { GraphFixture } from '../../helpers/graph-fixture';

/**
 * A small graph of the ops tfjs-converter writes for Keras MobileNets (FaceMesh, FaceRes): fused
 * convolutions with bias and PReLU or ReLU, a depthwise convolution with a channel multiplier, max
 * pooling, channel padding, a mean over the image, with float16 weights and two outputs. Each case runs
 * in both @tensorflow/tfjs and onnxruntime.
 */
const list = (values: number[]) => ({ list: { i: values.map(String) } });
const text = (value: string) => ({ s: Buffer.from(value).toString('base64') });
const conv = (padding: string, stride: number) => ({
  padding: text(padding),
  strides: list([1, stride, stride, 1]),
  dilations: list([1, 1, 1, 1]),
  data_format: text('NHWC'),
  explicit_paddings: { list: {} },
});
const fused = (ops: string[], args: number) => ({
  fused_ops: { list: { s: ops.map((op) => Buffer.from(op).toString('base64')) } },
  num_args: { i: String(args) },
  epsilon: { f: 0 },
});

function mobileNetLikeGraph(): { fixture: GraphFixture; outputs: Record<string, string> } {
  const f = new GraphFixture();
  const first = f.op('first', '_FusedConv2D', ['x', f.constant('w1', [3, 3, 3, 4], 'float16'), f.constant('b1', [4], 'float16'), f.constant('a1', [4], 'float16')], {
    ...conv('SAME', 2),
    ...fused(['BiasAdd', 'Prelu'], 2),
  });
  const depthwise = f.op('depthwise', 'DepthwiseConv2dNative', [first, f.constant('dw', [3, 3, 4, 2])], conv('SAME', 1));
  const pointwise = f.op('pointwise', '_FusedConv2D', [depthwise, f.constant('w2', [1, 1, 8, 4]), f.constant('b2', [4])], {
    ...conv('VALID', 1),
    ...fused(['BiasAdd', 'Relu'], 1),
  });
  const pooled = f.op('pooled', 'MaxPool', [pointwise], { ksize: list([1, 2, 2, 1]), strides: list([1, 2, 2, 1]), padding: text('VALID'), data_format: text('NHWC') });
  const padded = f.op('padded', 'Pad', [pooled, f.ints('paddings', [0, 0, 0, 0, 0, 0, 0, 2], [4, 2])]);
  const shifted = f.op('shifted', 'Add', [padded, f.constant('shift', [6], 'float32', [-3, 1, -3, 1, -3, 1])]);
  const leaky = f.op('leaky', 'Prelu', [shifted, f.constant('a2', [6], 'float32', [0.2, 0.2, -0.3, 0.2, 0.1, 0.2])]);
  const mean = f.op('mean', 'Mean', [leaky, f.ints('axes', [1, 2])], { keep_dims: { b: false } });
  const score = f.op('score', 'Sigmoid', [mean]);
  const features = f.op('features', 'Relu', [f.op('flat', 'Reshape', [leaky, f.ints('shape', [1, 24])])]);
  return { fixture: f, outputs: { score_out: score, features_out: features } };
}

describe('TF.js graph model → ONNX: MobileNet ops and tensor outputs', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mend-tfjs-graph-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('matches @tensorflow/tfjs on every output', async () => {
    const { fixture, outputs } = mobileNetLikeGraph();
    const modelJson = fixture.write(dir, outputs);
    const n = 8;
    const nhwc = Float32Array.from({ length: n * n * 3 }, (_v, i) => ((i * 7919) % 97) / 48 - 1);
    (await TfjsGraphReference.load(modelJson)).dispose();
    const reference = await tf.loadGraphModel(tf.io.fromMemory(modelArtifacts(modelJson)));
    const input = tf.tensor4d(nhwc, [1, n, n, 3]);
    const expected = await Promise.all((reference.execute(input, ['score', 'features']) as tf.Tensor[]).map(async (t) => Array.from(await t.data())));
    const nchw = new Float32Array(nhwc.length);
    for (let i = 0; i < n * n; i++) for (let c = 0; c < 3; c++) nchw[c * n * n + i] = nhwc[i * 3 + c];
    const onnx = graphModelToOnnxOutputs(
      await readGraphModel(modelJson),
      { height: n, width: n },
      { score: { key: 'score_out', dims: [1, 6] }, features: { key: 'features_out', dims: [1, 24] } },
      'mobilenet-like',
    );
    const session = await ort.InferenceSession.create(onnx);
    const ours = await session.run({ input: new ort.Tensor('float32', nchw, [1, 3, n, n]) });
    await session.release();
    expect(ours.score.dims).toEqual([1, 6]);
    expect(ours.features.dims).toEqual([1, 24]);
    const worst = (values: ArrayLike<number>, reference: number[]) => Math.max(...reference.map((v, i) => Math.abs(v - values[i])));
    // The ReLU and PReLU must have had both signs to act on.
    expect(Math.min(...expected[1])).toBe(0);
    expect(worst(ours.score.data as Float32Array, expected[0])).toBeLessThan(1e-5);
    expect(worst(ours.features.data as Float32Array, expected[1])).toBeLessThan(1e-5);
  });

  it('keeps only the nodes the asked outputs need', async () => {
    const { fixture, outputs } = mobileNetLikeGraph();
    const graph = specialize(await readGraphModel(fixture.write(dir, outputs)), [1, 8, 8, 3], ['score_out']);
    expect(graph.nodes.map((node) => node.name)).not.toContain('features');
    expect(() => specialize({ ...graph, nodes: [], outputs: { a: 'x' } }, [1, 8, 8, 3], ['b'])).toThrow('the model has no output b; its outputs are a');
  });

  it('refuses integer-quantized weights by name', async () => {
    const f = new GraphFixture();
    const modelJson = f.write(dir, f.op('out', 'Relu', ['x']));
    const { writeFileSync, readFileSync } = await import('node:fs');
    const json = JSON.parse(readFileSync(modelJson, 'utf8'));
    json.weightsManifest[0].weights.push({ name: 'q', shape: [1], dtype: 'float32', quantization: { dtype: 'uint8', min: 0, scale: 1 } });
    writeFileSync(modelJson, JSON.stringify(json));
    await expect(readGraphModel(modelJson)).rejects.toThrow('weight q is float32 (quantized as uint8)');
  });
});
