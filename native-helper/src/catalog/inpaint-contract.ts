import { MendError } from '../errors';
import type { ModelSignature, TensorSignature } from '../engine/engine';
import type { ModelManifest } from './manifest';

/**
 * The two public ONNX inpainting contracts Mend reads, told apart by their signature:
 * - LaMa exports: `image` float32 1×3×H×W RGB in 0..1 and `mask` float32 1×1×H×W with 1 = fill
 *   (usually fixed 512×512); the output is RGB, in 0..255 in the common export (probed, see
 *   user-models.ts).
 * - MI-GAN's pipeline export: `image` uint8 1×3×H×W RGB 0..255 and `mask` uint8 1×1×H×W with
 *   255 = keep, 0 = fill, any size; the output `result` is uint8 RGB.
 */
export interface InpaintContract {
  family: 'lama' | 'mi-gan';
  io: ModelManifest['io'] & { mask: NonNullable<ModelManifest['io']['mask']> };
  tiling: ModelManifest['tiling'];
}

/** The side a model of free size is given: LaMa and MI-GAN were trained at 512. */
const WORKING_SIDE = 512;
const SIZE_MULTIPLE = 8;

const ACCEPTED =
  'Mend reads LaMa-style exports (float32 image 1×3×H×W in 0..1 + float32 mask 1×1×H×W, 1 = fill) and MI-GAN-style ones (uint8 image 1×3×H×W + uint8 mask 1×1×H×W, 255 = keep)';

function describe(tensors: readonly TensorSignature[]): string {
  return `[${tensors.map((t) => `${t.name}: ${t.type}[${t.shape.join(',')}]`).join('; ')}]`;
}

function channelsOf(tensor: TensorSignature): number | string | undefined {
  return tensor.shape.length === 4 ? tensor.shape[1] : undefined;
}

export function recognizeInpaintContract(signature: ModelSignature): InpaintContract {
  const found = `its inputs are ${describe(signature.inputs)} and outputs ${describe(signature.outputs)}`;
  const refuse = (why: string) => new MendError('model_invalid', `not an inpainting model Mend can drive: ${why}; ${found}. ${ACCEPTED}.`);
  if (signature.inputs.length !== 2) throw refuse(`it takes ${signature.inputs.length} inputs, not an image and a mask`);
  const image = signature.inputs.find((t) => channelsOf(t) === 3) ?? signature.inputs.find((t) => t.name === 'image');
  const mask = signature.inputs.find((t) => t !== image);
  const output = signature.outputs[0];
  if (!image || !mask || !output) throw refuse('no 3-channel image input beside a mask');
  if (image.type !== mask.type || (image.type !== 'float32' && image.type !== 'uint8')) throw refuse(`its image and mask are ${image.type} and ${mask.type}`);
  const [, , height, width] = image.shape;
  const fixed = typeof height === 'number' && height > 0 ? height : undefined;
  if (fixed !== undefined && width !== fixed) throw refuse(`it takes only ${width}×${height} images; Mend gives fixed-size models square windows`);
  const tiling = fixed
    ? { tile: fixed, maxTile: fixed, overlap: 0, multipleOf: SIZE_MULTIPLE, minSize: fixed }
    : { tile: WORKING_SIDE, maxTile: WORKING_SIDE, overlap: 0, multipleOf: SIZE_MULTIPLE, minSize: SIZE_MULTIPLE };
  const common = { input: image.name, output: output.name, layout: 'NCHW' as const, channelOrder: 'RGB' as const };
  if (image.type === 'uint8') {
    return { family: 'mi-gan', io: { ...common, valueRange: [0, 255], dtype: 'uint8', mask: { name: mask.name, holeValue: 0, keepValue: 255 } }, tiling };
  }
  return { family: 'lama', io: { ...common, valueRange: [0, 1], mask: { name: mask.name, holeValue: 1, keepValue: 0 } }, tiling };
}
