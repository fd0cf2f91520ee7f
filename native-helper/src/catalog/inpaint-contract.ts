import { MendError } from '../errors';
import type { ModelSignature, TensorSignature } from '../engine/engine';
import type { ModelManifest } from './manifest';

/**
 * The two public ONNX inpainting contracts Mend reads, told apart by their signature:
 * - LaMa exports (Carve/LaMa-ONNX and the like): `image` float32 1×3×H×W RGB in 0..1 and `mask`
 *   float32 1×1×H×W with 1 = fill, usually fixed at 512×512; the output is the composited RGB image,
 *   in 0..255 in the common export (the range is probed, see user-models/install.ts).
 * - MI-GAN's pipeline export (`migan_pipeline_v2.onnx`): `image` uint8 1×3×H×W RGB and `mask`
 *   uint8 1×1×H×W with 255 = keep, 0 = fill, any size; `result` is the composited uint8 RGB image.
 */
export interface InpaintContract {
  family: 'lama' | 'mi-gan';
  io: ModelManifest['io'] & { mask: NonNullable<ModelManifest['io']['mask']> };
  tiling: ModelManifest['tiling'];
}

/** Both families were trained at 512: the side a model of free size is given. */
const WORKING_SIDE = 512;
/** LaMa downsamples three times; its exports need sides that are multiples of 8. */
const SIZE_MULTIPLE = 8;
/**
 * MI-GAN's pipeline pastes its fill through the keep mask dilated by 1 px (3×3 max-pool) and blurred
 * (5×5 Gaussian): a hole grown by 3 px reaches Mend's own hole pixels with none of their old content.
 */
const MI_GAN_HOLE_GROWTH = 3;

const ACCEPTED =
  'Mend reads LaMa-style exports (float32 image 1×3×H×W in 0..1 + float32 mask 1×1×H×W, 1 = fill) and MI-GAN pipeline exports (uint8 image 1×3×H×W + uint8 mask 1×1×H×W, 255 = keep)';

function describe(tensors: readonly TensorSignature[]): string {
  return `[${tensors.map((t) => `${t.name}: ${t.type}[${t.shape.join(',')}]`).join('; ')}]`;
}

/** The channel dimension of an NCHW tensor: a number, a free dimension's name, or undefined for another rank. */
function channelsOf(tensor: TensorSignature): number | string | undefined {
  return tensor.shape.length === 4 ? tensor.shape[1] : undefined;
}

/** A fixed side, or undefined where the model takes any size along it. */
function fixedSide(dim: number | string | undefined): number | undefined {
  return typeof dim === 'number' && dim > 0 ? dim : undefined;
}

/** Which contract an inpainting model follows, from its inputs' and outputs' names, types and shapes. */
export function recognizeInpaintContract(signature: ModelSignature): InpaintContract {
  const found = `its inputs are ${describe(signature.inputs)} and its outputs ${describe(signature.outputs)}`;
  const refuse = (why: string) => new MendError('model_invalid', `not an inpainting model Mend can drive: ${why}; ${found}. ${ACCEPTED}.`);
  if (signature.inputs.length !== 2) throw refuse(`it takes ${signature.inputs.length} input(s), not an image and a mask`);
  const image = signature.inputs.find((t) => channelsOf(t) === 3);
  const mask = signature.inputs.find((t) => t !== image);
  if (!image || !mask || channelsOf(mask) === undefined || channelsOf(mask) === 3) throw refuse('it has no 1×3×H×W image input beside a 1×1×H×W mask');
  if (typeof channelsOf(mask) === 'number' && channelsOf(mask) !== 1) throw refuse(`its mask "${mask.name}" has ${channelsOf(mask)} channels, not 1`);
  if (image.type !== mask.type || (image.type !== 'float32' && image.type !== 'uint8')) {
    throw refuse(`its image and mask are ${image.type} and ${mask.type}, where both must be float32 (LaMa) or both uint8 (MI-GAN)`);
  }
  const output = signature.outputs.find((t) => channelsOf(t) === 3) ?? signature.outputs[0];
  if (!output || (output.type !== 'float32' && output.type !== 'uint8')) throw refuse('it has no float32 or uint8 output');

  const [, , heightDim, widthDim] = image.shape;
  const height = fixedSide(heightDim);
  const width = fixedSide(widthDim);
  if (height !== width) throw refuse(`its image is ${widthDim}×${heightDim} (width×height); Mend needs a square fixed size or a free size`);
  const family = image.type === 'uint8' ? 'mi-gan' : 'lama';
  // MI-GAN's pipeline resizes what it is given to a square: square windows of its training size keep the aspect.
  const side = height ?? (family === 'mi-gan' ? WORKING_SIDE : undefined);
  const tiling = side
    ? { tile: side, maxTile: side, overlap: 0, multipleOf: side % SIZE_MULTIPLE === 0 ? SIZE_MULTIPLE : side, minSize: side }
    : { tile: WORKING_SIDE, maxTile: WORKING_SIDE, overlap: 0, multipleOf: SIZE_MULTIPLE, minSize: SIZE_MULTIPLE };
  const common = { input: image.name, output: output.name, layout: 'NCHW' as const, channelOrder: 'RGB' as const };
  if (family === 'mi-gan') {
    return { family, io: { ...common, valueRange: [0, 255], dtype: 'uint8', mask: { name: mask.name, holeValue: 0, keepValue: 255, grow: MI_GAN_HOLE_GROWTH } }, tiling };
  }
  return { family, io: { ...common, valueRange: [0, 1], mask: { name: mask.name, holeValue: 1, keepValue: 0 } }, tiling };
}
