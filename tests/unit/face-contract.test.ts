import { recognizeFaceContract } from '../../native-helper/src/catalog/face-contract';
import type { ModelSignature, TensorSignature } from '../../native-helper/src/engine/engine';

const tensor = (name: string, type: string, shape: Array<number | string>): TensorSignature => ({ name, type, shape });
const image = (name: string, side: number | string) => tensor(name, 'float32', [1, 3, side, side]);

/** facefusion's gfpgan_1.4.onnx, gpen_bfr_512.onnx and restoreformer_plus_plus.onnx all read this way. */
const gfpganStyle: ModelSignature = { inputs: [image('input', 512)], outputs: [image('output', 512)] };

const tiling = (side: number) => ({ tile: side, maxTile: side, overlap: 0, multipleOf: side, minSize: side });
const io = (input: string, output: string) => ({ input, output, layout: 'NCHW', channelOrder: 'RGB', valueRange: [-1, 1] });

describe('recognizeFaceContract', () => {
  it('reads GFPGAN v1.3/v1.4, GPEN-BFR-512 and RestoreFormer(++) alike: 512² crops in −1..1', () => {
    expect(recognizeFaceContract(gfpganStyle)).toEqual({ family: 'gfpgan-style', side: 512, io: io('input', 'output'), tiling: tiling(512) });
  });

  it('takes the output by its shape when an export numbers it (GFPGAN exported with output_names=[])', () => {
    const numbered: ModelSignature = { inputs: [image('input', 512)], outputs: [image('1392', 512)] };
    expect(recognizeFaceContract(numbered).io.output).toBe('1392');
  });

  it('reads GPEN-BFR-256 at 256²', () => {
    const gpen256: ModelSignature = { inputs: [image('input', 256)], outputs: [image('output', 256)] };
    expect(recognizeFaceContract(gpen256)).toMatchObject({ family: 'gpen-bfr-256', side: 256, tiling: tiling(256) });
  });

  it('gives an export of free sides 512² crops, the side the models were trained at', () => {
    const free: ModelSignature = { inputs: [tensor('input', 'float32', ['batch', 3, 'height', 'width'])], outputs: [tensor('output', 'float32', ['batch', 3, 'height', 'width'])] };
    expect(recognizeFaceContract(free)).toMatchObject({ family: 'gfpgan-style', side: 512 });
  });

  it.each([
    ['redthing1/CodeFormer', 'x', 'w'],
    ['facefusion', 'input', 'weight'],
  ])('reads CodeFormer (%s export): the image beside a float64 fidelity weight, the image output found among others', (_, imageName, weightName) => {
    const codeformer: ModelSignature = {
      inputs: [image(imageName, 512), tensor(weightName, 'float64', [1])],
      outputs: [tensor('logits', 'float32', [1, 256, 1024]), image('output', 512)],
    };
    expect(recognizeFaceContract(codeformer)).toEqual({
      family: 'codeformer',
      side: 512,
      io: { ...io(imageName, 'output'), fidelity: { name: weightName, dtype: 'float64', dims: [1] } },
      tiling: tiling(512),
    });
  });

  it.each<[string, ModelSignature, RegExp]>([
    [
      'an inpainting model',
      { inputs: [image('image', 512), tensor('mask', 'float32', [1, 1, 512, 512])], outputs: [image('output', 512)] },
      /not a one-value float fidelity weight/,
    ],
    ['a 128² model', { inputs: [image('input', 128)], outputs: [image('output', 512)] }, /128×128, where the public exports are 256 or 512/],
    ['a uint8 model', { inputs: [tensor('input', 'uint8', [1, 3, 512, 512])], outputs: [image('output', 512)] }, /is uint8, not float32/],
    ['a non-square export', { inputs: [tensor('input', 'float32', [1, 3, 512, 384])], outputs: [image('output', 512)] }, /not square/],
    ['a model whose output is another size', { inputs: [image('input', 512)], outputs: [image('output', 1024)] }, /no float32 1×3×512×512 output/],
    ['a model with no image', { inputs: [tensor('tokens', 'int64', [1, 77])], outputs: [image('output', 512)] }, /no 1×3×S×S image input/],
  ])('refuses %s, saying what it found and what Mend reads', (_, signature, why) => {
    expect(() => recognizeFaceContract(signature)).toThrow(why);
    expect(() => recognizeFaceContract(signature)).toThrow(/its inputs are \[.+\] and its outputs \[.+\]\. Mend reads face restorers/);
  });
});
