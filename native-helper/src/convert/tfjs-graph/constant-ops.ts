import { MendError } from '../../errors';
import { broadcastIndices, broadcastMap, stridedOffsets } from './broadcast';
import { nodeAttr, type GraphNode } from './graph-model';
import { allocate, fromValues, sizeOf, stridesOf, valuesOf, type HostDtype, type HostTensor } from './host-tensor';

/**
 * TF op semantics on host tensors, for folding nodes whose inputs are all known once the input
 * shape is fixed. Ops missing here stay in the graph (Conv2D, Einsum: never on constants in practice).
 */
type ConstantOp = (node: GraphNode, inputs: HostTensor[]) => HostTensor;

const TF_DTYPES: Record<string, HostDtype> = { DT_FLOAT: 'float32', DT_INT32: 'int32', DT_BOOL: 'bool' };

export function hostDtype(node: GraphNode, tfType: string): HostDtype {
  const dtype = TF_DTYPES[tfType];
  if (!dtype) throw new MendError('model_invalid', `node ${node.name} (${node.op}) uses type ${tfType}; Mend converts float32, int32 and bool tensors`);
  return dtype;
}

function binary(fn: (a: number, b: number) => number, result?: HostDtype): ConstantOp {
  return (node, [a, b]) => {
    const out = broadcastMap([a, b], result ?? a.dtype, ([x, y]) => fn(x, y));
    if (!out) throw new MendError('model_invalid', `node ${node.name} (${node.op}): shapes [${a.shape.join(', ')}] and [${b.shape.join(', ')}] do not broadcast`);
    return out;
  };
}

function unary(fn: (a: number) => number): ConstantOp {
  return (_node, [a]) => fromValues(a.dtype, a.shape, a.data.map(fn));
}

function normalizeAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

/** Permutes the axes of `a`: output axis i is input axis perm[i]. */
export function transpose(a: HostTensor, perm: readonly number[]): HostTensor {
  const inStrides = stridesOf(a.shape);
  const out = allocate(
    a.dtype,
    perm.map((axis) => a.shape[axis]),
  );
  const sources = stridedOffsets(
    out.shape,
    perm.map((axis) => inStrides[axis]),
  );
  for (let i = 0; i < sources.length; i++) out.data[i] = a.data[sources[i]];
  return out;
}

function concat(node: GraphNode, parts: HostTensor[], axis: number): HostTensor {
  const rank = parts[0].shape.length;
  axis = normalizeAxis(axis, rank);
  const shape = [...parts[0].shape];
  shape[axis] = parts.reduce((n, p) => n + p.shape[axis], 0);
  if (parts.some((p) => p.shape.length !== rank || p.dtype !== parts[0].dtype))
    throw new MendError('model_invalid', `node ${node.name} (${node.op}) joins tensors of different ranks or types`);
  const out = allocate(parts[0].dtype, shape);
  const outer = sizeOf(shape.slice(0, axis));
  let offset = 0;
  for (let o = 0; o < outer; o++) {
    for (const p of parts) {
      const block = sizeOf(p.shape.slice(axis));
      out.data.set(p.data.subarray(o * block, (o + 1) * block), offset);
      offset += block;
    }
  }
  return out;
}

function reshape(a: HostTensor, shape: readonly number[]): HostTensor {
  const known = shape.reduce((n, d) => (d === -1 ? n : n * d), 1);
  const resolved = shape.map((d) => (d === -1 ? a.data.length / known : d));
  return { dtype: a.dtype, shape: resolved, data: a.data };
}

/** TF StridedSlice with begin/end/shrink masks (the ellipsis and new-axis masks are refused). */
function stridedSlice(node: GraphNode, [a, beginT, endT, stridesT]: HostTensor[]): HostTensor {
  if (nodeAttr.int(node, 'ellipsis_mask', 0) || nodeAttr.int(node, 'new_axis_mask', 0))
    throw new MendError('model_invalid', `node ${node.name} (StridedSlice) uses an ellipsis or new-axis mask, which Mend does not convert`);
  const beginMask = nodeAttr.int(node, 'begin_mask', 0);
  const endMask = nodeAttr.int(node, 'end_mask', 0);
  const shrinkMask = nodeAttr.int(node, 'shrink_axis_mask', 0);
  const [begin, end, strides] = [valuesOf(beginT), valuesOf(endT), valuesOf(stridesT)];
  const starts: number[] = [];
  const steps: number[] = [];
  const sizes: number[] = [];
  const kept: number[] = [];
  a.shape.forEach((dim, axis) => {
    const stride = axis < strides.length ? strides[axis] : 1;
    const bit = 1 << axis;
    let b = axis < begin.length ? begin[axis] : 0;
    let e = axis < end.length ? end[axis] : dim;
    const [low, high] = stride > 0 ? [0, dim] : [-1, dim - 1];
    const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + dim : v, low), high);
    b = beginMask & bit || axis >= begin.length ? (stride > 0 ? 0 : dim - 1) : clamp(b);
    e = endMask & bit || axis >= end.length ? (stride > 0 ? dim : -1) : clamp(e);
    if (shrinkMask & bit) {
      b = begin[axis] < 0 ? begin[axis] + dim : begin[axis];
      e = b + 1;
    }
    starts.push(b);
    steps.push(stride);
    sizes.push(Math.max(0, Math.ceil((e - b) / stride)));
    if (!(shrinkMask & bit)) kept.push(sizes[sizes.length - 1]);
  });
  const out = allocate(a.dtype, sizes);
  const inStrides = stridesOf(a.shape);
  const start = starts.reduce((n, b, axis) => n + b * inStrides[axis], 0);
  const sources = stridedOffsets(
    sizes,
    steps.map((step, axis) => step * inStrides[axis]),
    start,
  );
  for (let i = 0; i < sources.length; i++) out.data[i] = a.data[sources[i]];
  return { ...out, shape: kept };
}

function sum(node: GraphNode, [a, axesT]: HostTensor[]): HostTensor {
  const axes = new Set(valuesOf(axesT).map((axis) => normalizeAxis(axis, a.shape.length)));
  const keptShape = a.shape.map((d, axis) => (axes.has(axis) ? 1 : d));
  const out = allocate(a.dtype, keptShape);
  const targets = broadcastIndices(keptShape, a.shape);
  for (let i = 0; i < a.data.length; i++) out.data[targets[i]] += a.data[i];
  return nodeAttr.bool(node, 'keep_dims') ? out : { ...out, shape: a.shape.filter((_d, axis) => !axes.has(axis)) };
}

function gather(node: GraphNode, [params, indices, axisT]: HostTensor[]): HostTensor {
  if (nodeAttr.int(node, 'batch_dims', 0) !== 0) throw new MendError('model_invalid', `node ${node.name} (GatherV2) uses batch_dims, which Mend does not convert`);
  const axis = normalizeAxis(valuesOf(axisT)[0], params.shape.length);
  const outer = sizeOf(params.shape.slice(0, axis));
  const inner = sizeOf(params.shape.slice(axis + 1));
  const out = allocate(params.dtype, [...params.shape.slice(0, axis), ...indices.shape, ...params.shape.slice(axis + 1)]);
  let offset = 0;
  for (let o = 0; o < outer; o++) {
    for (const index of indices.data) {
      const start = (o * params.shape[axis] + index) * inner;
      out.data.set(params.data.subarray(start, start + inner), offset);
      offset += inner;
    }
  }
  return out;
}

const floorMod = (a: number, b: number) => a - Math.floor(a / b) * b;

export const CONSTANT_OPS: Record<string, ConstantOp> = {
  Identity: (_node, [a]) => a,
  AddV2: binary((a, b) => a + b),
  Sub: binary((a, b) => a - b),
  Mul: binary((a, b) => a * b),
  RealDiv: binary((a, b) => a / b),
  FloorDiv: binary((a, b) => Math.floor(a / b)),
  FloorMod: binary(floorMod),
  Maximum: binary(Math.max),
  Minimum: binary(Math.min),
  Greater: binary((a, b) => Number(a > b), 'bool'),
  GreaterEqual: binary((a, b) => Number(a >= b), 'bool'),
  Less: binary((a, b) => Number(a < b), 'bool'),
  LessEqual: binary((a, b) => Number(a <= b), 'bool'),
  Equal: binary((a, b) => Number(a === b), 'bool'),
  NotEqual: binary((a, b) => Number(a !== b), 'bool'),
  LogicalAnd: binary((a, b) => Number(a && b), 'bool'),
  Neg: unary((a) => -a),
  Abs: unary(Math.abs),
  Square: unary((a) => a * a),
  Rsqrt: unary((a) => 1 / Math.sqrt(a)),
  Reciprocal: unary((a) => 1 / a),
  Exp: unary(Math.exp),
  Tanh: unary(Math.tanh),
  Floor: unary(Math.floor),
  Sign: unary(Math.sign),
  Cast: (node, [a]) => {
    const dtype = hostDtype(node, nodeAttr.type(node, 'DstT'));
    // TF casts float to int by truncation, and anything non-zero to true.
    const convert = dtype === 'int32' ? Math.trunc : dtype === 'bool' ? (v: number) => Number(v !== 0) : (v: number) => v;
    return fromValues(dtype, a.shape, a.data.map(convert));
  },
  SelectV2: (node, [condition, a, b]) => {
    const out = broadcastMap([condition, a, b], a.dtype, ([c, x, y]) => (c ? x : y));
    if (!out) throw new MendError('model_invalid', `node ${node.name} (SelectV2): its inputs do not broadcast`);
    return out;
  },
  BroadcastTo: (node, [a, shapeT]) => {
    const out = broadcastMap([a, allocate('bool', valuesOf(shapeT))], a.dtype, ([x]) => x);
    if (!out) throw new MendError('model_invalid', `node ${node.name} (BroadcastTo): [${a.shape.join(', ')}] does not broadcast to [${valuesOf(shapeT).join(', ')}]`);
    return out;
  },
  Pack: (node, parts) => {
    const axis = normalizeAxis(nodeAttr.int(node, 'axis', 0), parts[0].shape.length + 1);
    return concat(
      node,
      parts.map((p) => ({ ...p, shape: [...p.shape.slice(0, axis), 1, ...p.shape.slice(axis)] })),
      axis,
    );
  },
  ConcatV2: (node, inputs) => concat(node, inputs.slice(0, -1), valuesOf(inputs[inputs.length - 1])[0]),
  Reshape: (_node, [a, shapeT]) => reshape(a, valuesOf(shapeT)),
  ExpandDims: (_node, [a, axisT]) => {
    const axis = normalizeAxis(valuesOf(axisT)[0], a.shape.length + 1);
    return { ...a, shape: [...a.shape.slice(0, axis), 1, ...a.shape.slice(axis)] };
  },
  Squeeze: (node, [a]) => {
    const axes = new Set(nodeAttr.ints(node, 'squeeze_dims').map((axis) => normalizeAxis(axis, a.shape.length)));
    return { ...a, shape: a.shape.filter((d, axis) => !(axes.size === 0 ? d === 1 : axes.has(axis))) };
  },
  Transpose: (_node, [a, perm]) => transpose(a, valuesOf(perm)),
  StridedSlice: stridedSlice,
  Range: (_node, [start, limit, delta]) => {
    const [s, l, d] = [start, limit, delta].map((t) => t.data[0]);
    const count = Math.max(0, Math.ceil((l - s) / d));
    return fromValues(
      start.dtype,
      [count],
      Array.from({ length: count }, (_v, i) => s + i * d),
    );
  },
  Sum: sum,
  GatherV2: gather,
  Shape: (_node, [a]) => fromValues('int32', [a.shape.length], a.shape),
};
