import { AttributeType, DataType, ModelProto, type ElementType } from './onnx-schema';

export type TensorData = Float32Array | Int32Array | BigInt64Array | Uint8Array;

interface TensorMessage {
  name: string;
  dims: number[];
  dataType: number;
  rawData: Uint8Array;
}

interface AttributeMessage {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: TensorMessage;
  g?: GraphMessage;
  floats?: number[];
  ints?: number[];
}

interface ValueInfoMessage {
  name: string;
  type: { tensorType: { elemType: number; shape: { dim: Array<{ dimValue?: number; dimParam?: string }> } } };
}

interface GraphMessage {
  name: string;
  node: Array<{ input: string[]; output: string[]; name: string; opType: string; attribute: AttributeMessage[] }>;
  initializer: TensorMessage[];
  input: ValueInfoMessage[];
  output: ValueInfoMessage[];
}

/** An attribute value whose ONNX type is explicit (a JS number cannot say int or float). */
export type Attribute =
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'ints'; value: readonly number[] }
  | { kind: 'floats'; value: readonly number[] }
  | { kind: 'string'; value: string }
  | { kind: 'tensor'; value: { data: TensorData; dims: readonly number[] } }
  | { kind: 'graph'; value: GraphBuilder };

export const attr = {
  int: (value: number): Attribute => ({ kind: 'int', value }),
  float: (value: number): Attribute => ({ kind: 'float', value }),
  ints: (value: readonly number[]): Attribute => ({ kind: 'ints', value }),
  floats: (value: readonly number[]): Attribute => ({ kind: 'floats', value }),
  string: (value: string): Attribute => ({ kind: 'string', value }),
  tensor: (data: TensorData, dims: readonly number[]): Attribute => ({ kind: 'tensor', value: { data, dims } }),
  graph: (value: GraphBuilder): Attribute => ({ kind: 'graph', value }),
};

function elementTypeOf(data: TensorData): ElementType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof BigInt64Array) return 'int64';
  return 'uint8';
}

function tensorMessage(name: string, data: TensorData, dims: readonly number[]): TensorMessage {
  const count = dims.reduce((n, d) => n * d, 1);
  if (count !== data.length) throw new Error(`tensor ${name}: ${data.length} values do not fill dims [${dims.join(', ')}]`);
  // raw_data is little-endian, as typed arrays are on every platform Mend runs on.
  return { name, dims: [...dims], dataType: DataType[elementTypeOf(data)], rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

function attributeMessage(name: string, a: Attribute): AttributeMessage {
  switch (a.kind) {
    case 'int':
      return { name, type: AttributeType.INT, i: a.value };
    case 'float':
      return { name, type: AttributeType.FLOAT, f: a.value };
    case 'ints':
      return { name, type: AttributeType.INTS, ints: [...a.value] };
    case 'floats':
      return { name, type: AttributeType.FLOATS, floats: [...a.value] };
    case 'string':
      return { name, type: AttributeType.STRING, s: new TextEncoder().encode(a.value) };
    case 'tensor':
      return { name, type: AttributeType.TENSOR, t: tensorMessage(name, a.value.data, a.value.dims) };
    case 'graph':
      return { name, type: AttributeType.GRAPH, g: a.value.toGraph() };
  }
}

/** Dimensions: a number is fixed, a string names a dimension chosen at run time (e.g. 'H'). */
export type Dim = number | string;

function valueInfo(name: string, type: ElementType, dims: readonly Dim[] | undefined): ValueInfoMessage {
  return {
    name,
    type: {
      tensorType: {
        elemType: DataType[type],
        shape: { dim: (dims ?? []).map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

/**
 * Builds an ONNX graph in the order nodes are added, and serializes it deterministically:
 * the same calls give the same bytes, so a model's sha256 can be pinned in its manifest.
 *
 *   const g = new GraphBuilder('net');
 *   g.input('input', 'float32', [1, 3, 'H', 'W']);
 *   const w = g.initializer('w', weights, [3, 3, 3, 3]);
 *   g.node('Conv', ['input', w], ['output'], { pads: attr.ints([1, 1, 1, 1]) });
 *   g.output('output', 'float32', [1, 3, 'H', 'W']);
 *   const bytes = g.toModel();
 */
export class GraphBuilder {
  private readonly nodes: GraphMessage['node'] = [];
  private readonly initializers: TensorMessage[] = [];
  private readonly inputs: ValueInfoMessage[] = [];
  private readonly outputs: ValueInfoMessage[] = [];
  private readonly used = new Set<string>();
  private counter = 0;

  /**
   * `namePrefix` starts every generated name: a subgraph (a Loop body) shares one namespace with
   * its parent graph, so its builder needs a prefix of its own.
   */
  constructor(
    readonly name: string,
    private readonly namePrefix = '',
  ) {}

  /** A name not used yet in this graph, built from `prefix`. */
  fresh(prefix: string): string {
    prefix = `${this.namePrefix}${prefix}`;
    let name = prefix;
    while (this.used.has(name)) name = `${prefix}_${++this.counter}`;
    this.used.add(name);
    return name;
  }

  input(name: string, type: ElementType, dims?: readonly Dim[]): string {
    this.used.add(name);
    this.inputs.push(valueInfo(name, type, dims));
    return name;
  }

  /** Declares a graph output; `dims` may be left out where ONNX infers them (e.g. Loop bodies). */
  output(name: string, type: ElementType, dims?: readonly Dim[]): string {
    this.outputs.push(valueInfo(name, type, dims));
    return name;
  }

  /** Adds a constant tensor; returns its (possibly uniquified) name. */
  initializer(name: string, data: TensorData, dims: readonly number[]): string {
    const unique = this.fresh(name);
    this.initializers.push(tensorMessage(unique, data, dims));
    return unique;
  }

  /** Adds a node; with `outputs` a number, fresh names are made from the op type and returned. */
  node(opType: string, inputs: readonly string[], outputs: readonly string[] | number = 1, attributes: Record<string, Attribute> = {}): string[] {
    const names = typeof outputs === 'number' ? Array.from({ length: outputs }, () => this.fresh(opType.toLowerCase())) : [...outputs];
    names.forEach((n) => this.used.add(n));
    this.nodes.push({
      input: [...inputs],
      output: names,
      name: this.fresh(`${opType}_node`),
      opType,
      attribute: Object.keys(attributes)
        .sort()
        .map((k) => attributeMessage(k, attributes[k])),
    });
    return names;
  }

  /** Adds a single-output node and returns that output's name. */
  op(opType: string, inputs: readonly string[], attributes: Record<string, Attribute> = {}): string {
    return this.node(opType, inputs, 1, attributes)[0];
  }

  /** Nearest-neighbour upscaling by whole factors: output pixel (y, x) repeats input (⌊y/sh⌋, ⌊x/sw⌋). */
  nearestUpscale(x: string, sh: number, sw: number): string {
    const roi = this.initializer('roi', new Float32Array(0), [0]);
    const scales = this.initializer('scales', new Float32Array([1, 1, sh, sw]), [4]);
    return this.op('Resize', [x, roi, scales], {
      mode: attr.string('nearest'),
      coordinate_transformation_mode: attr.string('asymmetric'),
      nearest_mode: attr.string('floor'),
    });
  }

  toGraph(): GraphMessage {
    return { name: this.name, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs };
  }

  /** Serializes the graph as an ONNX model of the default domain at `opset`. */
  toModel(opset = 17, producer = 'mend'): Uint8Array {
    const message = ModelProto.fromObject({
      irVersion: 8,
      producerName: producer,
      graph: this.toGraph(),
      opsetImport: [{ domain: '', version: opset }],
    });
    return ModelProto.encode(message).finish();
  }
}
