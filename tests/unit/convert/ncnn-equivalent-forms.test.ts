import path from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { convertNcnn } from '../../../native-helper/src/convert/ncnn';
import { GraphBuilder, attr } from '../../../native-helper/src/convert/onnx';
import { ModelProto } from '../../../native-helper/src/convert/onnx/onnx-schema';
import { polyphaseAxis, rationalScale } from '../../../native-helper/src/convert/onnx/resize-as-conv';
import { seeded } from '../../helpers/tiny-models';

/**
 * The ncnn converter writes PReLU and fixed-factor bilinear/bicubic Interp in forms onnxruntime runs
 * faster (depthwise convolutions; a strided convolution plus DepthToSpace). Here a net shaped like the
 * compact Real-ESRGAN models (SRVGGNet: conv, PReLU, conv, PixelShuffle ×4, plus the nearest-upscaled
 * input, then a bicubic Resize for ×2 and ×3) is converted and run against the same net written with
 * onnxruntime's own PRelu and Resize, as the converter wrote it before.
 */

const FEATURES = 16;
const PHOTO = path.join(__dirname, '..', '..', 'fixtures', 'images', 'chelsea.png');

interface Weights {
  conv0: Float32Array;
  bias0: Float32Array;
  slopes: Float32Array;
  conv1: Float32Array;
  bias1: Float32Array;
}

const WEIGHTS: Weights = {
  conv0: seeded(FEATURES * 3 * 9, 1, 0.4),
  bias0: seeded(FEATURES, 2, 0.1),
  // Slopes as trained nets have them: mostly small, some negative, one above 1.
  slopes: seeded(FEATURES, 3, 0.6).map((s, i) => (i === 0 ? 1.3 : s)),
  conv1: seeded(48 * FEATURES * 9, 4, 0.1),
  bias1: seeded(48, 5, 0.02),
};

/** Interp types of ncnn: 2 bilinear, 3 bicubic. */
type Tail = { type: 2 | 3; scale: number } | undefined;

function ncnnNet(tail: Tail): { param: string; bin: Uint8Array } {
  const layers = [
    'Input in 0 1 data',
    'Split split 1 2 data d0 d1',
    `Convolution conv0 1 1 d0 c0 0=${FEATURES} 1=3 4=1 5=1 6=${WEIGHTS.conv0.length}`,
    `PReLU prelu 1 1 c0 p0 0=${FEATURES}`,
    `Convolution conv1 1 1 p0 c1 0=48 1=3 4=1 5=1 6=${WEIGHTS.conv1.length}`,
    'PixelShuffle shuffle 1 1 c1 s 0=4',
    'Interp nearest 1 1 d1 n 0=1 1=4.000000e+00 2=4.000000e+00',
    `BinaryOp add 2 1 s n ${tail ? 'sum' : 'output'} 0=0`,
    ...(tail ? [`Interp resize 1 1 sum output 0=${tail.type} 1=${tail.scale} 2=${tail.scale}`] : []),
  ];
  const tag = new Float32Array(1); // an fp32 array's tag is 0
  const arrays = [tag, WEIGHTS.conv0, WEIGHTS.bias0, WEIGHTS.slopes, tag, WEIGHTS.conv1, WEIGHTS.bias1];
  const bin = new Uint8Array(arrays.reduce((n, a) => n + a.byteLength, 0));
  let offset = 0;
  for (const a of arrays) {
    bin.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), offset);
    offset += a.byteLength;
  }
  return { param: ['7767517', `${layers.length} ${layers.length + 1}`, ...layers].join('\n'), bin };
}

/** The same net with one ONNX op per ncnn layer: PRelu, and Resize as ncnn's Interp defines it. */
function literalNet(tail: Tail): Uint8Array {
  const g = new GraphBuilder('literal');
  g.input('input', 'float32', [1, 3, 'H', 'W']);
  const conv = (x: string, w: Float32Array, b: Float32Array, out: number, inChannels: number) =>
    g.op('Conv', [x, g.initializer('w', w, [out, inChannels, 3, 3]), g.initializer('b', b, [out])], { kernel_shape: attr.ints([3, 3]), pads: attr.ints([1, 1, 1, 1]) });
  const c0 = conv('input', WEIGHTS.conv0, WEIGHTS.bias0, FEATURES, 3);
  const p0 = g.op('PRelu', [c0, g.initializer('slope', WEIGHTS.slopes, [FEATURES, 1, 1])]);
  const shuffled = g.op('DepthToSpace', [conv(p0, WEIGHTS.conv1, WEIGHTS.bias1, 48, FEATURES)], { blocksize: attr.int(4), mode: attr.string('CRD') });
  let y = g.op('Add', [shuffled, g.nearestUpscale('input', 4, 4)]);
  if (tail) {
    const roi = g.initializer('roi', new Float32Array(0), [0]);
    const scales = g.initializer('scales', new Float32Array([1, 1, tail.scale, tail.scale]), [4]);
    y = g.op('Resize', [y, roi, scales], {
      mode: attr.string(tail.type === 2 ? 'linear' : 'cubic'),
      ...(tail.type === 3 ? { cubic_coeff_a: attr.float(-0.75) } : {}),
      coordinate_transformation_mode: attr.string('half_pixel'),
    });
  }
  g.node('Identity', [y], ['output']);
  g.output('output', 'float32', [1, 3, 'OH', 'OW']);
  return g.toModel(17);
}

function opTypes(model: Uint8Array): string[] {
  const decoded = ModelProto.toObject(ModelProto.decode(model)) as { graph: { node: Array<{ opType: string; attribute?: Array<{ name: string; s?: Uint8Array }> }> } };
  return decoded.graph.node.map((n) => {
    const mode = n.attribute?.find((a) => a.name === 'mode')?.s;
    return n.opType === 'Resize' && mode ? `Resize:${Buffer.from(mode).toString()}` : n.opType;
  });
}

async function run(model: Uint8Array, input: ort.Tensor): Promise<ort.Tensor> {
  const session = await ort.InferenceSession.create(model, { graphOptimizationLevel: 'all', intraOpNumThreads: 1 });
  try {
    return (await session.run({ input })).output;
  } finally {
    await session.release();
  }
}

/** PSNR over the reference's range (these nets' outputs are not confined to [0, 1]). */
function psnr(reference: ort.Tensor, other: ort.Tensor): number {
  expect(other.dims).toEqual(reference.dims);
  const a = reference.data as Float32Array;
  const b = other.data as Float32Array;
  let squared = 0;
  let low = Infinity;
  let high = -Infinity;
  for (let i = 0; i < a.length; i++) {
    squared += (a[i] - b[i]) ** 2;
    low = Math.min(low, a[i]);
    high = Math.max(high, a[i]);
  }
  return 10 * Math.log10((high - low) ** 2 / (squared / a.length));
}

function randomImage(height: number, width: number): ort.Tensor {
  return new ort.Tensor(
    'float32',
    seeded(3 * height * width, 11, 0.5).map((v) => v + 0.5),
    [1, 3, height, width],
  );
}

async function photoCrop(height: number, width: number): Promise<ort.Tensor> {
  const { data } = await sharp(PHOTO).extract({ left: 120, top: 60, width, height }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const planar = new Float32Array(3 * height * width);
  for (let i = 0; i < height * width; i++) for (let c = 0; c < 3; c++) planar[c * height * width + i] = data[i * 3 + c] / 255;
  return new ort.Tensor('float32', planar, [1, 3, height, width]);
}

describe('rational scales', () => {
  it('finds small fractions that float32 holds exactly, and nothing else', () => {
    expect(rationalScale(0.5)).toEqual({ up: 1, down: 2 });
    expect(rationalScale(0.75)).toEqual({ up: 3, down: 4 });
    expect(rationalScale(3)).toEqual({ up: 3, down: 1 });
    expect(rationalScale(Math.fround(2 / 3))).toEqual({ up: 2, down: 3 });
    expect(rationalScale(0.1234)).toBeUndefined();
    expect(rationalScale(0)).toBeUndefined();
  });

  it('gives every phase weights summing to 1, within a window that fits the padded blocks', () => {
    for (const [up, down] of [
      [1, 2],
      [3, 4],
      [2, 1],
      [2, 3],
    ]) {
      for (const mode of ['linear', 'cubic'] as const) {
        const axis = polyphaseAxis(up, down, mode);
        expect(axis.phases).toHaveLength(up);
        for (const taps of axis.phases) expect(taps.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 12);
        expect(axis.padBegin + axis.padEnd + down).toBeGreaterThanOrEqual(axis.kernel);
      }
    }
    // ×0.5 bicubic: taps at 2k−1 … 2k+2, the cubic at distances 1.5 and 0.5 (a = −0.75).
    expect(polyphaseAxis(1, 2, 'cubic').phases[0]).toEqual([-0.09375, 0.59375, 0.59375, -0.09375]);
  });
});

describe('ncnn conversion: equivalent forms of PReLU and Interp', () => {
  const TAILS: Array<[string, Tail, number]> = [
    ['×4 (no resize)', undefined, 4],
    ['×2 (bicubic ×0.5)', { type: 3, scale: 0.5 }, 2],
    ['×3 (bicubic ×0.75)', { type: 3, scale: 0.75 }, 3],
    ['×2 (bilinear ×0.5)', { type: 2, scale: 0.5 }, 2],
  ];

  it.each(TAILS)('%s: the converted net is the literal one at ≥ 60 dB, on noise and on a photo, with no PRelu or smooth Resize left', async (_name, tail, scale) => {
    const { param, bin } = ncnnNet(tail);
    const converted = convertNcnn(param, bin, { name: 'compact-like' });
    const ops = opTypes(converted);
    expect(ops).not.toContain('PRelu');
    expect(ops.filter((op) => op.startsWith('Resize'))).toEqual(['Resize:nearest']);
    const literal = literalNet(tail);
    // Odd sizes and a width unlike the height: the edge handling of both borders is checked.
    for (const input of [randomImage(19, 26), await photoCrop(23, 30)]) {
      const expected = await run(literal, input);
      const actual = await run(converted, input);
      expect(actual.dims).toEqual([1, 3, input.dims[2] * scale, input.dims[3] * scale]);
      expect(psnr(expected, actual)).toBeGreaterThanOrEqual(60);
    }
  });

  it('keeps a Resize where the size is not known to be a multiple of the scale’s denominator', async () => {
    const param = ['7767517', '2 2', 'Input in 0 1 data', 'Interp resize 1 1 data output 0=3 1=0.75 2=0.75'].join('\n');
    const converted = convertNcnn(param, new Uint8Array(0), { name: 'resize-only' });
    expect(opTypes(converted)).toContain('Resize:cubic');
  });

  it('upscales by an integer factor as a convolution on any size, the same as Resize', async () => {
    const param = ['7767517', '2 2', 'Input in 0 1 data', 'Interp resize 1 1 data output 0=3 1=3.0 2=3.0'].join('\n');
    const converted = convertNcnn(param, new Uint8Array(0), { name: 'upscale' });
    expect(opTypes(converted)).not.toContain('Resize:cubic');
    const g = new GraphBuilder('literal-upscale');
    g.input('input', 'float32', [1, 3, 'H', 'W']);
    const roi = g.initializer('roi', new Float32Array(0), [0]);
    const scales = g.initializer('scales', new Float32Array([1, 1, 3, 3]), [4]);
    g.node('Resize', ['input', roi, scales], ['output'], {
      mode: attr.string('cubic'),
      cubic_coeff_a: attr.float(-0.75),
      coordinate_transformation_mode: attr.string('half_pixel'),
    });
    g.output('output', 'float32', [1, 3, 'OH', 'OW']);
    const input = await photoCrop(17, 22);
    expect(psnr(await run(g.toModel(17), input), await run(converted, input))).toBeGreaterThanOrEqual(60);
  });
});
