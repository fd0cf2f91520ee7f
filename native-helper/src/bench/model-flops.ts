import { DataType, ModelProto } from '../convert/onnx/onnx-schema';
import { MendError } from '../errors';

/**
 * Floating-point work of one run of an image model, read from its ONNX graph: shapes are propagated
 * from a 1×3×H×W input, and FLOPs = 2 × the multiply-accumulates of Conv, ConvTranspose, Gemm and MatMul.
 * Activations, elementwise ops, reductions, biases and resizes are left out: for the convolutional nets they
 * are a fraction of a percent of the convolutions (for MAXIM's MLP mixing a few percent), and leaving them out
 * keeps the count comparable across engines.
 */
export interface ModelFlops {
  /** 2 × MACs for the whole run. */
  flops: number;
  /** 2 × MACs per operator type. */
  byOperator: Record<string, number>;
}

interface TensorInfo {
  dims?: number[];
  dataType?: number;
  rawData?: Uint8Array;
}

interface AttributeInfo {
  name: string;
  i?: number;
  ints?: number[];
  s?: Uint8Array;
}

interface NodeInfo {
  input?: string[];
  output?: string[];
  opType: string;
  attribute?: AttributeInfo[];
}

interface GraphInfo {
  node?: NodeInfo[];
  initializer?: TensorInfo[] & Array<{ name: string }>;
  input?: Array<{ name: string; type?: { tensorType?: { shape?: { dim?: Array<{ dimValue?: number }> } } } }>;
}

/** A tensor as far as the counter knows it: always its shape, and its values when it is small and constant (shapes, pads, scales). */
interface Value {
  shape: number[];
  data?: number[];
}

/** Constant tensors up to this many values are decoded; weights are not needed, only their shapes. */
const MAX_DECODED_VALUES = 64;

function decodeValues(t: TensorInfo): number[] | undefined {
  const raw = t.rawData;
  const count = (t.dims ?? []).reduce((n, d) => n * d, 1);
  if (!raw || count > MAX_DECODED_VALUES) return undefined;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  switch (t.dataType) {
    case DataType.float32:
      return Array.from({ length: raw.byteLength / 4 }, (_, i) => view.getFloat32(i * 4, true));
    case DataType.int64:
      return Array.from({ length: raw.byteLength / 8 }, (_, i) => Number(view.getBigInt64(i * 8, true)));
    case DataType.int32:
      return Array.from({ length: raw.byteLength / 4 }, (_, i) => view.getInt32(i * 4, true));
    default:
      return undefined;
  }
}

const product = (values: readonly number[]) => values.reduce((n, v) => n * v, 1);

function broadcast(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    out.push(x === 1 ? y : x);
  }
  return out;
}

const ELEMENTWISE: Record<string, (x: number, y: number) => number> = {
  Add: (x, y) => x + y,
  Sub: (x, y) => x - y,
  Mul: (x, y) => x * y,
  Div: (x, y) => x / y,
  Max: Math.max,
  Min: Math.min,
};

const SAME_SHAPE = new Set(['Identity', 'Relu', 'LeakyRelu', 'Sigmoid', 'Tanh', 'Sqrt', 'Exp', 'Clip', 'Cast', 'Softplus', 'Elu', 'Neg', 'Reciprocal']);

/** Elementwise ops whose output shape is the broadcast of all their inputs, values not tracked. */
const BROADCAST_ONLY = new Set(['Where', 'GreaterOrEqual', 'Greater', 'Less', 'LessOrEqual', 'Equal', 'Pow']);

/** Counts the FLOPs of one run of `graph` on a `height`×`width` image. */
class FlopCounter {
  private readonly values = new Map<string, Value>();
  readonly byOperator: Record<string, number> = {};

  constructor(
    private readonly name: string,
    graph: GraphInfo,
    height: number,
    width: number,
  ) {
    for (const t of graph.initializer ?? []) this.values.set(t.name, { shape: (t.dims ?? []).map(Number), data: decodeValues(t) });
    for (const input of graph.input ?? []) {
      if (this.values.has(input.name)) continue;
      const dims = input.type?.tensorType?.shape?.dim ?? [];
      if (dims.length !== 4) continue;
      this.values.set(input.name, { shape: [1, Number(dims[1].dimValue ?? 3), height, width] });
    }
    for (const node of graph.node ?? []) this.visit(node);
  }

  private fail(message: string): never {
    throw new MendError('model_invalid', `cannot count the FLOPs of ${this.name}: ${message}`);
  }

  private value(name: string | undefined, node: NodeInfo): Value {
    const v = name ? this.values.get(name) : undefined;
    if (!v) this.fail(`${node.opType} reads "${name ?? ''}", whose shape is unknown`);
    return v;
  }

  /** An optional input: ONNX marks a skipped one with an empty name. */
  private optional(node: NodeInfo, index: number): Value | undefined {
    const name = node.input?.[index];
    return name ? this.value(name, node) : undefined;
  }

  private constant(node: NodeInfo, index: number): number[] {
    const v = this.value(node.input?.[index], node);
    if (!v.data) this.fail(`${node.opType} needs the values of "${node.input?.[index] ?? ''}", which are not constant`);
    return v.data;
  }

  private count(op: string, macs: number): void {
    this.byOperator[op] = (this.byOperator[op] ?? 0) + 2 * macs;
  }

  private visit(node: NodeInfo): void {
    const attrs = new Map((node.attribute ?? []).map((a) => [a.name, a]));
    const int = (name: string, fallback: number) => Number(attrs.get(name)?.i ?? fallback);
    const ints = (name: string, fallback: number[]) => (attrs.get(name)?.ints?.length ? (attrs.get(name)?.ints ?? []).map(Number) : fallback);
    const x = () => this.value(node.input?.[0], node);
    const set = (value: Value) => this.values.set(node.output?.[0] ?? '', value);
    const op = node.opType;

    if (SAME_SHAPE.has(op)) return void set({ shape: x().shape, data: op === 'Identity' ? x().data : undefined });
    if (op === 'PRelu') return void set({ shape: broadcast(x().shape, this.value(node.input?.[1], node).shape) });
    if (BROADCAST_ONLY.has(op)) return void set({ shape: (node.input ?? []).map((name) => this.value(name, node).shape).reduce(broadcast) });
    if (op in ELEMENTWISE) {
      const a = x();
      const b = this.value(node.input?.[1], node);
      const known = a.data && b.data && a.data.length === b.data.length ? a.data.map((v, i) => ELEMENTWISE[op](v, (b.data as number[])[i])) : undefined;
      return void set({ shape: broadcast(a.shape, b.shape), data: known });
    }
    switch (op) {
      case 'Conv': {
        const [n, , h, w] = x().shape;
        const [m, cPerGroup, kh, kw] = this.value(node.input?.[1], node).shape;
        const [sh, sw] = ints('strides', [1, 1]);
        const [dh, dw] = ints('dilations', [1, 1]);
        const [pt, pl, pb, pr] = ints('pads', [0, 0, 0, 0]);
        const autoPad = attrs.get('auto_pad')?.s ? new TextDecoder().decode(attrs.get('auto_pad')?.s) : 'NOTSET';
        const same = autoPad.startsWith('SAME');
        const oh = same ? Math.ceil(h / sh) : Math.floor((h + pt + pb - ((kh - 1) * dh + 1)) / sh) + 1;
        const ow = same ? Math.ceil(w / sw) : Math.floor((w + pl + pr - ((kw - 1) * dw + 1)) / sw) + 1;
        this.count(op, n * m * oh * ow * cPerGroup * kh * kw);
        return void set({ shape: [n, m, oh, ow] });
      }
      case 'ConvTranspose': {
        const [n, c, h, w] = x().shape;
        const [, mPerGroup, kh, kw] = this.value(node.input?.[1], node).shape;
        const group = int('group', 1);
        const [sh, sw] = ints('strides', [1, 1]);
        const [dh, dw] = ints('dilations', [1, 1]);
        const [pt, pl, pb, pr] = ints('pads', [0, 0, 0, 0]);
        const [oph, opw] = ints('output_padding', [0, 0]);
        const explicit = ints('output_shape', []);
        const oh = explicit.length ? explicit[explicit.length - 2] : sh * (h - 1) + oph + ((kh - 1) * dh + 1) - pt - pb;
        const ow = explicit.length ? explicit[explicit.length - 1] : sw * (w - 1) + opw + ((kw - 1) * dw + 1) - pl - pr;
        // Every input pixel is scattered through the whole kernel, cropped or not.
        this.count(op, n * c * h * w * mPerGroup * kh * kw);
        return void set({ shape: [n, mPerGroup * group, oh, ow] });
      }
      case 'Gemm': {
        const a = x().shape;
        const b = this.value(node.input?.[1], node).shape;
        const [rows, inner] = int('transA', 0) ? [a[1], a[0]] : [a[0], a[1]];
        const columns = int('transB', 0) ? b[0] : b[1];
        this.count(op, rows * inner * columns);
        return void set({ shape: [rows, columns] });
      }
      case 'MatMul': {
        const a = x().shape;
        const b = this.value(node.input?.[1], node).shape;
        const [rows, inner] = a.length === 1 ? [1, a[0]] : a.slice(-2);
        const columns = b.length === 1 ? 1 : b[b.length - 1];
        const batch = broadcast(a.slice(0, -2), b.slice(0, -2));
        this.count(op, product(batch) * rows * inner * columns);
        return void set({ shape: [...batch, ...(a.length === 1 ? [] : [rows]), ...(b.length === 1 ? [] : [columns])] });
      }
      case 'Transpose': {
        const shape = x().shape;
        const perm = ints(
          'perm',
          shape.map((_, i) => shape.length - 1 - i),
        );
        return void set({ shape: perm.map((axis) => shape[axis]) });
      }
      case 'Reshape': {
        const shape = x().shape;
        const wanted = this.constant(node, 1).map((d, i) => (d === 0 ? shape[i] : d));
        const known = product(wanted.filter((d) => d !== -1));
        return void set({ shape: wanted.map((d) => (d === -1 ? product(shape) / known : d)), data: x().data });
      }
      case 'Expand':
        return void set({ shape: broadcast(x().shape, this.constant(node, 1)) });
      case 'ReduceSum':
      case 'ReduceMean':
      case 'ReduceMax': {
        const shape = x().shape;
        const axes = (
          node.input?.[1]
            ? this.constant(node, 1)
            : ints(
                'axes',
                shape.map((_, i) => i),
              )
        ).map((a) => (a < 0 ? a + shape.length : a));
        const keep = int('keepdims', 1) === 1;
        return void set({ shape: shape.flatMap((d, i) => (axes.includes(i) ? (keep ? [1] : []) : [d])) });
      }
      case 'Gather': {
        const shape = x().shape;
        const indices = this.value(node.input?.[1], node).shape;
        const axis = (int('axis', 0) + shape.length) % shape.length;
        return void set({ shape: [...shape.slice(0, axis), ...indices, ...shape.slice(axis + 1)] });
      }
      case 'GlobalAveragePool': {
        const [n, c] = x().shape;
        return void set({ shape: [n, c, 1, 1] });
      }
      case 'Flatten': {
        const shape = x().shape;
        const axis = int('axis', 1);
        return void set({ shape: [product(shape.slice(0, axis)), product(shape.slice(axis))] });
      }
      case 'Unsqueeze': {
        const axes = node.input?.[1] ? this.constant(node, 1) : ints('axes', []);
        const shape = [...x().shape];
        const rank = shape.length + axes.length;
        for (const axis of axes.map((a) => (a < 0 ? a + rank : a)).sort((p, q) => p - q)) shape.splice(axis, 0, 1);
        return void set({ shape, data: x().data });
      }
      case 'Concat': {
        const parts = (node.input ?? []).map((name) => this.value(name, node));
        const rank = parts[0].shape.length;
        const axis = (int('axis', 0) + rank) % rank;
        const shape = [...parts[0].shape];
        shape[axis] = parts.reduce((n, p) => n + p.shape[axis], 0);
        const data = rank === 1 && parts.every((p) => p.data) ? parts.flatMap((p) => p.data as number[]) : undefined;
        return void set({ shape, data });
      }
      case 'Shape': {
        const shape = x().shape;
        return void set({ shape: [shape.length], data: [...shape] });
      }
      case 'Pad': {
        const shape = x().shape;
        const pads = node.input?.[1] ? this.constant(node, 1) : ints('pads', []);
        return void set({ shape: shape.map((d, i) => d + (pads[i] ?? 0) + (pads[i + shape.length] ?? 0)) });
      }
      case 'Slice':
        return void set(this.slice(node));
      case 'Resize': {
        const shape = x().shape;
        const sizes = this.optional(node, 3);
        if (sizes?.data?.length) return void set({ shape: [...sizes.data] });
        const scales = this.constant(node, 2);
        return void set({ shape: shape.map((d, i) => Math.floor(d * scales[i])) });
      }
      case 'DepthToSpace': {
        const [n, c, h, w] = x().shape;
        const b = int('blocksize', 1);
        return void set({ shape: [n, c / (b * b), h * b, w * b] });
      }
      case 'SpaceToDepth': {
        const [n, c, h, w] = x().shape;
        const b = int('blocksize', 1);
        return void set({ shape: [n, c * b * b, h / b, w / b] });
      }
      default:
        this.fail(`the operator ${op} is not supported by the counter`);
    }
  }

  private slice(node: NodeInfo): Value {
    const input = this.value(node.input?.[0], node);
    const starts = this.constant(node, 1);
    const ends = this.constant(node, 2);
    const axes = node.input?.[3] ? this.constant(node, 3) : starts.map((_, i) => i);
    const steps = node.input?.[4] ? this.constant(node, 4) : starts.map(() => 1);
    const shape = [...input.shape];
    let data = input.data;
    axes.forEach((a, i) => {
      const axis = a < 0 ? a + shape.length : a;
      const size = shape[axis];
      const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + size : v, 0), size);
      const [from, to, step] = [clamp(starts[i]), clamp(ends[i]), steps[i]];
      if (step !== 1) this.fail('Slice with a step other than 1 is not supported by the counter');
      shape[axis] = Math.max(0, to - from);
      if (data && shape.length === 1) data = data.slice(from, to);
    });
    return { shape, data };
  }

  total(): number {
    return Object.values(this.byOperator).reduce((n, v) => n + v, 0);
  }
}

/** FLOPs of one run of the ONNX model `bytes` (named `name` in messages) on a `height`×`width` image. */
export function countModelFlops(bytes: Uint8Array, height: number, width: number, name = 'the model'): ModelFlops {
  const model = ModelProto.toObject(ModelProto.decode(bytes), { longs: Number }) as { graph?: GraphInfo };
  if (!model.graph) throw new MendError('model_invalid', `cannot count the FLOPs of ${name}: it has no graph`);
  const counter = new FlopCounter(name, model.graph, height, width);
  return { flops: counter.total(), byOperator: counter.byOperator };
}
