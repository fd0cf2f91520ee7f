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
  /**
   * What is quantized. 'convs' (the default): only the convs, with a pair on each one's input and output.
   * 'graph': also every output of the ops onnxruntime's CPU provider runs in int8 from a QDQ pattern
   * (LeakyRelu, Relu, Concat, Add, Mul, Resize; see GRAPH_OPS), so that int8 tensors flow from conv to conv. On
   * x86 onnxruntime runs QLinearConv in NHWC; with fp32 neighbours in NCHW it wraps every conv in a pair of
   * Transposes, which cost what int8 saved (realesrgan-x4plus: 349 convs, 698 Transposes).
   */
  scope?: 'convs' | 'graph';
}

/**
 * Ops whose Q → op → DQ onnxruntime 1.30's CPU provider fuses (qdq_selector_action_transformer.cc):
 * LeakyRelu → QLinearLeakyRelu, Add and Mul → QLinearAdd and QLinearMul (a constant operand quantized too), Concat → QLinearConcat (com.microsoft), Resize runs on
 * uint8 with the pair dropped when both sides share scale and zero point, Relu folds into the Q before it.
 */
const GRAPH_OPS = new Set(['Conv', 'LeakyRelu', 'Relu', 'Concat', 'Add', 'Mul', 'Resize']);
/** Ops whose output keeps its input's scale and zero point: what the dropped pair of a Resize needs. */
const RANGE_KEEPING_OPS = new Set(['Resize']);

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

/** One float initializer's values, or undefined when `name` is no single float constant. */
function scalarOf(initializers: ReadonlyMap<string, Tensor>, name: string): number | undefined {
  const t = initializers.get(name);
  return t && t.dataType === FLOAT && t.rawData.byteLength === 4 ? floats(t)[0] : undefined;
}

/**
 * Folds `Mul(conv, c)` with a scalar constant c into the conv's weights and bias (RRDB's residual
 * scaling by 0.2): the product is the same function, and one op fewer to quantize or to run in fp32
 * between int8 ops. Only where the conv's output feeds that Mul alone and its constants are its own.
 */
function foldScalarMuls(graph: Graph): void {
  const initializers = new Map(graph.initializer.map((t) => [t.name, t]));
  const consumers = new Map<string, number>();
  for (const n of graph.node) for (const i of n.input) consumers.set(i, (consumers.get(i) ?? 0) + 1);
  const producer = new Map(graph.node.flatMap((n) => n.output.map((o) => [o, n] as const)));
  const outputs = new Set(graph.output.map((o) => o.name));
  const removed = new Set<Node>();
  for (const mul of graph.node) {
    if (mul.opType !== 'Mul' || mul.input.length !== 2) continue;
    const [a, b] = mul.input;
    const [x, c] = scalarOf(initializers, b) !== undefined ? [a, b] : [b, a];
    const factor = scalarOf(initializers, c);
    const conv = producer.get(x);
    if (factor === undefined || !conv || conv.opType !== 'Conv' || consumers.get(x) !== 1 || outputs.has(x)) continue;
    const constants = conv.input.slice(1);
    if (constants.some((name) => !initializers.has(name) || consumers.get(name) !== 1)) continue;
    for (const name of constants) {
      const t = initializers.get(name) as Tensor;
      const scaled = Float32Array.from(floats(t), (v) => v * factor);
      Object.assign(t, { rawData: new Uint8Array(scaled.buffer) });
    }
    conv.output = [mul.output[0]];
    removed.add(mul);
  }
  graph.node = graph.node.filter((n) => !removed.has(n));
  const read = new Set(graph.node.flatMap((n) => n.input));
  graph.initializer = graph.initializer.filter((t) => read.has(t.name));
}

/** The model's convs in graph order, with the fp32 ones of `fp32Convs` marked. */
function convsOf(graph: Graph, fp32Convs: readonly number[]): { convs: Node[]; quantized: Set<Node> } {
  const convs = graph.node.filter((n) => n.opType === 'Conv');
  const kept = new Set(fp32Convs.map((i) => (i < 0 ? convs.length + i : i)));
  return { convs, quantized: new Set(convs.filter((_, i) => !kept.has(i))) };
}

/**
 * The tensors given a Q/DQ pair: every input and output of a quantized conv, and with scope 'graph'
 * every output of a GRAPH_OPS node that is not a graph output.
 */
function quantizedTensors(graph: Graph, quantized: ReadonlySet<Node>, scope: QuantizeOptions['scope']): Set<string> {
  const names = new Set<string>();
  for (const conv of quantized) {
    names.add(conv.input[0]);
    names.add(conv.output[0]);
  }
  if (scope === 'graph') {
    const outputs = new Set(graph.output.map((o) => o.name));
    for (const n of graph.node) if (GRAPH_OPS.has(n.opType) && !outputs.has(n.output[0])) names.add(n.output[0]);
  }
  return names;
}

/** The model as quantized: scalar Muls folded into their convs with scope 'graph'. */
function prepared(bytes: Uint8Array, options: QuantizeOptions): Model {
  const model = decode(bytes);
  if (options.scope === 'graph') foldScalarMuls(model.graph);
  return model;
}

/**
 * The activation tensors whose ranges quantization needs. They are tensors of the fp32 model too (a
 * folded Mul's output is its conv's), so a calibration run of that model reads them.
 */
export function tensorsToCalibrate(bytes: Uint8Array, options: QuantizeOptions = {}): string[] {
  const { graph } = prepared(bytes, options);
  return [...quantizedTensors(graph, convsOf(graph, options.fp32Convs ?? []).quantized, options.scope)];
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
  const model = prepared(bytes, options);
  const { graph } = model;
  const { quantized } = convsOf(graph, options.fp32Convs ?? []);
  const toQuantize = quantizedTensors(graph, quantized, options.scope);
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

  const graphInputs = new Set(graph.input.map((i) => i.name));
  // Renamed outputs: the producer writes a new name, and the pair gives every consumer the original name
  // back, so that the producer's only consumer is its QuantizeLinear (what the fusion needs). With scope
  // 'convs' only the quantized convs' outputs: every consumer of theirs reads int8 anyway.
  const renamed = new Set(options.scope === 'graph' ? [...toQuantize].filter((t) => !graphInputs.has(t)) : [...quantized].map((c) => c.output[0]));
  // Other quantized tensors (graph inputs; with scope 'convs' also concatenations and elementwise results
  // read by quantized convs): a pair after them, read by the quantized convs only (every consumer with
  // scope 'graph'); other consumers keep the fp32 tensor, so no DequantizeLinear is left dead.
  const dequantizedInput = new Map<string, string>();
  for (const t of toQuantize) if (!renamed.has(t)) dequantizedInput.set(t, fresh(`${t}_dequantized`));
  const readsDequantized = (node: Node) => options.scope === 'graph' || quantized.has(node);
  const pairsAfter = (name: string): Node[] => {
    const to = dequantizedInput.get(name);
    return to ? qdq(name, to) : [];
  };
  /** `node` writing its renamed outputs, each followed by the pair back to the original name. */
  const withPairs = (node: Node): Node[] => {
    const pairs: Node[] = [];
    const output = node.output.map((y) => {
      if (!renamed.has(y)) return y;
      const raw = fresh(`${y}_fp32`);
      // The calibrated range is the output's, under its original name; a Resize keeps its input's.
      paramsOf.set(raw, activation(RANGE_KEEPING_OPS.has(node.opType) ? node.input[0] : y));
      if (RANGE_KEEPING_OPS.has(node.opType)) paramsOf.set(y, activation(node.input[0]));
      pairs.push(...qdq(raw, y));
      return raw;
    });
    return [{ ...node, output }, ...pairs];
  };

  /**
   * A scalar constant operand of a quantized Add or Mul as uint8 at the extreme of its own range and a
   * DequantizeLinear, so that the op's both inputs come from one (what QLinearAdd/QLinearMul need); it
   * dequantizes to the constant itself.
   */
  const constantNodes: Node[] = [];
  const quantizedConstant = (name: string): string => {
    const value = scalarOf(initializers, name);
    if (value === undefined) return name;
    const q = fresh(`${name}_quantized`);
    const scale = fresh(`${name}_scale`);
    const zeroPoint = fresh(`${name}_zero_point`);
    const dq = fresh(`${name}_dequantized`);
    const magnitude = Math.abs(value) > 0 ? Math.abs(value) : 1;
    added.push(
      tensor(q, UINT8, [], new Uint8Array([value >= 0 ? UINT8_MAX : 0])),
      tensor(scale, FLOAT, [], new Float32Array([magnitude / UINT8_MAX])),
      tensor(zeroPoint, UINT8, [], new Uint8Array([value >= 0 ? 0 : UINT8_MAX])),
    );
    constantNodes.push({ opType: 'DequantizeLinear', input: [q, scale, zeroPoint], output: [dq], name: fresh(`${name}_DequantizeLinear`), attribute: [] });
    return dq;
  };
  if (options.scope === 'graph') for (const node of graph.node) if (node.opType === 'Add' || node.opType === 'Mul') node.input = node.input.map(quantizedConstant);

  const nodes: Node[] = [...constantNodes, ...graph.input.flatMap((i) => pairsAfter(i.name))];
  for (const original of graph.node) {
    const node = readsDequantized(original) ? { ...original, input: original.input.map((i) => dequantizedInput.get(i) ?? i) } : original;
    if (!quantized.has(original)) {
      nodes.push(...withPairs(node));
      for (const out of node.output) nodes.push(...pairsAfter(out));
      continue;
    }
    const [x, w, b] = original.input;
    const weight = initializers.get(w);
    if (!weight) throw new Error(`${node.name}: its weights are not an initializer`);
    const outChannels = weight.dims[0];
    const { dataType, values, zeroPoints, scales } = storedWeights(floats(weight), outChannels, options.weights ?? 'int8-7bit');
    const weightQ = fresh(`${w}_quantized`);
    const weightScale = fresh(`${w}_scale`);
    const weightZero = fresh(`${w}_zero_point`);
    const weightDq = fresh(`${w}_dequantized`);
    added.push(tensor(weightQ, dataType, weight.dims, values), tensor(weightScale, FLOAT, [outChannels], scales), tensor(weightZero, dataType, [outChannels], zeroPoints));
    nodes.push({
      opType: 'DequantizeLinear',
      input: [weightQ, weightScale, weightZero],
      output: [weightDq],
      name: fresh(`${w}_DequantizeLinear`),
      attribute: [{ name: 'axis', type: 2, i: 0 }],
    });
    const inputs = [node.input[0], weightDq];
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
      nodes.push({
        opType: 'DequantizeLinear',
        input: [biasQ, biasScale, biasZero],
        output: [biasDq],
        name: fresh(`${b}_DequantizeLinear`),
        attribute: [{ name: 'axis', type: 2, i: 0 }],
      });
      inputs.push(biasDq);
    }
    nodes.push(...withPairs({ ...node, input: inputs }));
  }

  // Weights, biases and quantized constants now live as int8/int32/uint8 initializers; fp32 ones still read elsewhere stay.
  const stillRead = new Set(nodes.flatMap((n) => n.input));
  graph.initializer = [...graph.initializer.filter((t) => stillRead.has(t.name)), ...added];
  graph.node = nodes;
  return encode(model);
}
