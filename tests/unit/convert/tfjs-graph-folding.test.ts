import { CONSTANT_OPS } from '../../../native-helper/src/convert/tfjs-graph/constant-ops';
import { planEinsumAsMatMul } from '../../../native-helper/src/convert/tfjs-graph/einsum';
import type { GraphNode } from '../../../native-helper/src/convert/tfjs-graph/graph-model';
import { fromValues, valuesOf, type HostTensor } from '../../../native-helper/src/convert/tfjs-graph/host-tensor';

const node = (op: string, attr: GraphNode['attr'] = {}): GraphNode => ({ name: `a_${op}`, op, inputs: [], attr });
const ints = (values: number[], shape = [values.length]) => fromValues('int32', shape, values);
const run = (op: string, inputs: HostTensor[], attr: GraphNode['attr'] = {}) => CONSTANT_OPS[op](node(op, attr), inputs);

describe('constant folding of TF ops', () => {
  const grid = ints([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], [3, 4]);

  it('StridedSlice follows TF: masks take the whole axis, negative strides walk back, shrink drops the axis', () => {
    const reversed = run('StridedSlice', [grid, ints([0, -1]), ints([0, 0]), ints([1, -2])], { begin_mask: { i: '1' }, end_mask: { i: '3' } });
    expect(reversed.shape).toEqual([3, 2]);
    expect(valuesOf(reversed)).toEqual([3, 1, 7, 5, 11, 9]);
    const row = run('StridedSlice', [grid, ints([-1, 1]), ints([0, 3]), ints([1, 1])], { shrink_axis_mask: { i: '1' } });
    expect(row.shape).toEqual([2]);
    expect(valuesOf(row)).toEqual([9, 10]);
  });

  it('Sum drops the reduced axes unless keep_dims; BroadcastTo repeats; FloorMod takes the divisor sign', () => {
    expect(run('Sum', [grid, ints([1])]).shape).toEqual([3]);
    expect(valuesOf(run('Sum', [grid, ints([0])], { keep_dims: { b: true } }))).toEqual([12, 15, 18, 21]);
    expect(valuesOf(run('BroadcastTo', [ints([1, 2]), ints([2, 2])]))).toEqual([1, 2, 1, 2]);
    expect(valuesOf(run('FloorMod', [ints([-7, 7]), ints([3, -3])]))).toEqual([2, -2]);
  });

  it('Cast truncates toward zero, Transpose permutes, Pack stacks', () => {
    expect(valuesOf(run('Cast', [fromValues('float32', [2], [-1.5, 2.7])], { DstT: { type: 'DT_INT32' } }))).toEqual([-1, 2]);
    expect(valuesOf(run('Transpose', [grid, ints([1, 0])])).slice(0, 3)).toEqual([0, 4, 8]);
    const packed = run('Pack', [ints([1, 2]), ints([3, 4])], { axis: { i: '1' } });
    expect(packed.shape).toEqual([2, 2]);
    expect(valuesOf(packed)).toEqual([1, 3, 2, 4]);
  });
});

describe('Einsum as MatMul', () => {
  it('plans the three forms jax2tf writes in MAXIM', () => {
    expect(planEinsumAsMatMul('abcg,gf->abcf', 'n')).toEqual({ matrixOperand: 1, tensorPerm: undefined, transposeMatrix: false, outputPerm: undefined });
    expect(planEinsumAsMatMul('abgd,gf->abdf', 'n')).toEqual({ matrixOperand: 1, tensorPerm: [0, 1, 3, 2], transposeMatrix: false, outputPerm: undefined });
    expect(planEinsumAsMatMul('gb,cgef->bcef', 'n')).toEqual({ matrixOperand: 0, tensorPerm: [0, 2, 3, 1], transposeMatrix: false, outputPerm: [3, 0, 1, 2] });
    expect(planEinsumAsMatMul('abcf,gf->abcg', 'n')).toMatchObject({ transposeMatrix: true });
  });
});
