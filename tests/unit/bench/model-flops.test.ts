import { attr, GraphBuilder } from '../../../native-helper/src/convert/onnx';
import { countModelFlops } from '../../../native-helper/src/bench/model-flops';
import { convModel, convUpscaleModel, pixelShuffleModel } from '../../helpers/tiny-models';

const zeros = (...dims: number[]) => new Float32Array(dims.reduce((n, d) => n * d, 1));
const int64s = (...values: number[]) => BigInt64Array.from(values.map(BigInt));

/**
 * A net in the shape of waifu2x's U-Net: edge padding, valid convolutions, a stride-2 conv, a
 * transposed conv, a crop whose ends come from Shape at run time, and a squeeze-excitation Gemm.
 */
function unetLikeModel(): Uint8Array {
  const g = new GraphBuilder('unet-like');
  g.input('input', 'float32', [1, 3, 'H', 'W']);
  const padded = g.op('Pad', ['input', g.initializer('pads', int64s(0, 0, 3, 3, 0, 0, 3, 3), [8])], { mode: attr.string('edge') });
  const conv1 = g.op('Conv', [padded, g.initializer('w1', zeros(8, 3, 3, 3), [8, 3, 3, 3])], { kernel_shape: attr.ints([3, 3]) });
  const down = g.op('Conv', [conv1, g.initializer('w2', zeros(8, 8, 2, 2), [8, 8, 2, 2])], { kernel_shape: attr.ints([2, 2]), strides: attr.ints([2, 2]) });
  const up = g.op('ConvTranspose', [down, g.initializer('w3', zeros(8, 4, 2, 2), [8, 4, 2, 2])], { kernel_shape: attr.ints([2, 2]), strides: attr.ints([2, 2]) });
  const upSize = g.op('Slice', [g.op('Shape', [up]), g.initializer('from', int64s(2), [1]), g.initializer('to', int64s(4), [1])]);
  const ends = g.op('Add', [upSize, g.initializer('minus', int64s(-1, -1), [2])]);
  const crop = g.op('Slice', [conv1, g.initializer('starts', int64s(1, 1), [2]), ends, g.initializer('axes', int64s(2, 3), [2])]);
  const mixed = g.op('Conv', [crop, g.initializer('w4', zeros(4, 8, 1, 1), [4, 8, 1, 1])], { kernel_shape: attr.ints([1, 1]) });
  const pooled = g.op('Flatten', [g.op('GlobalAveragePool', [mixed])], { axis: attr.int(1) });
  g.node('Gemm', [pooled, g.initializer('w5', zeros(6, 4), [6, 4])], ['output'], { transB: attr.int(1) });
  g.output('output', 'float32', [1, 6]);
  return g.toModel();
}

describe('FLOPs counted from the ONNX graph', () => {
  it('counts 2 × multiply-accumulates of a k×k convolution at every pixel', () => {
    // 3 output channels × 3 input channels × 3×3 taps per pixel.
    expect(countModelFlops(convModel(3), 10, 12).flops).toBe(2 * 3 * 3 * 9 * 10 * 12);
    expect(countModelFlops(convModel(5), 7, 7).flops).toBe(2 * 3 * 3 * 25 * 49);
  });

  it('leaves resizes and pixel shuffles out, and follows the scale they give later layers', () => {
    expect(countModelFlops(convUpscaleModel(2), 16, 16)).toEqual({ flops: 2 * 3 * 3 * 25 * 256, byOperator: { Conv: 2 * 3 * 3 * 25 * 256 } });
    // 1×1 conv to 3·s² channels before DepthToSpace.
    expect(countModelFlops(pixelShuffleModel(3), 8, 8).flops).toBe(2 * 27 * 3 * 64);
  });

  it('propagates shapes through padding, strides, transposed convs, Shape-driven crops and Gemm', () => {
    const { flops, byOperator } = countModelFlops(unetLikeModel(), 16, 16);
    const conv1 = 8 * 20 * 20 * 3 * 9; // 16 + 2·3 padded, valid 3×3 → 20×20
    const down = 8 * 10 * 10 * 8 * 4; // 2×2 stride 2 → 10×10
    const up = 8 * 10 * 10 * 4 * 4; // every input pixel through the whole 2×2 kernel, 4 outputs
    const mix = 4 * 18 * 18 * 8; // crop [1, 19) of 20 → 18×18, 1×1 conv 8 → 4
    const gemm = 1 * 4 * 6;
    expect(byOperator).toEqual({ Conv: 2 * (conv1 + down + mix), ConvTranspose: 2 * up, Gemm: 2 * gemm });
    expect(flops).toBe(2 * (conv1 + down + up + mix + gemm));
  });

  it('counts MatMul through the transposes, reshapes and reductions of an MLP-mixing block (MAXIM)', () => {
    const g = new GraphBuilder('mixer-like');
    g.input('input', 'float32', [1, 3, 'H', 'W']);
    const nhwc = g.op('Transpose', ['input'], { perm: attr.ints([0, 2, 3, 1]) });
    const tokens = g.op('Reshape', [nhwc, g.initializer('flat', int64s(1, -1, 3), [3])]);
    const mean = g.op('ReduceSum', [tokens, g.initializer('axis', int64s(-1), [1])], { keepdims: attr.int(1) });
    const centred = g.op('Sub', [tokens, mean]);
    const mixed = g.op('MatMul', [centred, g.initializer('w', zeros(3, 5), [3, 5])]);
    const gated = g.op('Where', [g.op('GreaterOrEqual', [mixed, g.initializer('zero', zeros(1), [1])]), mixed, g.op('Neg', [mixed])]);
    g.node('Reshape', [gated, g.initializer('back', int64s(1, 0, 0), [3])], ['output']);
    g.output('output', 'float32', [1, 'N', 5]);
    // H·W tokens × 3 inputs × 5 outputs; the elementwise gate is not counted.
    expect(countModelFlops(g.toModel(), 6, 4)).toEqual({ flops: 2 * 24 * 3 * 5, byOperator: { MatMul: 2 * 24 * 3 * 5 } });
  });

  it('names the operator it cannot follow', () => {
    const g = new GraphBuilder('hardmax');
    g.input('input', 'float32', [1, 3, 'H', 'W']);
    g.node('Hardmax', ['input'], ['output']);
    g.output('output', 'float32', [1, 3, 'H', 'W']);
    expect(() => countModelFlops(g.toModel(), 4, 4, 'odd.onnx')).toThrow('cannot count the FLOPs of odd.onnx: the operator Hardmax is not supported by the counter');
  });
});
