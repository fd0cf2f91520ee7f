import { MendError } from '../../errors';
import { GraphBuilder, attr, type Attribute } from '../onnx';
import { DataType } from '../onnx/onnx-schema';
import { hostDtype, transpose } from './constant-ops';
import { planEinsumAsMatMul } from './einsum';
import { nodeAttr, readGraphModel, type GraphModel, type GraphNode } from './graph-model';
import { valuesOf, type HostTensor } from './host-tensor';
import { specialize, type SpecializedGraph } from './specialize';

export const GRAPH_INPUT = 'input';
export const GRAPH_OUTPUT = 'output';

/** The fixed size a converted model runs at: TF.js graph models are specialized to one tile shape. */
export interface TileShape {
  height: number;
  width: number;
}

const NHWC_TO_NCHW = [0, 3, 1, 2];
const NCHW_TO_NHWC = [0, 2, 3, 1];
// Slice bounds meaning "to the end" in either direction.
const INT64_MAX = 2 ** 62;

const UNARY: Record<string, string> = {
  Neg: 'Neg',
  Abs: 'Abs',
  Exp: 'Exp',
  Tanh: 'Tanh',
  Reciprocal: 'Reciprocal',
  Floor: 'Floor',
  Sign: 'Sign',
  Relu: 'Relu',
  Sigmoid: 'Sigmoid',
};
const BINARY: Record<string, string> = {
  AddV2: 'Add',
  Add: 'Add',
  Sub: 'Sub',
  Mul: 'Mul',
  RealDiv: 'Div',
  Maximum: 'Max',
  Minimum: 'Min',
  Greater: 'Greater',
  GreaterEqual: 'GreaterOrEqual',
  Less: 'Less',
  LessEqual: 'LessOrEqual',
  Equal: 'Equal',
  LogicalAnd: 'And',
};

/**
 * Writes the nodes of a specialized graph as ONNX, keeping TF's NHWC layout: only the convolutions
 * are wrapped in transposes to NCHW. Converting the whole graph to NCHW would mean re-deriving every
 * reshape, reduction axis and Einsum of jax2tf's output; keeping NHWC keeps each op's meaning exact,
 * and onnxruntime's transpose optimizer removes about half of the transposes (MAXIM deblurring at
 * 64²: 1552 → 723) before its NCHWc transformer takes over the convolutions.
 */
class OnnxWriter {
  private readonly values = new Map<string, string>();
  private readonly initializers = new Map<string, string>();

  constructor(
    private readonly g: GraphBuilder,
    private readonly graph: SpecializedGraph,
  ) {}

  private constant(name: string): HostTensor | undefined {
    return this.graph.constants.get(name);
  }

  private known(node: GraphNode, index: number): HostTensor {
    const value = this.constant(node.inputs[index]);
    if (!value)
      throw new MendError(
        'model_invalid',
        `node ${node.name} (${node.op}): input ${index + 1} (${node.inputs[index]}) depends on the image, but Mend converts it only when it is a constant`,
      );
    return value;
  }

  private knownInts(node: GraphNode, index: number): number[] {
    return valuesOf(this.known(node, index));
  }

  private int64(values: readonly number[], name = 'ints'): string {
    return this.g.initializer(name, BigInt64Array.from(values.map(BigInt)), [values.length]);
  }

  /** The ONNX name of a TF tensor; constants become initializers the first time they are read. */
  private input(name: string): string {
    const value = this.values.get(name) ?? this.initializers.get(name);
    if (value) return value;
    const tensor = this.constant(name);
    if (!tensor) throw new MendError('model_invalid', `${name} is read before it is computed`);
    let onnxName: string;
    if (tensor.dtype === 'bool') {
      // The ONNX writer stores bytes as uint8, so booleans are cast once on load.
      onnxName = this.g.op('Cast', [this.g.initializer('mask', new Uint8Array(tensor.data), tensor.shape)], { to: attr.int(DataType.bool) });
    } else {
      onnxName = this.g.initializer('c', tensor.data as Float32Array | Int32Array, tensor.shape);
    }
    this.initializers.set(name, onnxName);
    return onnxName;
  }

  private transposed(x: string, perm: readonly number[] | undefined): string {
    return perm ? this.g.op('Transpose', [x], { perm: attr.ints(perm) }) : x;
  }

  private conv2d(node: GraphNode, bias?: string): string {
    const x = this.transposed(this.input(node.inputs[0]), NHWC_TO_NCHW);
    return this.transposed(this.g.op('Conv', [x, this.filter(node, 1), ...(bias ? [bias] : [])], this.convAttributes(node, 1)), NCHW_TO_NHWC);
  }

  /**
   * tfjs-converter's fused convolution: Conv2D, then its `fused_ops` in order, BiasAdd (ONNX's Conv
   * bias) and at most one activation, reading the extra arguments after the filter: the bias, then PReLU's slopes.
   */
  private fusedConv2d(node: GraphNode): string {
    const fusedOps = nodeAttr.strings(node, 'fused_ops');
    const [first, activation, ...rest] = fusedOps;
    if (first !== 'BiasAdd' || rest.length > 0 || nodeAttr.int(node, 'num_args') !== node.inputs.length - 2)
      throw new MendError('model_invalid', `node ${node.name} (${node.op}) fuses ${fusedOps.join(', ')}; Mend converts BiasAdd with at most one activation`);
    const convolved = this.conv2d(node, this.input(node.inputs[2]));
    switch (activation) {
      case undefined:
        return convolved;
      case 'Relu':
        return this.g.op('Relu', [convolved]);
      case 'Prelu':
        return this.g.op('PRelu', [convolved, this.input(node.inputs[3])]);
      default:
        throw new MendError('model_invalid', `node ${node.name} (${node.op}) fuses the activation ${activation}, which Mend cannot convert yet`);
    }
  }

  /**
   * A depthwise convolution is ONNX's grouped Conv with one group per input channel. TF's filter is
   * [kh, kw, channels, multiplier] and output channel c·multiplier + m reads input channel c, which is
   * ONNX's order for [channels·multiplier, 1, kh, kw].
   */
  private depthwiseConv2d(node: GraphNode): string {
    const filter = this.known(node, 1);
    const [kh, kw, channels, multiplier] = filter.shape;
    const laidOut = transpose(filter, [2, 3, 0, 1]);
    const weights = this.g.initializer('filter', laidOut.data as Float32Array, [channels * multiplier, 1, kh, kw]);
    const x = this.transposed(this.input(node.inputs[0]), NHWC_TO_NCHW);
    return this.transposed(this.g.op('Conv', [x, weights], { ...this.convAttributes(node, 1), group: attr.int(channels) }), NCHW_TO_NHWC);
  }

  private pool(node: GraphNode, op: 'MaxPool'): string {
    const ksize = nodeAttr.ints(node, 'ksize');
    const strides = nodeAttr.ints(node, 'strides');
    if (ksize[0] !== 1 || ksize[3] !== 1 || strides[0] !== 1 || strides[3] !== 1)
      throw new MendError('model_invalid', `node ${node.name} (${node.op}) pools across the batch or channels; Mend converts spatial pooling`);
    const x = this.transposed(this.input(node.inputs[0]), NHWC_TO_NCHW);
    const attributes = { kernel_shape: attr.ints([ksize[1], ksize[2]]), strides: attr.ints([strides[1], strides[2]]), ...this.padding(node) };
    return this.transposed(this.g.op(op, [x], attributes), NCHW_TO_NHWC);
  }

  /** TF's paddings are [rank, 2] (before, after) pairs; ONNX wants every axis's before, then every axis's after. */
  private pad(node: GraphNode): string {
    const pairs = this.knownInts(node, 1);
    const before = pairs.filter((_v, i) => i % 2 === 0);
    const after = pairs.filter((_v, i) => i % 2 === 1);
    return this.g.op('Pad', [this.input(node.inputs[0]), this.int64([...before, ...after], 'pads')]);
  }

  /** TF's Conv2DBackpropInput (what jax2tf writes for a transposed convolution) is ONNX's ConvTranspose. */
  private conv2dBackpropInput(node: GraphNode): string {
    const [, outHeight, outWidth] = this.knownInts(node, 0);
    const x = this.transposed(this.input(node.inputs[2]), NHWC_TO_NCHW);
    const attributes = { ...this.convAttributes(node, 1), output_shape: attr.ints([outHeight, outWidth]) };
    return this.transposed(this.g.op('ConvTranspose', [x, this.filter(node, 1)], attributes), NCHW_TO_NHWC);
  }

  /**
   * TF filters are [kh, kw, a, b] with b the output channels of Conv2D and the input channels of
   * Conv2DBackpropInput; ONNX wants [b, a, kh, kw] for both Conv and ConvTranspose.
   */
  private filter(node: GraphNode, index: number): string {
    const weights = transpose(this.known(node, index), [3, 2, 0, 1]);
    return this.g.initializer('filter', weights.data as Float32Array, weights.shape);
  }

  private convAttributes(node: GraphNode, filterIndex: number): Record<string, Attribute> {
    if (node.attr.data_format && nodeAttr.string(node, 'data_format') !== 'NHWC')
      throw new MendError('model_invalid', `node ${node.name} (${node.op}) is laid out ${nodeAttr.string(node, 'data_format')}; Mend converts NHWC convolutions`);
    const [kh, kw] = this.known(node, filterIndex).shape;
    const strides = nodeAttr.ints(node, 'strides');
    const dilations = nodeAttr.ints(node, 'dilations');
    return {
      kernel_shape: attr.ints([kh, kw]),
      strides: attr.ints([strides[1], strides[2]]),
      dilations: attr.ints([dilations[1], dilations[2]]),
      ...this.padding(node),
    };
  }

  private padding(node: GraphNode): Record<string, Attribute> {
    const padding = nodeAttr.string(node, 'padding');
    // TF's SAME puts the odd pixel of padding at the end, as ONNX's SAME_UPPER does.
    if (padding === 'SAME') return { auto_pad: attr.string('SAME_UPPER') };
    if (padding === 'VALID') return {};
    throw new MendError('model_invalid', `node ${node.name} (${node.op}) uses ${padding} padding; Mend converts SAME and VALID`);
  }

  private einsum(node: GraphNode): string {
    const equation = nodeAttr.string(node, 'equation');
    const plan = planEinsumAsMatMul(equation, `node ${node.name}`);
    const matrixName = node.inputs[plan.matrixOperand];
    const matrixConstant = this.constant(matrixName);
    let matrix: string;
    if (matrixConstant && plan.transposeMatrix) {
      const laidOut = transpose(matrixConstant, [1, 0]);
      matrix = this.g.initializer('matrix', laidOut.data as Float32Array, laidOut.shape);
    } else {
      matrix = this.transposed(this.input(matrixName), plan.transposeMatrix ? [1, 0] : undefined);
    }
    const tensor = this.transposed(this.input(node.inputs[1 - plan.matrixOperand]), plan.tensorPerm);
    return this.transposed(this.g.op('MatMul', [tensor, matrix]), plan.outputPerm);
  }

  private stridedSlice(node: GraphNode): string {
    if (nodeAttr.int(node, 'ellipsis_mask', 0) || nodeAttr.int(node, 'new_axis_mask', 0))
      throw new MendError('model_invalid', `node ${node.name} (StridedSlice) uses an ellipsis or new-axis mask, which Mend does not convert`);
    const [begin, end, strides] = [1, 2, 3].map((i) => this.knownInts(node, i));
    const beginMask = nodeAttr.int(node, 'begin_mask', 0);
    const endMask = nodeAttr.int(node, 'end_mask', 0);
    const shrinkMask = nodeAttr.int(node, 'shrink_axis_mask', 0);
    const starts: number[] = [];
    const ends: number[] = [];
    const shrunk: number[] = [];
    begin.forEach((b, axis) => {
      const bit = 1 << axis;
      const forward = strides[axis] > 0;
      if (shrinkMask & bit) {
        starts.push(b);
        ends.push(b === -1 ? INT64_MAX : b + 1);
        shrunk.push(axis);
        return;
      }
      starts.push(beginMask & bit ? (forward ? 0 : INT64_MAX) : b);
      ends.push(endMask & bit ? (forward ? INT64_MAX : -INT64_MAX) : end[axis]);
    });
    const axes = begin.map((_b, axis) => axis);
    const sliced = this.g.op('Slice', [this.input(node.inputs[0]), this.int64(starts), this.int64(ends), this.int64(axes), this.int64(strides)]);
    return shrunk.length > 0 ? this.g.op('Squeeze', [sliced, this.int64(shrunk)]) : sliced;
  }

  private write(node: GraphNode): string {
    const g = this.g;
    const x = () => this.input(node.inputs[0]);
    if (UNARY[node.op]) return g.op(UNARY[node.op], [x()]);
    if (BINARY[node.op]) return g.op(BINARY[node.op], [x(), this.input(node.inputs[1])]);
    switch (node.op) {
      case 'Identity':
        return x();
      case 'Square':
        return g.op('Mul', [x(), x()]);
      case 'Rsqrt':
        return g.op('Reciprocal', [g.op('Sqrt', [x()])]);
      case 'NotEqual':
        return g.op('Not', [g.op('Equal', [x(), this.input(node.inputs[1])])]);
      case 'SelectV2':
        return g.op(
          'Where',
          node.inputs.map((name) => this.input(name)),
        );
      case 'Cast':
        return g.op('Cast', [x()], { to: attr.int(DataType[hostDtype(node, nodeAttr.type(node, 'DstT'))]) });
      case 'Reshape':
        return g.op('Reshape', [x(), this.int64(this.knownInts(node, 1), 'shape')]);
      case 'Transpose':
        return g.op('Transpose', [x()], { perm: attr.ints(this.knownInts(node, 1)) });
      case 'Sum':
        return g.op('ReduceSum', [x(), this.int64(this.knownInts(node, 1), 'axes')], { keepdims: attr.int(nodeAttr.bool(node, 'keep_dims') ? 1 : 0) });
      case 'ExpandDims':
        return g.op('Unsqueeze', [x(), this.int64(this.knownInts(node, 1), 'axes')]);
      case 'Squeeze':
        return g.op('Squeeze', [x(), this.int64(nodeAttr.ints(node, 'squeeze_dims'), 'axes')]);
      case 'BroadcastTo':
        return g.op('Expand', [x(), this.int64(this.knownInts(node, 1), 'shape')]);
      case 'ConcatV2':
        return g.op(
          'Concat',
          node.inputs.slice(0, -1).map((name) => this.input(name)),
          { axis: attr.int(this.knownInts(node, node.inputs.length - 1)[0]) },
        );
      case 'Pack': {
        const axis = nodeAttr.int(node, 'axis', 0);
        const axes = this.int64([axis], 'axes');
        return g.op(
          'Concat',
          node.inputs.map((name) => g.op('Unsqueeze', [this.input(name), axes])),
          { axis: attr.int(axis) },
        );
      }
      case 'GatherV2':
        if (nodeAttr.int(node, 'batch_dims', 0) !== 0) throw new MendError('model_invalid', `node ${node.name} (GatherV2) uses batch_dims, which Mend does not convert`);
        return g.op('Gather', [x(), this.int64(this.knownInts(node, 1), 'indices')], { axis: attr.int(this.knownInts(node, 2)[0]) });
      case 'StridedSlice':
        return this.stridedSlice(node);
      case 'Einsum':
        return this.einsum(node);
      case 'Conv2D':
        return this.conv2d(node);
      case '_FusedConv2D':
        return this.fusedConv2d(node);
      case 'DepthwiseConv2dNative':
        return this.depthwiseConv2d(node);
      case 'Prelu':
        return g.op('PRelu', [x(), this.input(node.inputs[1])]);
      case 'MaxPool':
        return this.pool(node, 'MaxPool');
      case 'Pad':
        return this.pad(node);
      case 'Mean':
        // Opset 17's ReduceMean takes its axes as an attribute (ReduceSum's became an input in 13).
        return g.op('ReduceMean', [x()], { axes: attr.ints(this.knownInts(node, 1)), keepdims: attr.int(nodeAttr.bool(node, 'keep_dims') ? 1 : 0) });
      case 'Conv2DBackpropInput':
        return this.conv2dBackpropInput(node);
      default:
        throw new MendError('model_invalid', `node ${node.name} has op ${node.op}, which Mend cannot convert yet`);
    }
  }

  /** Writes the graph after its NCHW input `input`; answers the ONNX name of each output node. */
  writeAll(): Map<string, string> {
    const { height, width } = { height: this.graph.inputShape[1], width: this.graph.inputShape[2] };
    this.g.input(GRAPH_INPUT, 'float32', [1, 3, height, width]);
    this.values.set(this.graph.inputName, this.transposed(GRAPH_INPUT, NCHW_TO_NHWC));
    for (const node of this.graph.nodes) {
      if (node.op === 'Placeholder') continue;
      this.values.set(node.name, this.write(node));
    }
    return new Map(this.graph.outputNames.map((name) => [name, this.values.get(name) as string]));
  }
}

/** Converts a specialized graph (NHWC, 0..1) to an fp32 ONNX model with NCHW input `input` and output `output`. */
export function specializedGraphToOnnx(graph: SpecializedGraph, name: string): Uint8Array {
  if (graph.outputNames.length !== 1) throw new MendError('model_invalid', `the graph has ${graph.outputNames.length} outputs; an image model has one`);
  const g = new GraphBuilder(name);
  const [output] = new OnnxWriter(g, graph).writeAll().values();
  g.node('Transpose', [output], [GRAPH_OUTPUT], { perm: attr.ints(NHWC_TO_NCHW) });
  g.output(GRAPH_OUTPUT, 'float32', [1, 3, graph.inputShape[1], graph.inputShape[2]]);
  return g.toModel(17);
}

export function graphModelToOnnx(model: GraphModel, tile: TileShape, name: string): Uint8Array {
  return specializedGraphToOnnx(specialize(model, [1, tile.height, tile.width, 3]), name);
}

export async function convertGraphModel(modelJsonPath: string, tile: TileShape, name = 'tfjs-graph-model'): Promise<Uint8Array> {
  return graphModelToOnnx(await readGraphModel(modelJsonPath), tile, name);
}

/** One tensor output of a converted model: the signature key it comes from, and its shape. */
export interface TensorOutput {
  key: string;
  dims: readonly number[];
}

/**
 * Converts a graph model that reads an image and answers tensors (landmarks, an embedding): NCHW input
 * `input` of the given size, and each of `outputs` (by ONNX name) as the graph computes it, in TF's own
 * layout and values. Outputs not asked for are left out, with the nodes only they need.
 */
export function graphModelToOnnxOutputs(model: GraphModel, tile: TileShape, outputs: Record<string, TensorOutput>, name: string): Uint8Array {
  const graph = specialize(
    model,
    [1, tile.height, tile.width, 3],
    Object.values(outputs).map((output) => output.key),
  );
  const g = new GraphBuilder(name);
  const written = new OnnxWriter(g, graph).writeAll();
  for (const [onnxName, { key, dims }] of Object.entries(outputs)) {
    g.node('Identity', [written.get(model.outputs[key]) as string], [onnxName]);
    g.output(onnxName, 'float32', dims);
  }
  return g.toModel(17);
}
