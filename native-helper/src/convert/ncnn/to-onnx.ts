import { MendError } from '../../errors';
import { GraphBuilder, attr, type Attribute } from '../onnx';
import { rationalScale, resizeAsConv } from '../onnx/resize-as-conv';
import { ModelBinReader } from './model-bin';
import { arrayParam, intParam, parseParamFile, type NcnnLayer } from './param-file';

export interface NcnnConversionOptions {
  /** Graph name written into the model. */
  name: string;
  /**
   * Pixels per side that the net's unpadded convolutions eat (waifu2x CUNet, Real-CUGAN): the
   * graph reflect-pads its input by as much, so its output is exactly input × scale.
   */
  prepadding?: number;
  /** How the prepadding is filled: mirrored (Real-CUGAN's engine) or the edge pixel repeated (waifu2x's). */
  prepaddingMode?: 'reflect' | 'edge';
  /** Real-CUGAN ×4 nets predict a residual that the engine adds to the nearest-upscaled input. */
  addNearestInput?: number;
}

export const NCNN_INPUT = 'input';
export const NCNN_OUTPUT = 'output';

/** ncnn blobs have no batch axis: a 3-D blob is C×H×W (ONNX [1,C,H,W]), a 1-D blob is C (ONNX [1,C]). */
type Rank = 1 | 3;

interface Blob {
  name: string;
  rank: Rank;
  /**
   * A number the blob's height and width are known to be multiples of (1 when nothing is known), e.g. 4
   * after a ×4 PixelShuffle: a Resize by 3/4 can then be a convolution whose blocks of 4 tile the blob.
   */
  multiple: number;
}

/** Blobs combined elementwise have one size, so whatever any of them is known to be a multiple of holds for all. */
function sharedMultiple(blobs: Blob[]): number {
  return Math.max(...blobs.filter((b) => b.rank === 3).map((b) => b.multiple), 1);
}

class Converter {
  private readonly blobs = new Map<string, Blob>();
  private readonly consumed = new Set<string>();

  constructor(
    private readonly g: GraphBuilder,
    private readonly bin: ModelBinReader,
  ) {}

  blob(name: string, layer: NcnnLayer): Blob {
    const blob = this.blobs.get(name);
    if (!blob) throw new MendError('model_invalid', `layer ${layer.name} reads blob "${name}" that no earlier layer produced`);
    this.consumed.add(name);
    return blob;
  }

  set(name: string, blob: Blob): void {
    this.blobs.set(name, blob);
  }

  /** The blobs no layer reads, each with its name: the graph's outputs. */
  outputs(): [string, Blob][] {
    return [...this.blobs].filter(([name]) => !this.consumed.has(name));
  }

  private const(name: string, values: number[] | Float32Array, dims: number[]): string {
    return this.g.initializer(name, values instanceof Float32Array ? values : Float32Array.from(values), dims);
  }

  private int64(name: string, values: number[]): string {
    return this.g.initializer(name, BigInt64Array.from(values.map((v) => BigInt(v))), [values.length]);
  }

  /** A 1-D blob next to a 3-D one broadcasts per channel: reshape C to C×1×1. */
  private perChannel(x: Blob, other: Blob): string {
    if (x.rank === 1 && other.rank === 3) return this.g.op('Unsqueeze', [x.name, this.int64('axes', [2, 3])]);
    return x.name;
  }

  private activation(layer: NcnnLayer, x: string): string {
    const type = intParam(layer, 9, 0);
    const params = arrayParam(layer, 10) ?? [];
    switch (type) {
      case 0:
        return x;
      case 1:
        return this.g.op('Relu', [x]);
      case 2:
        return params[0] ? this.g.op('LeakyRelu', [x], { alpha: attr.float(params[0]) }) : this.g.op('Relu', [x]);
      case 3:
        return this.g.op('Clip', [x, this.const('min', [params[0]], []), this.const('max', [params[1]], [])]);
      case 4:
        return this.g.op('Sigmoid', [x]);
      default:
        throw new MendError('model_invalid', `layer ${layer.name} (${layer.type}) uses activation type ${type}, which Mend does not convert`);
    }
  }

  private convolution(layer: NcnnLayer, x: Blob, transposed: boolean): string {
    const outChannels = intParam(layer, 0, 0);
    const kw = intParam(layer, 1, 0);
    const kh = intParam(layer, 11, kw);
    const dw = intParam(layer, 2, 1);
    const dh = intParam(layer, 12, dw);
    const sw = intParam(layer, 3, 1);
    const sh = intParam(layer, 13, sw);
    const padLeft = intParam(layer, 4, 0);
    const padTop = intParam(layer, 14, padLeft);
    const padRight = intParam(layer, 15, padLeft);
    const padBottom = intParam(layer, 16, padTop);
    const hasBias = intParam(layer, 5, 0) === 1;
    const weightCount = intParam(layer, 6, 0);
    if (intParam(layer, 7, 1) !== 1) throw new MendError('model_invalid', `layer ${layer.name}: grouped ${layer.type} is not converted`);
    const inChannels = weightCount / (outChannels * kh * kw);
    if (!Number.isInteger(inChannels)) throw new MendError('model_invalid', `layer ${layer.name}: weight count ${weightCount} does not fit ${outChannels}×?×${kh}×${kw}`);
    const weights = this.bin.tagged(weightCount, `${layer.name} weights`);
    const bias = hasBias ? this.bin.untagged(outChannels, `${layer.name} bias`) : undefined;
    const attributes: Record<string, Attribute> = {
      kernel_shape: attr.ints([kh, kw]),
      dilations: attr.ints([dh, dw]),
      strides: attr.ints([sh, sw]),
    };
    if (padLeft === -233 || padLeft === -234) attributes.auto_pad = attr.string(padLeft === -233 ? 'SAME_UPPER' : 'SAME_LOWER');
    else attributes.pads = attr.ints([padTop, padLeft, padBottom, padRight]);
    let w: string;
    if (transposed) {
      // ncnn keeps deconvolution weights as out×in×kh×kw; ConvTranspose wants in×out×kh×kw.
      const swapped = new Float32Array(weights.length);
      const k = kh * kw;
      for (let o = 0; o < outChannels; o++)
        for (let i = 0; i < inChannels; i++) swapped.set(weights.subarray((o * inChannels + i) * k, (o * inChannels + i + 1) * k), (i * outChannels + o) * k);
      w = this.const(`${layer.name}_weight`, swapped, [inChannels, outChannels, kh, kw]);
      const outPadW = intParam(layer, 18, 0);
      const outPadH = intParam(layer, 19, outPadW);
      if (outPadW || outPadH) attributes.output_padding = attr.ints([outPadH, outPadW]);
    } else {
      w = this.const(`${layer.name}_weight`, weights, [outChannels, inChannels, kh, kw]);
    }
    const inputs = [x.name, w, ...(bias ? [this.const(`${layer.name}_bias`, bias, [outChannels])] : [])];
    return this.activation(layer, this.g.op(transposed ? 'ConvTranspose' : 'Conv', inputs, attributes));
  }

  /**
   * PReLU with a slope α per channel, as y + (1 − α)·relu(−y): two depthwise 1×1 convolutions (the first
   * with its Relu fused) and an Add fused into the second. onnxruntime's CPU provider runs these in the
   * blocked NCHWc layout of the convolutions around them; for its PRelu kernel it converts the layout back
   * and forth around every layer, and PRelu plus those conversions cost more than the two passes here.
   * The same function: y ≥ 0 gives y; y < 0 gives y − (1 − α)·y = α·y (one rounding more than α·y).
   */
  private channelPrelu(name: string, y: string, slope: Float32Array): string {
    const channels = slope.length;
    const depthwise = (x: string, weights: Float32Array, label: string) =>
      this.g.op('Conv', [x, this.const(`${name}_${label}`, weights, [channels, 1, 1, 1])], { group: attr.int(channels), kernel_shape: attr.ints([1, 1]) });
    const negativePart = this.g.op('Relu', [depthwise(y, new Float32Array(channels).fill(-1), 'negate')]);
    const leak = depthwise(
      negativePart,
      slope.map((a) => 1 - a),
      'leak',
    );
    return this.g.op('Add', [leak, y]);
  }

  private binary(op: number, a: string, b: string, layer: NcnnLayer): string {
    const ops: Record<number, [string, boolean]> = {
      0: ['Add', false],
      1: ['Sub', false],
      2: ['Mul', false],
      3: ['Div', false],
      4: ['Max', false],
      5: ['Min', false],
      6: ['Pow', false],
      7: ['Sub', true],
      8: ['Div', true],
    };
    const entry = ops[op];
    if (!entry) throw new MendError('model_invalid', `layer ${layer.name}: BinaryOp type ${op} is not converted`);
    const [name, reversed] = entry;
    return this.g.op(name, reversed ? [b, a] : [a, b]);
  }

  convert(layer: NcnnLayer): void {
    const g = this.g;
    // Layers keep their first input's size unless they say otherwise.
    const one = (name: string, rank: Rank, multiple = this.blobs.get(layer.bottoms[0])?.multiple ?? 1) => this.set(layer.tops[0], { name, rank, multiple });
    const input = () => this.blob(layer.bottoms[0], layer);
    switch (layer.type) {
      case 'Input':
        this.set(layer.tops[0], { name: NCNN_INPUT, rank: 3, multiple: 1 });
        return;
      case 'Split': {
        const x = input();
        for (const top of layer.tops) this.set(top, x);
        return;
      }
      case 'Convolution':
        return one(this.convolution(layer, input(), false), 3, 1);
      case 'Deconvolution':
        return one(this.convolution(layer, input(), true), 3, 1);
      case 'ReLU': {
        const slope = intParam(layer, 0, 0);
        const x = input();
        return one(slope ? g.op('LeakyRelu', [x.name], { alpha: attr.float(slope) }) : g.op('Relu', [x.name]), x.rank);
      }
      case 'Sigmoid': {
        const x = input();
        return one(g.op('Sigmoid', [x.name]), x.rank);
      }
      case 'PReLU': {
        const count = intParam(layer, 0, 0);
        const x = input();
        const slope = this.bin.untagged(count, `${layer.name} slopes`);
        if (count > 1 && x.rank === 3) return one(this.channelPrelu(layer.name, x.name, slope), 3);
        const dims = count === 1 ? [1] : [count];
        return one(g.op('PRelu', [x.name, this.const(`${layer.name}_slope`, slope, dims)]), x.rank);
      }
      case 'Eltwise': {
        const op = intParam(layer, 0, 1);
        const coeffs = arrayParam(layer, 1);
        const xs = layer.bottoms.map((b) => this.blob(b, layer));
        const terms = xs.map((x, i) => (op === 1 && coeffs && coeffs[i] !== 1 ? g.op('Mul', [x.name, this.const('coeff', [coeffs[i]], [])]) : x.name));
        const onnxOp = op === 0 ? 'Mul' : op === 1 ? 'Add' : op === 2 ? 'Max' : undefined;
        if (!onnxOp) throw new MendError('model_invalid', `layer ${layer.name}: Eltwise type ${op} is not converted`);
        return one(
          terms.slice(1).reduce((acc, t) => g.op(onnxOp, [acc, t]), terms[0]),
          xs[0].rank,
          sharedMultiple(xs),
        );
      }
      case 'BinaryOp': {
        const op = intParam(layer, 0, 0);
        const a = input();
        if (intParam(layer, 1, 0) === 1) {
          return one(this.binary(op, a.name, this.const('scalar', [intParam(layer, 2, 0)], []), layer), a.rank);
        }
        const b = this.blob(layer.bottoms[1], layer);
        const rank: Rank = a.rank === 3 || b.rank === 3 ? 3 : 1;
        return one(this.binary(op, this.perChannel(a, b), this.perChannel(b, a), layer), rank, sharedMultiple([a, b]));
      }
      case 'Scale': {
        const x = input();
        const size = intParam(layer, 0, 0);
        const hasBias = intParam(layer, 1, 0) === 1;
        let y: string;
        if (size === -233) {
          const s = this.blob(layer.bottoms[1], layer);
          y = g.op('Mul', [this.perChannel(x, s), this.perChannel(s, x)]);
        } else {
          const dims = x.rank === 3 ? [size, 1, 1] : [size];
          y = g.op('Mul', [x.name, this.const(`${layer.name}_scale`, this.bin.untagged(size, `${layer.name} scale`), dims)]);
        }
        if (hasBias) {
          const count = size === -233 ? intParam(layer, 0, 0) : size;
          const dims = x.rank === 3 ? [count, 1, 1] : [count];
          y = g.op('Add', [y, this.const(`${layer.name}_bias`, this.bin.untagged(count, `${layer.name} bias`), dims)]);
        }
        return one(y, x.rank);
      }
      case 'Concat': {
        const xs = layer.bottoms.map((b) => this.blob(b, layer));
        const axis = intParam(layer, 0, 0);
        return one(
          g.op(
            'Concat',
            xs.map((x) => x.name),
            { axis: attr.int(axis + 1) },
          ),
          xs[0].rank,
          axis === 0 ? sharedMultiple(xs) : 1,
        );
      }
      case 'Interp': {
        const type = intParam(layer, 0, 0);
        const x = input();
        if (intParam(layer, 3, 0) || intParam(layer, 4, 0) || layer.bottoms.length > 1) {
          throw new MendError('model_invalid', `layer ${layer.name}: Interp to a fixed output size is not converted`);
        }
        const hs = intParam(layer, 1, 1);
        const ws = intParam(layer, 2, 1);
        if (type === 1) return one(g.nearestUpscale(x.name, hs, ws), 3, Number.isInteger(hs) && hs === ws ? x.multiple * hs : 1);
        const alignCorners = intParam(layer, 6, 0) === 1;
        const scale = hs === ws ? rationalScale(hs) : undefined;
        if ((type === 2 || type === 3) && !alignCorners && scale && x.multiple % scale.down === 0) {
          return one(resizeAsConv(g, x.name, scale, type === 2 ? 'linear' : 'cubic', layer.name), 3, (x.multiple / scale.down) * scale.up);
        }
        const scales = this.const('scales', [1, 1, hs, ws], [4]);
        const roi = this.const('roi', [], [0]);
        const attributes: Record<string, Attribute> =
          type === 2
            ? { mode: attr.string('linear'), coordinate_transformation_mode: attr.string(alignCorners ? 'align_corners' : 'half_pixel') }
            : type === 3
              ? { mode: attr.string('cubic'), cubic_coeff_a: attr.float(-0.75), coordinate_transformation_mode: attr.string(alignCorners ? 'align_corners' : 'half_pixel') }
              : {};
        if (!attributes.mode) throw new MendError('model_invalid', `layer ${layer.name}: Interp type ${type} is not converted`);
        return one(g.op('Resize', [x.name, roi, scales], attributes), 3, 1);
      }
      case 'PixelShuffle': {
        const x = input();
        const mode = intParam(layer, 1, 0) === 0 ? 'CRD' : 'DCR';
        const factor = intParam(layer, 0, 1);
        return one(g.op('DepthToSpace', [x.name], { blocksize: attr.int(factor), mode: attr.string(mode) }), 3, x.multiple * factor);
      }
      case 'Crop':
        return one(this.crop(layer), 3, 1);
      case 'Pooling': {
        const x = input();
        const type = intParam(layer, 0, 0);
        if (intParam(layer, 4, 0) !== 1) throw new MendError('model_invalid', `layer ${layer.name}: only global Pooling is converted`);
        const pooled = g.op(type === 0 ? 'GlobalMaxPool' : 'GlobalAveragePool', [x.name]);
        return one(g.op('Flatten', [pooled], { axis: attr.int(1) }), 1, 1);
      }
      case 'InnerProduct': {
        const x = input();
        const outCount = intParam(layer, 0, 0);
        const weightCount = intParam(layer, 2, 0);
        const inCount = weightCount / outCount;
        const flat = x.rank === 3 ? g.op('Flatten', [x.name], { axis: attr.int(1) }) : x.name;
        const w = this.const(`${layer.name}_weight`, this.bin.tagged(weightCount, `${layer.name} weights`), [outCount, inCount]);
        const inputs = [flat, w];
        if (intParam(layer, 1, 0) === 1) inputs.push(this.const(`${layer.name}_bias`, this.bin.untagged(outCount, `${layer.name} bias`), [outCount]));
        return one(this.activation(layer, g.op('Gemm', inputs, { transB: attr.int(1) })), 1, 1);
      }
      default:
        throw new MendError('model_invalid', `layer ${layer.name} has type ${layer.type}, which Mend cannot convert yet`);
    }
  }

  private crop(layer: NcnnLayer): string {
    const g = this.g;
    const x = this.blob(layer.bottoms[0], layer);
    const starts = arrayParam(layer, 9);
    if (starts) {
      const ends = arrayParam(layer, 10) ?? [];
      const axes = (arrayParam(layer, 11) ?? starts.map((_, i) => i)).map((a) => (a < 0 ? a : a + 1));
      return g.op('Slice', [x.name, this.int64('starts', starts), this.int64('ends', ends), this.int64('axes', axes)]);
    }
    const woffset = intParam(layer, 0, 0);
    const hoffset = intParam(layer, 1, 0);
    if (layer.bottoms.length === 2) {
      // Crop to the size of the reference blob, starting at the offsets.
      const reference = this.blob(layer.bottoms[1], layer);
      const shape = g.op('Shape', [reference.name]);
      const size = g.op('Slice', [shape, this.int64('from', [2]), this.int64('to', [4])]);
      const startsName = this.int64('starts', [hoffset, woffset]);
      const endsName = g.op('Add', [startsName, size]);
      return g.op('Slice', [x.name, startsName, endsName, this.int64('axes', [2, 3])]);
    }
    const outw = intParam(layer, 3, 0);
    const outh = intParam(layer, 4, 0);
    if (!outw || !outh) throw new MendError('model_invalid', `layer ${layer.name}: this Crop form is not converted`);
    return g.op('Slice', [x.name, this.int64('starts', [hoffset, woffset]), this.int64('ends', [hoffset + outh, woffset + outw]), this.int64('axes', [2, 3])]);
  }
}

/** Converts an ncnn .param/.bin pair to an fp32 ONNX model with input `input` and output `output`, both NCHW. */
export function convertNcnn(paramText: string, bin: Uint8Array, options: NcnnConversionOptions, fileName = `${options.name}.param`): Uint8Array {
  const layers = parseParamFile(paramText, fileName);
  const g = new GraphBuilder(options.name);
  g.input(NCNN_INPUT, 'float32', [1, 3, 'height', 'width']);
  const reader = new ModelBinReader(bin, fileName.replace(/\.param$/, '.bin'));
  const converter = new Converter(g, reader);
  const pad = options.prepadding ?? 0;
  for (const layer of layers) {
    if (layer.type === 'Input' && pad > 0) {
      const pads = g.initializer('pads', BigInt64Array.from([0, 0, pad, pad, 0, 0, pad, pad].map(BigInt)), [8]);
      converter.set(layer.tops[0], { name: g.op('Pad', [NCNN_INPUT, pads], { mode: attr.string(options.prepaddingMode ?? 'reflect') }), rank: 3, multiple: 1 });
      continue;
    }
    converter.convert(layer);
  }
  reader.assertConsumed();
  const finals = converter.outputs();
  if (finals.length !== 1)
    throw new MendError('model_invalid', `${fileName} ends in ${finals.length} blobs (${finals.map(([name]) => name).join(', ')}); Mend needs exactly one output`);
  let last = finals[0][1].name;
  if (options.addNearestInput) {
    last = g.op('Add', [last, g.nearestUpscale(NCNN_INPUT, options.addNearestInput, options.addNearestInput)]);
  }
  g.node('Identity', [last], [NCNN_OUTPUT]);
  g.output(NCNN_OUTPUT, 'float32', [1, 3, 'out_height', 'out_width']);
  return g.toModel(17);
}
