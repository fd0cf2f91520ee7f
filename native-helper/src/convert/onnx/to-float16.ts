import { MendError } from '../../errors';
import { AttributeType, DataType, ModelProto } from './onnx-schema';

/** TensorProto.DataType FLOAT16 (onnx.proto). */
const FLOAT16 = 10;

/**
 * Inputs that ONNX types as float32 whatever the graph's precision (Resize's `roi` and `scales`, Upsample's
 * `scales`): an initializer feeding one of these stays float32.
 */
const FLOAT32_INPUTS: Record<string, readonly number[]> = { Resize: [1, 2], Upsample: [1] };

/** float32 → IEEE binary16 bits, rounded to nearest even; overflow goes to ±infinity, NaN stays NaN. */
export function float16Bits(value: number): number {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0];
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const unbiased = exponent - 127;
  if (unbiased > 15) return sign | 0x7c00;
  if (unbiased >= -14) {
    // Normal half: 10 mantissa bits kept, the 13 dropped rounded to nearest even (a carry may raise the exponent, up to infinity).
    const half = ((unbiased + 15) << 10) | (mantissa >>> 13);
    const dropped = mantissa & 0x1fff;
    const roundUp = dropped > 0x1000 || (dropped === 0x1000 && (half & 1) === 1);
    return sign | (half + (roundUp ? 1 : 0));
  }
  if (unbiased < -25) return sign;
  // Subnormal half: the implicit 1 joins the mantissa, shifted right by how far under 2^-14 the value is.
  const full = mantissa | 0x800000;
  const shift = -unbiased - 14 + 13;
  const half = full >>> shift;
  const dropped = full & ((1 << shift) - 1);
  const midpoint = 1 << (shift - 1);
  const roundUp = dropped > midpoint || (dropped === midpoint && (half & 1) === 1);
  return sign | (half + (roundUp ? 1 : 0));
}

/** IEEE binary16 bits → the number they stand for. */
export function float16Value(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

interface Tensor {
  dims?: number[];
  dataType?: number;
  name?: string;
  rawData?: Uint8Array;
}

/** A float32 tensor's raw little-endian bytes as float16 bytes. */
function halfTensor(tensor: Tensor): Tensor {
  const raw = tensor.rawData ?? new Uint8Array(0);
  const floats = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const count = raw.byteLength / 4;
  const out = new Uint8Array(count * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < count; i++) view.setUint16(i * 2, float16Bits(floats.getFloat32(i * 4, true)), true);
  return { ...tensor, dataType: FLOAT16, rawData: out };
}

interface Attribute {
  name?: string;
  type?: number;
  i?: number;
  t?: Tensor;
  [key: string]: unknown;
}
interface Node {
  input?: string[];
  output?: string[];
  name?: string;
  opType?: string;
  domain?: string;
  attribute?: Attribute[];
}
interface ValueInfo {
  name?: string;
  type?: { tensorType?: { elemType?: number; shape?: unknown } };
}
interface Graph {
  node?: Node[];
  initializer?: Tensor[];
  input?: ValueInfo[];
  output?: ValueInfo[];
  [key: string]: unknown;
}

/**
 * An fp16 variant of a float32 model, for GPU providers with half-precision shaders (WebGPU's `shader-f16`):
 * float32 initializers and Constant tensors become float16, Casts to float become Casts to float16, and
 * the graph's float32 inputs and outputs stay float32 behind a Cast each, so callers feed and read the same
 * tensors as before. Only models whose initializers hold `rawData` are converted (every model Mend's
 * converters write); other layouts are refused rather than dropped.
 */
export function toFloat16(model: Uint8Array): Uint8Array {
  const decoded = ModelProto.toObject(ModelProto.decode(model), { longs: Number, bytes: Uint8Array }) as { graph?: Graph; [key: string]: unknown };
  const graph = decoded.graph;
  if (!graph) throw new MendError('model_invalid', 'the model has no graph');
  const nodes = graph.node ?? [];

  const keepFloat32 = new Set<string>();
  for (const node of nodes) for (const index of FLOAT32_INPUTS[node.opType ?? ''] ?? []) if (node.input?.[index]) keepFloat32.add(node.input[index]);

  const initializer = (graph.initializer ?? []).map((tensor) => {
    if (tensor.dataType !== DataType.float32 || keepFloat32.has(tensor.name ?? '')) return tensor;
    if (!tensor.rawData) throw new MendError('model_invalid', `initializer ${tensor.name} keeps its floats outside raw_data; Mend converts only models its converters wrote`);
    return halfTensor(tensor);
  });

  const converted: Node[] = nodes.map((node) => ({
    ...node,
    attribute: (node.attribute ?? []).map((a) => {
      if (node.opType === 'Cast' && a.name === 'to' && a.i === DataType.float32) return { ...a, i: FLOAT16 };
      const feedsFloat32 = node.output?.some((o) => keepFloat32.has(o));
      if (a.type === AttributeType.TENSOR && a.t?.dataType === DataType.float32 && !feedsFloat32) {
        if (!a.t.rawData) throw new MendError('model_invalid', `node ${node.name}'s tensor keeps its floats outside raw_data`);
        return { ...a, t: halfTensor(a.t) };
      }
      return a;
    }),
  }));

  const isFloat = (v: ValueInfo) => v.type?.tensorType?.elemType === DataType.float32;
  const rename = new Map<string, string>();
  const casts: Node[] = [];
  for (const input of (graph.input ?? []).filter(isFloat)) {
    const name = input.name ?? '';
    rename.set(name, `${name}__fp16`);
    casts.push({ input: [name], output: [`${name}__fp16`], name: `${name}__to_fp16`, opType: 'Cast', attribute: [{ name: 'to', type: AttributeType.INT, i: FLOAT16 }] });
  }
  for (const node of converted) node.input = (node.input ?? []).map((name) => (keepFloat32.has(name) ? name : (rename.get(name) ?? name)));

  const outputCasts: Node[] = [];
  for (const output of (graph.output ?? []).filter(isFloat)) {
    const name = output.name ?? '';
    const half = `${name}__fp16`;
    for (const node of converted) {
      node.output = (node.output ?? []).map((o) => (o === name ? half : o));
      node.input = (node.input ?? []).map((i) => (i === name ? half : i));
    }
    outputCasts.push({ input: [half], output: [name], name: `${name}__to_fp32`, opType: 'Cast', attribute: [{ name: 'to', type: AttributeType.INT, i: DataType.float32 }] });
  }

  const message = ModelProto.fromObject({ ...decoded, graph: { ...graph, initializer, node: [...casts, ...converted, ...outputCasts] } });
  return ModelProto.encode(message).finish();
}
