import { ModelProto } from './onnx-schema';

/**
 * Static int8 quantization of an fp32 ONNX model in QDQ form: QuantizeLinear/DequantizeLinear pairs that
 * onnxruntime's graph optimizer fuses into QLinearConv. Pure: bytes and activation ranges in, bytes out;
 * the ranges come from a calibration run of `withTensorOutputs`'s model (catalog/int8-variant.ts).
 *
 * - Weights: int8, symmetric (zero point 0), one scale per output channel: a channel's largest magnitude
 *   maps to 127, so channels of small weights keep their resolution.
 * - Activations: uint8, asymmetric, one scale and zero point per tensor, from its calibrated range
 *   (widened to hold 0, which must be exact: zero padding and ReLU-like tails produce it).
 * - Biases: int32 at the scale input scale × weight scale, as QLinearConv takes them.
 * - Every quantized conv gets a Q/DQ pair on its input AND its output: onnxruntime fuses a conv into
 *   QLinearConv only when both sides are quantized; with only the input, the conv stays fp32 between a
 *   DequantizeLinear and nothing, and runs as slow as before.
 * - Nothing dead is left: a DequantizeLinear without a consumer made onnxruntime insert layout
 *   Transposes around it, as slow as fp32. Each pair is added only where a quantized conv reads or writes.
 */

/** TensorProto.DataType values this transform writes besides float. */
const INT8 = 3;
const UINT8 = 2;
const INT32 = 6;
const FLOAT = 1;

/** Inclusive ranges of the quantized types. */
const INT8_MAX = 127;
const INT8_7BIT_MAX = 63;
const UINT8_MAX = 255;
/** Where symmetric uint8 weights keep their 0. */
const UINT8_ZERO = 128;

export interface TensorRange {
  min: number;
  max: number;
}

/**
 * How weights are stored. 'int8': full range ±127. 'int8-7bit': ±63 — x86 CPUs without VNNI multiply
 * uint8 × int8 pairs into 16-bit sums that saturate past 32767 (2·255·127 = 64770 does; 2·255·63 = 32130
 * does not), which wrecked outputs (a single 3×3 conv at 22 dB against fp32). 'uint8': zero point 128,
 * ±127, run by onnxruntime's u8u8 kernels, which widen to 16 bits before multiplying and never saturate.
 */
export type WeightFormat = 'int8' | 'int8-7bit' | 'uint8';

export interface QuantizeOptions {
  /** 'int8-7bit' when absent: correct on every x86 CPU. */
  weights?: WeightFormat;
  /**
   * Convs left in fp32, by their position among the model's convs (0 the first; negative counts from
   * the end, -1 the last): mixed precision for the layers quantization hurts most.
   */
  fp32Convs?: readonly number[];
}

interface Tensor {
  name: string;
  dims: number[];
  dataType: number;
  rawData: Uint8Array;
}

interface Attribute {
  name: string;
  type: number;
  i?: number;
}

interface Node {
  input: string[];
  output: string[];
  name: string;
  opType: string;
  attribute: Attribute[];
  domain?: string;
}

interface ValueInfo {
  name: string;
  type?: { tensorType?: { elemType?: number; shape?: unknown } };
}

interface Graph {
  node: Node[];
  initializer: Tensor[];
  input: ValueInfo[];
  output: ValueInfo[];
  name?: string;
}

interface Model {
  graph: Graph;
  [field: string]: unknown;
}

function decode(bytes: Uint8Array): Model {
  const model = ModelProto.toObject(ModelProto.decode(bytes), { longs: Number, defaults: false, arrays: true }) as Model;
  for (const n of model.graph.node) {
    n.input ??= [];
    n.output ??= [];
    n.attribute ??= [];
  }
  model.graph.initializer ??= [];
  return model;
}

function encode(model: Model): Uint8Array {
  return ModelProto.encode(ModelProto.fromObject(model)).finish();
}

/** A float initializer's values; its raw bytes may sit at any offset of a shared buffer (a Buffer's slice is a view), so they are copied. */
function floats(tensor: Tensor): Float32Array {
  if (tensor.dataType !== FLOAT) throw new Error(`${tensor.name}: only float initializers are quantized, not data type ${tensor.dataType}`);
  const copy = new Uint8Array(tensor.rawData.byteLength);
  copy.set(tensor.rawData);
  return new Float32Array(copy.buffer);
}

function tensor(name: string, dataType: number, dims: number[], data: Float32Array | Int32Array | Int8Array | Uint8Array): Tensor {
  return { name, dims, dataType, rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

/** The model's convs in graph order, with the fp32 ones of `fp32Convs` marked. */
function convsOf(graph: Graph, fp32Convs: readonly number[]): { convs: Node[]; quantized: Set<Node> } {
  const convs = graph.node.filter((n) => n.opType === 'Conv');
  const kept = new Set(fp32Convs.map((i) => (i < 0 ? convs.length + i : i)));
  return { convs, quantized: new Set(convs.filter((_, i) => !kept.has(i))) };
}

/** The activation tensors whose ranges quantization needs: every input and output of a quantized conv. */
export function tensorsToCalibrate(bytes: Uint8Array, options: QuantizeOptions = {}): string[] {
  const { graph } = decode(bytes);
  const { quantized } = convsOf(graph, options.fp32Convs ?? []);
  const names = new Set<string>();
  for (const conv of quantized) {
    names.add(conv.input[0]);
    names.add(conv.output[0]);
  }
  return [...names];
}

/**
 * The model with `names` as further graph outputs, for a calibration run that reads every activation
 * the quantization needs at once. Their shapes are left to onnxruntime.
 */
export function withTensorOutputs(bytes: Uint8Array, names: readonly string[]): Uint8Array {
  const model = decode(bytes);
  const existing = new Set(model.graph.output.map((o) => o.name));
  for (const name of names) if (!existing.has(name)) model.graph.output.push({ name, type: { tensorType: { elemType: FLOAT } } });
  return encode(model);
}

/** uint8 scale and zero point of a tensor's range, widened to hold 0 exactly. */
export function activationParams({ min, max }: TensorRange): { scale: number; zeroPoint: number } {
  const lo = Math.min(min, 0);
  const hi = Math.max(max, 0);
  const scale = hi > lo ? (hi - lo) / UINT8_MAX : 1;
  return { scale, zeroPoint: Math.min(UINT8_MAX, Math.max(0, Math.round(-lo / scale))) };
}

/** Per-output-channel symmetric int8 weights of a conv ([O, I, kh, kw]): values in ±`limit` and one scale per channel. */
export function quantizeWeights(weights: Float32Array, outChannels: number, limit = INT8_MAX): { values: Int8Array; scales: Float32Array } {
  const perChannel = weights.length / outChannels;
  const values = new Int8Array(weights.length);
  const scales = new Float32Array(outChannels);
  for (let o = 0; o < outChannels; o++) {
    let largest = 0;
    for (let i = o * perChannel; i < (o + 1) * perChannel; i++) largest = Math.max(largest, Math.abs(weights[i]));
    const scale = largest > 0 ? largest / limit : 1;
    scales[o] = scale;
    for (let i = o * perChannel; i < (o + 1) * perChannel; i++) values[i] = Math.max(-limit, Math.min(limit, Math.round(weights[i] / scale)));
  }
  return { values, scales };
}

/** A conv's weights in `format`: the tensor type, its values and zero points, and the scales. */
function storedWeights(weights: Float32Array, outChannels: number, format: WeightFormat) {
  const { values, scales } = quantizeWeights(weights, outChannels, format === 'int8-7bit' ? INT8_7BIT_MAX : INT8_MAX);
  if (format !== 'uint8') return { dataType: INT8, values, zeroPoints: new Int8Array(outChannels), scales };
  return { dataType: UINT8, values: Uint8Array.from(values, (v) => v + UINT8_ZERO), zeroPoints: new Uint8Array(outChannels).fill(UINT8_ZERO), scales };
}

/**
 * The QDQ int8 model of `bytes`: see the module's comment. `ranges` must hold every tensor of
 * `tensorsToCalibrate(bytes, options)`.
 */
export function quantizeInt8(bytes: Uint8Array, ranges: ReadonlyMap<string, TensorRange>, options: QuantizeOptions = {}): Uint8Array {
  const model = decode(bytes);
  const { graph } = model;
  const { quantized } = convsOf(graph, options.fp32Convs ?? []);
  const initializers = new Map(graph.initializer.map((t) => [t.name, t]));
  const added: Tensor[] = [];
  const used = new Set<string>([...graph.node.flatMap((n) => [...n.input, ...n.output]), ...initializers.keys(), ...graph.input.map((i) => i.name)]);
  const fresh = (base: string) => {
    let name = base;
    for (let k = 1; used.has(name); k++) name = `${base}_${k}`;
    used.add(name);
    return name;
  };

  const paramsOf = new Map<string, { scale: string; zeroPoint: string; value: { scale: number; zeroPoint: number } }>();
  const activation = (name: string) => {
    let params = paramsOf.get(name);
    if (!params) {
      const range = ranges.get(name);
      if (!range) throw new Error(`no calibrated range for ${name}`);
      const value = activationParams(range);
      const scale = fresh(`${name}_scale`);
      const zeroPoint = fresh(`${name}_zero_point`);
      added.push(tensor(scale, FLOAT, [], new Float32Array([value.scale])), tensor(zeroPoint, UINT8, [], new Uint8Array([value.zeroPoint])));
      params = { scale, zeroPoint, value };
      paramsOf.set(name, params);
    }
    return params;
  };
  const qdq = (from: string, to: string): Node[] => {
    const { scale, zeroPoint } = activation(from);
    const q = fresh(`${from}_quantized`);
    return [
      { opType: 'QuantizeLinear', input: [from, scale, zeroPoint], output: [q], name: fresh(`${from}_QuantizeLinear`), attribute: [] },
      { opType: 'DequantizeLinear', input: [q, scale, zeroPoint], output: [to], name: fresh(`${from}_DequantizeLinear`), attribute: [] },
    ];
  };

  // Conv outputs: the conv writes a new name, and the pair gives every consumer the original name back,
  // so that the conv's only consumer is its QuantizeLinear (what the fusion needs).
  const producedByQuantizedConv = new Set([...quantized].map((c) => c.output[0]));
  // Other inputs of quantized convs (the graph input, concatenations, elementwise results): a pair
  // after them, read by the quantized convs only; other consumers keep the fp32 tensor.
  const dequantizedInput = new Map<string, string>();
  for (const conv of quantized) {
    const x = conv.input[0];
    if (!producedByQuantizedConv.has(x) && !dequantizedInput.has(x)) dequantizedInput.set(x, fresh(`${x}_dequantized`));
  }
  const pairsAfter = (name: string): Node[] => {
    if (producedByQuantizedConv.has(name)) return [];
    const to = dequantizedInput.get(name);
    return to ? qdq(name, to) : [];
  };

  const nodes: Node[] = graph.input.flatMap((i) => pairsAfter(i.name));
  const deadInitializers = new Set<string>();
  for (const node of graph.node) {
    if (!quantized.has(node)) {
      nodes.push(node);
      for (const out of node.output) nodes.push(...pairsAfter(out));
      continue;
    }
    const [x, w, b] = node.input;
    const weight = initializers.get(w);
    if (!weight) throw new Error(`${node.name}: its weights are not an initializer`);
    const outChannels = weight.dims[0];
    const { dataType, values, zeroPoints, scales } = storedWeights(floats(weight), outChannels, options.weights ?? 'int8-7bit');
    const weightQ = fresh(`${w}_quantized`);
    const weightScale = fresh(`${w}_scale`);
    const weightZero = fresh(`${w}_zero_point`);
    const weightDq = fresh(`${w}_dequantized`);
    added.push(tensor(weightQ, dataType, weight.dims, values), tensor(weightScale, FLOAT, [outChannels], scales), tensor(weightZero, dataType, [outChannels], zeroPoints));
    deadInitializers.add(w);
    nodes.push({
      opType: 'DequantizeLinear',
      input: [weightQ, weightScale, weightZero],
      output: [weightDq],
      name: fresh(`${w}_DequantizeLinear`),
      attribute: [{ name: 'axis', type: 2, i: 0 }],
    });
    const inputs = [dequantizedInput.get(x) ?? x, weightDq];
    if (b) {
      const bias = initializers.get(b);
      if (!bias) throw new Error(`${node.name}: its bias is not an initializer`);
      const inputScale = activation(x).value.scale;
      const biasScales = Float32Array.from(scales, (s) => s * inputScale);
      const biasValues = Int32Array.from(floats(bias), (v, o) => Math.round(v / biasScales[o]));
      const biasQ = fresh(`${b}_quantized`);
      const biasScale = fresh(`${b}_scale`);
      const biasZero = fresh(`${b}_zero_point`);
      const biasDq = fresh(`${b}_dequantized`);
      added.push(
        tensor(biasQ, INT32, bias.dims, biasValues),
        tensor(biasScale, FLOAT, [outChannels], biasScales),
        tensor(biasZero, INT32, [outChannels], new Int32Array(outChannels)),
      );
      deadInitializers.add(b);
      nodes.push({
        opType: 'DequantizeLinear',
        input: [biasQ, biasScale, biasZero],
        output: [biasDq],
        name: fresh(`${b}_DequantizeLinear`),
        attribute: [{ name: 'axis', type: 2, i: 0 }],
      });
      inputs.push(biasDq);
    }
    const y = node.output[0];
    const raw = fresh(`${y}_fp32`);
    // The calibrated range is the conv's output's, under its original name.
    paramsOf.set(raw, activation(y));
    nodes.push({ ...node, input: inputs, output: [raw] }, ...qdq(raw, y));
  }

  // Weights and biases now live as int8/int32 initializers; fp32 ones still read elsewhere stay.
  const stillRead = new Set(nodes.flatMap((n) => n.input));
  graph.initializer = [...graph.initializer.filter((t) => !deadInitializers.has(t.name) || stillRead.has(t.name)), ...added];
  graph.node = nodes;
  return encode(model);
}
