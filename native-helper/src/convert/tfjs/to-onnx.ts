import { MendError } from '../../errors';
import { GraphBuilder, attr, type Attribute } from '../onnx';
import { readTfjsModel, type TfjsLayer, type TfjsModel } from './layers-model';

export const TFJS_INPUT = 'input';
export const TFJS_OUTPUT = 'output';

function numberList(value: unknown, what: string): number[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'number')) throw new MendError('model_invalid', `${what} should be a list of numbers`);
  return value as number[];
}

/** Keras kernels are H×W×in×out; ONNX Conv wants out×in×H×W. */
function kernelToOihw(data: Float32Array, [h, w, inC, outC]: number[]): Float32Array {
  const out = new Float32Array(data.length);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) for (let i = 0; i < inC; i++) for (let o = 0; o < outC; o++) out[((o * inC + i) * h + y) * w + x] = data[((y * w + x) * inC + i) * outC + o];
  return out;
}

class Converter {
  private readonly outputs = new Map<string, string>();

  constructor(
    private readonly g: GraphBuilder,
    private readonly model: TfjsModel,
  ) {}

  outputOf(layerName: string): string {
    const name = this.outputs.get(layerName);
    if (!name) throw new MendError('model_invalid', `layer ${layerName} is used before it is defined`);
    return name;
  }

  private weight(layer: TfjsLayer, suffix: 'kernel' | 'bias') {
    const entry = [...this.model.weights.entries()].find(([name]) => name === `${layer.name}/${suffix}` || name.endsWith(`/${layer.name}/${suffix}`));
    if (!entry) throw new MendError('model_invalid', `layer ${layer.name} has no ${suffix} in the weight files`);
    return entry[1];
  }

  private activation(name: unknown, x: string, layer: TfjsLayer): string {
    switch (name ?? 'linear') {
      case 'linear':
        return x;
      case 'relu':
        return this.g.op('Relu', [x]);
      case 'sigmoid':
        return this.g.op('Sigmoid', [x]);
      case 'tanh':
        return this.g.op('Tanh', [x]);
      default:
        throw new MendError('model_invalid', `layer ${layer.name} uses activation "${String(name)}", which Mend does not convert`);
    }
  }

  convert(layer: TfjsLayer): void {
    const g = this.g;
    const c = layer.config;
    const inputs = (layer.inbound_nodes[0] ?? []).map(([name]) => this.outputOf(name));
    let y: string;
    switch (layer.class_name) {
      case 'InputLayer':
        this.outputs.set(layer.name, TFJS_INPUT);
        return;
      case 'Conv2D': {
        const [kh, kw] = numberList(c.kernel_size, `${layer.name}.kernel_size`);
        const strides = numberList(c.strides ?? [1, 1], `${layer.name}.strides`);
        const dilations = numberList(c.dilation_rate ?? [1, 1], `${layer.name}.dilation_rate`);
        if ((c.groups ?? 1) !== 1) throw new MendError('model_invalid', `layer ${layer.name}: grouped Conv2D is not converted`);
        const kernel = this.weight(layer, 'kernel');
        const w = g.initializer(`${layer.name}_kernel`, kernelToOihw(kernel.data, kernel.shape), [kernel.shape[3], kernel.shape[2], kh, kw]);
        const conv = [inputs[0], w];
        if (c.use_bias !== false) conv.push(g.initializer(`${layer.name}_bias`, this.weight(layer, 'bias').data, [kernel.shape[3]]));
        const padding: Record<string, Attribute> = c.padding === 'same' ? { auto_pad: attr.string('SAME_UPPER') } : {};
        y = this.activation(
          c.activation,
          g.op('Conv', conv, { kernel_shape: attr.ints([kh, kw]), strides: attr.ints(strides), dilations: attr.ints(dilations), ...padding }),
          layer,
        );
        break;
      }
      case 'Activation':
        y = this.activation(c.activation, inputs[0], layer);
        break;
      case 'ReLU':
        y = g.op('Relu', [inputs[0]]);
        break;
      case 'Add':
        y = inputs.slice(1).reduce((acc, x) => g.op('Add', [acc, x]), inputs[0]);
        break;
      case 'Concatenate': {
        const axis = typeof c.axis === 'number' ? c.axis : -1;
        if (axis !== -1 && axis !== 3) throw new MendError('model_invalid', `layer ${layer.name}: Concatenate along axis ${axis} is not converted`);
        y = g.op('Concat', inputs, { axis: attr.int(1) });
        break;
      }
      case 'UpSampling2D': {
        const [sh, sw] = numberList(c.size, `${layer.name}.size`);
        if ((c.interpolation ?? 'nearest') !== 'nearest') throw new MendError('model_invalid', `layer ${layer.name}: only nearest UpSampling2D is converted`);
        y = g.nearestUpscale(inputs[0], sh, sw);
        break;
      }
      case 'MultiplyBeta': {
        const beta = typeof c.beta === 'number' ? c.beta : 0.2;
        y = g.op('Mul', [inputs[0], g.initializer('beta', new Float32Array([beta]), [])]);
        break;
      }
      default: {
        const shuffle = /^PixelShuffle(\d+)x$/.exec(layer.class_name);
        if (!shuffle) throw new MendError('model_invalid', `layer ${layer.name} has class ${layer.class_name}, which Mend cannot convert yet`);
        // TF's depth_to_space orders channels depth-column-row.
        y = g.op('DepthToSpace', [inputs[0]], { blocksize: attr.int(Number(shuffle[1])), mode: attr.string('DCR') });
      }
    }
    this.outputs.set(layer.name, y);
  }
}

/** Converts a loaded TF.js layers model (NHWC) to an fp32 NCHW ONNX model with input `input` and output `output`. */
export function tfjsModelToOnnx(model: TfjsModel, name: string): Uint8Array {
  const g = new GraphBuilder(name);
  g.input(TFJS_INPUT, 'float32', [1, 3, 'height', 'width']);
  const converter = new Converter(g, model);
  for (const layer of model.layers) converter.convert(layer);
  g.node('Identity', [converter.outputOf(model.outputName)], [TFJS_OUTPUT]);
  g.output(TFJS_OUTPUT, 'float32', [1, 3, 'out_height', 'out_width']);
  return g.toModel(17);
}

export async function convertTfjsModel(modelJsonPath: string, name = 'tfjs-model'): Promise<Uint8Array> {
  return tfjsModelToOnnx(await readTfjsModel(modelJsonPath), name);
}
