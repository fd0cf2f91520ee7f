import { recognizeInpaintContract } from '../../native-helper/src/catalog/inpaint-contract';
import type { ModelSignature, TensorSignature } from '../../native-helper/src/engine/engine';

const tensor = (name: string, type: string, shape: Array<number | string>): TensorSignature => ({ name, type, shape });

/** Carve/LaMa-ONNX's `lama_fp32.onnx`: batch free, 512×512 fixed. */
const carveLama: ModelSignature = {
  inputs: [tensor('image', 'float32', ['batch', 3, 512, 512]), tensor('mask', 'float32', ['batch', 1, 512, 512])],
  outputs: [tensor('output', 'float32', ['batch', 3, 512, 512])],
};

/**
 * MI-GAN's `create_onnx_pipeline.py` export: inputs free but for the channels. Its dynamic axes are
 * declared for "output" while the output is named "result", so the export may keep the dummy
 * input's 256×256 there: only the output's type is read.
 */
const miganPipeline: ModelSignature = {
  inputs: [tensor('image', 'uint8', ['batch_size', 3, 'height', 'width']), tensor('mask', 'uint8', ['batch_size', 1, 'height', 'width'])],
  outputs: [tensor('result', 'uint8', [1, 3, 256, 256])],
};

describe('recognizeInpaintContract', () => {
  it('reads a fixed 512×512 LaMa export: 0..1 float image, mask 1 = fill, windows of exactly 512', () => {
    expect(recognizeInpaintContract(carveLama)).toEqual({
      family: 'lama',
      io: { input: 'image', output: 'output', layout: 'NCHW', channelOrder: 'RGB', valueRange: [0, 1], mask: { name: 'mask', holeValue: 1, keepValue: 0 } },
      tiling: { tile: 512, maxTile: 512, overlap: 0, multipleOf: 8, minSize: 512 },
    });
  });

  it('gives a LaMa export of free size sides in multiples of 8 and a 512 working side', () => {
    const dynamic: ModelSignature = {
      inputs: [tensor('image', 'float32', [1, 3, 'height', 'width']), tensor('mask', 'float32', [1, 1, 'height', 'width'])],
      outputs: [tensor('output', 'float32', [1, 3, 'height', 'width'])],
    };
    expect(recognizeInpaintContract(dynamic).tiling).toEqual({ tile: 512, maxTile: 512, overlap: 0, multipleOf: 8, minSize: 8 });
  });

  it('reads MI-GAN’s pipeline: uint8 in and out, mask 255 = keep, the hole grown past its blurred paste, square 512 windows', () => {
    expect(recognizeInpaintContract(miganPipeline)).toEqual({
      family: 'mi-gan',
      io: {
        input: 'image',
        output: 'result',
        layout: 'NCHW',
        channelOrder: 'RGB',
        valueRange: [0, 255],
        dtype: 'uint8',
        mask: { name: 'mask', holeValue: 0, keepValue: 255, grow: 3 },
      },
      tiling: { tile: 512, maxTile: 512, overlap: 0, multipleOf: 8, minSize: 512 },
    });
  });

  it('tells the image from the mask by their channels, whatever their names and order', () => {
    const renamed: ModelSignature = {
      inputs: [tensor('hole', 'float32', [1, 1, 256, 256]), tensor('picture', 'float32', [1, 3, 256, 256])],
      outputs: [tensor('inpainted', 'float32', [1, 3, 256, 256])],
    };
    const { io, tiling } = recognizeInpaintContract(renamed);
    expect({ input: io.input, mask: io.mask.name, output: io.output, minSize: tiling.minSize }).toEqual({ input: 'picture', mask: 'hole', output: 'inpainted', minSize: 256 });
  });

  it('pads a fixed side that is no multiple of 8 to exactly that side', () => {
    const odd: ModelSignature = {
      inputs: [tensor('image', 'float32', [1, 3, 500, 500]), tensor('mask', 'float32', [1, 1, 500, 500])],
      outputs: [tensor('output', 'float32', [1, 3, 500, 500])],
    };
    expect(recognizeInpaintContract(odd).tiling).toMatchObject({ multipleOf: 500, minSize: 500 });
  });

  const refusals: Array<[string, ModelSignature, RegExp]> = [
    [
      'one input',
      { inputs: [tensor('input', 'float32', [1, 3, 'H', 'W'])], outputs: [tensor('output', 'float32', [1, 3, 'H', 'W'])] },
      /takes 1 input\(s\), not an image and a mask/,
    ],
    [
      'float16 tensors',
      {
        inputs: [tensor('image', 'float16', [1, 3, 512, 512]), tensor('mask', 'float16', [1, 1, 512, 512])],
        outputs: [tensor('output', 'float16', [1, 3, 512, 512])],
      },
      /image and mask are float16 and float16/,
    ],
    [
      'a float image beside a uint8 mask',
      { inputs: [tensor('image', 'float32', [1, 3, 'H', 'W']), tensor('mask', 'uint8', [1, 1, 'H', 'W'])], outputs: [tensor('output', 'float32', [1, 3, 'H', 'W'])] },
      /image and mask are float32 and uint8/,
    ],
    [
      'a non-square fixed size',
      { inputs: [tensor('image', 'float32', [1, 3, 256, 512]), tensor('mask', 'float32', [1, 1, 256, 512])], outputs: [tensor('output', 'float32', [1, 3, 256, 512])] },
      /image is 512×256 \(width×height\)/,
    ],
    [
      'two images',
      { inputs: [tensor('a', 'float32', [1, 3, 'H', 'W']), tensor('b', 'float32', [1, 3, 'H', 'W'])], outputs: [tensor('output', 'float32', [1, 3, 'H', 'W'])] },
      /no 1×3×H×W image input beside a 1×1×H×W mask/,
    ],
    [
      'a 4-channel mask',
      { inputs: [tensor('image', 'float32', [1, 3, 'H', 'W']), tensor('mask', 'float32', [1, 4, 'H', 'W'])], outputs: [tensor('output', 'float32', [1, 3, 'H', 'W'])] },
      /mask "mask" has 4 channels, not 1/,
    ],
    [
      'an int64 output',
      { inputs: [tensor('image', 'uint8', [1, 3, 'H', 'W']), tensor('mask', 'uint8', [1, 1, 'H', 'W'])], outputs: [tensor('labels', 'int64', [1, 3, 'H', 'W'])] },
      /no float32 or uint8 output/,
    ],
  ];

  it.each(refusals)('refuses %s, naming what it found and what Mend reads', (_, signature, why) => {
    expect(() => recognizeInpaintContract(signature)).toThrow(why);
    expect(() => recognizeInpaintContract(signature)).toThrow(new RegExp(`its inputs are \\[${signature.inputs[0].name}: .*LaMa-style exports .* MI-GAN pipeline exports`));
  });
});
