import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { TfjsGraphReference } from '../../../models/scripts/tfjs-graph-reference';
import { convertGraphModel, readGraphModel, specialize } from '../../../native-helper/src/convert/tfjs-graph';
import { GraphFixture } from '../../helpers/graph-fixture';

/**
 * A small graph in the shape jax2tf writes MAXIM: shape arithmetic on the input's Shape, convolutions
 * (strided SAME, and transposed), the three Einsum forms, a leaky ReLU as SelectV2, a masked
 * StridedSlice, GatherV2, BroadcastTo and Cast. Each case runs in both @tensorflow/tfjs and onnxruntime.
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
const slice = (masks: Partial<Record<'begin_mask' | 'end_mask' | 'shrink_axis_mask', number>> = {}) => ({
  begin_mask: { i: String(masks.begin_mask ?? 0) },
  end_mask: { i: String(masks.end_mask ?? 0) },
  shrink_axis_mask: { i: String(masks.shrink_axis_mask ?? 0) },
  ellipsis_mask: { i: '0' },
  new_axis_mask: { i: '0' },
});

function jaxLikeGraph(): { fixture: GraphFixture; output: string } {
  const f = new GraphFixture();
  const shape = f.op('shape', 'Shape', ['x'], { out_type: { type: 'DT_INT32' } });
  const one = f.ints('one', [1], []);
  const three = f.ints('three', [3], []);
  const height = f.op('height', 'StridedSlice', [shape, f.ints('b1', [1]), f.ints('e1', [2]), f.ints('s1', [1])], slice({ shrink_axis_mask: 1 }));
  const width = f.op('width', 'StridedSlice', [shape, f.ints('b2', [2]), f.ints('e2', [3]), f.ints('s2', [1])], slice({ shrink_axis_mask: 1 }));
  const sizes = f.op('sizes', 'Pack', [one, height, width, three], { axis: { i: '0' } });
  const down = f.op('down', 'Conv2D', ['x', f.constant('w_down', [3, 3, 3, 4])], conv('SAME', 2));
  const biased = f.op('biased', 'AddV2', [down, f.constant('bias', [4])]);
  const mixed = f.op('mixed', 'Einsum', [biased, f.constant('m1', [4, 5])], { equation: text('abcg,gf->abcf') });
  const rows = f.op('rows', 'Einsum', [mixed, f.constant('m2', [4, 6])], { equation: text('abgd,gf->abdf') });
  const first = f.op('first', 'Einsum', [f.constant('m3', [4, 3]), rows], { equation: text('gb,cgef->bcef') });
  const nhwc = f.op('nhwc', 'Transpose', [first, f.ints('perm', [1, 2, 3, 0])]);
  const energy = f.op('energy', 'Sum', [f.op('squared', 'Square', [nhwc]), f.ints('axes', [3])], { keep_dims: { b: true } });
  const scale = f.op('scale', 'Rsqrt', [f.op('eps', 'AddV2', [energy, f.constant('epsilon', [], 'float32', [1e-3])])]);
  const normed = f.op('normed', 'Mul', [nhwc, scale]);
  const positive = f.op('positive', 'GreaterEqual', [normed, f.constant('zero', [], 'float32', [0])]);
  const leaky = f.op('leaky', 'SelectV2', [positive, normed, f.op('leak', 'Mul', [normed, f.constant('slope', [], 'float32', [0.2])])]);
  const cropped = f.op(
    'cropped',
    'StridedSlice',
    [leaky, f.ints('cb', [0, 1, 0, 0]), f.ints('ce', [0, 5, 4, 0]), f.ints('cs', [1, 1, 1, 1])],
    slice({ begin_mask: 0b1001, end_mask: 0b1001 }),
  );
  const up = f.op('up', 'Conv2DBackpropInput', [sizes, f.constant('w_up', [2, 2, 3, 3]), cropped], conv('VALID', 2));
  const swapped = f.op('swapped', 'GatherV2', ['x', f.ints('channels', [2, 0, 1]), f.ints('axis3', [3], [])], { batch_dims: { i: '0' } });
  const bright = f.op('bright', 'Cast', [f.op('over', 'Greater', [swapped, f.constant('half', [], 'float32', [0.5])])], {
    SrcT: { type: 'DT_BOOL' },
    DstT: { type: 'DT_FLOAT' },
    Truncate: { b: false },
  });
  const tint = f.op('tint', 'BroadcastTo', [f.constant('tint_value', [3]), sizes]);
  const sum = f.op('sum', 'AddV2', [f.op('sum0', 'AddV2', [up, f.op('tanh', 'Tanh', [swapped])]), f.op('sum1', 'Mul', [bright, tint])]);
  const output = f.op('out', 'Reshape', [sum, sizes]);
  return { fixture: f, output };
}

describe('TF.js graph model → ONNX', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mend-tfjs-graph-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('matches @tensorflow/tfjs on a jax2tf-like graph of every converted op', async () => {
    const { fixture, output } = jaxLikeGraph();
    const modelJson = fixture.write(dir, output);
    const n = 8;
    const nhwc = Float32Array.from({ length: n * n * 3 }, (_v, i) => ((i * 7919) % 97) / 96);
    const reference = await TfjsGraphReference.load(modelJson);
    const expected = await reference.run(nhwc, n, n);
    reference.dispose();
    const nchw = new Float32Array(nhwc.length);
    for (let i = 0; i < n * n; i++) for (let c = 0; c < 3; c++) nchw[c * n * n + i] = nhwc[i * 3 + c];
    const session = await ort.InferenceSession.create(await convertGraphModel(modelJson, { height: n, width: n }));
    const ours = (await session.run({ input: new ort.Tensor('float32', nchw, [1, 3, n, n]) })).output;
    await session.release();
    expect(ours.dims).toEqual([1, 3, n, n]);
    let max = 0;
    for (let i = 0; i < n * n; i++) for (let c = 0; c < 3; c++) max = Math.max(max, Math.abs((ours.data as Float32Array)[c * n * n + i] - expected[i * 3 + c]));
    expect(max).toBeLessThan(1e-5);
  });

  it('folds the shape arithmetic once the input size is fixed', async () => {
    const { fixture, output } = jaxLikeGraph();
    const graph = specialize(await readGraphModel(fixture.write(dir, output)), [1, 8, 8, 3]);
    const remaining = graph.nodes.map((node) => node.op);
    expect(remaining).not.toContain('Shape');
    expect(remaining).not.toContain('Pack');
    expect(remaining.filter((op) => op === 'StridedSlice')).toHaveLength(1);
  });

  it('writes the same bytes for the same model and tile', async () => {
    const { fixture, output } = jaxLikeGraph();
    const modelJson = fixture.write(dir, output);
    const hash = async () =>
      createHash('sha256')
        .update(await convertGraphModel(modelJson, { height: 8, width: 8 }))
        .digest('hex');
    expect(await hash()).toBe(await hash());
  });

  it('names the op and the node it cannot convert', async () => {
    const f = new GraphFixture();
    const output = f.op('odd', 'Cumsum', ['x', f.ints('axis', [1], [])]);
    await expect(convertGraphModel(f.write(dir, output), { height: 8, width: 8 })).rejects.toThrow('node odd has op Cumsum, which Mend cannot convert yet');
  });

  it('refuses an Einsum that is not a tensor-by-matrix product, quoting the equation', async () => {
    const f = new GraphFixture();
    const output = f.op('pairwise', 'Einsum', ['x', 'x'], { equation: text('abcd,abce->abde') });
    await expect(convertGraphModel(f.write(dir, output), { height: 8, width: 8 })).rejects.toThrow('node pairwise: Einsum "abcd,abce->abde" is not a tensor-by-matrix product');
  });
});
