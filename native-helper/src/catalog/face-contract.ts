import { MendError } from '../errors';
import type { ModelSignature, TensorSignature } from '../engine/engine';
import type { ModelManifest } from './manifest';

/**
 * The public ONNX face-restorer exports Mend reads, from their signature. All take an FFHQ-aligned face
 * crop (see faces/face-template.ts) as float32 1×3×S×S RGB in −1..1 ((v/255 − 0.5)/0.5) and answer the
 * restored crop the same way (clipped to −1..1); they differ only in S and in CodeFormer's fidelity input:
 * - GFPGAN v1.3 / v1.4 (facefusion's `gfpgan_1.3/1.4.onnx`, the GFPGAN-onnxruntime-demo exports):
 *   `input` 1×3×512×512 → one 1×3×512×512 output (`output`, or an export's numbered name).
 * - GPEN-BFR-512 and RestoreFormer / RestoreFormer++ (facefusion's `gpen_bfr_512.onnx`,
 *   `restoreformer_plus_plus.onnx`): `input` 1×3×512×512 → `output` 1×3×512×512 — the same signature as
 *   GFPGAN's, so these are not told apart; they are driven alike, which is all Mend needs to know.
 * - GPEN-BFR-256 (`gpen_bfr_256.onnx`): the same at 1×3×256×256.
 * - CodeFormer: the image beside a float64 fidelity weight of shape [1] — `input` + `weight` in
 *   facefusion's `codeformer.onnx`, `x` + `w` in the export of redthing1/CodeFormer — and the restored
 *   crop as its first output (0 = most restoration, 1 = closest to the input).
 */
export interface FaceContract {
  family: 'gfpgan-style' | 'gpen-bfr-256' | 'codeformer';
  /** The crop side the model takes. */
  side: number;
  io: ModelManifest['io'];
  tiling: ModelManifest['tiling'];
}

/** The crop sides of the public exports: GPEN-BFR-256 and the 512 ones. */
const SIDES = [256, 512];
/** The side given to an export whose sides are free: the models were trained at 512. */
const FREE_SIDE = 512;

const ACCEPTED =
  'Mend reads face restorers that take a float32 1×3×S×S image in −1..1 (S = 256 or 512: GFPGAN v1.3/v1.4, GPEN-BFR-256/512, RestoreFormer, RestoreFormer++), optionally with a one-value fidelity weight beside it (CodeFormer), and answer a float32 1×3×S×S image';

function describe(tensors: readonly TensorSignature[]): string {
  return `[${tensors.map((t) => `${t.name}: ${t.type}[${t.shape.join(',')}]`).join('; ')}]`;
}

/** A dimension that is `n`, or free (a name, or -1). */
const fits = (dim: number | string | undefined, n: number) => typeof dim === 'string' || dim === n || dim === -1;
const fixed = (dim: number | string | undefined) => (typeof dim === 'number' && dim > 0 ? dim : undefined);

/** A single number: no dimension, or every dimension 1 or free. */
const isScalar = (t: TensorSignature) => t.shape.length <= 1 && t.shape.every((d) => fits(d, 1));

/** Which face-restorer contract a model follows, from its inputs' and outputs' names, types and shapes. */
export function recognizeFaceContract(signature: ModelSignature): FaceContract {
  const found = `its inputs are ${describe(signature.inputs)} and its outputs ${describe(signature.outputs)}`;
  const refuse = (why: string) => new MendError('model_invalid', `not a face restorer Mend can drive: ${why}; ${found}. ${ACCEPTED}.`);
  const images = signature.inputs.filter((t) => t.shape.length === 4 && fits(t.shape[1], 3));
  if (images.length !== 1) throw refuse(images.length ? 'it takes more than one image' : 'it has no 1×3×S×S image input');
  const [image] = images;
  if (image.type !== 'float32') throw refuse(`its image "${image.name}" is ${image.type}, not float32`);
  if (!fits(image.shape[0], 1)) throw refuse(`its image "${image.name}" has a batch of ${image.shape[0]}, not 1`);
  const others = signature.inputs.filter((t) => t !== image);
  const weight = others[0];
  if (others.length > 1) throw refuse(`besides its image it takes ${others.length} inputs, where CodeFormer takes one fidelity weight`);
  if (weight && (!isScalar(weight) || (weight.type !== 'float32' && weight.type !== 'float64'))) {
    throw refuse(`its input "${weight.name}" is not a one-value float fidelity weight (CodeFormer's \`w\`)`);
  }
  const [, , heightDim, widthDim] = image.shape;
  const height = fixed(heightDim);
  const width = fixed(widthDim);
  if (height !== width) throw refuse(`its image is ${widthDim}×${heightDim} (width×height), not square`);
  const side = height ?? FREE_SIDE;
  if (!SIDES.includes(side)) throw refuse(`its image is ${side}×${side}, where the public exports are 256 or 512`);
  const output = signature.outputs.find((t) => t.type === 'float32' && t.shape.length === 4 && fits(t.shape[1], 3) && fits(t.shape[2], side) && fits(t.shape[3], side));
  if (!output) throw refuse(`it has no float32 1×3×${side}×${side} output`);
  const family = weight ? 'codeformer' : side === 256 ? 'gpen-bfr-256' : 'gfpgan-style';
  const fidelity = weight && { name: weight.name, dtype: weight.type as 'float32' | 'float64', dims: weight.shape.map(() => 1 as const) };
  return {
    family,
    side,
    io: { input: image.name, output: output.name, layout: 'NCHW', channelOrder: 'RGB', valueRange: [-1, 1], ...(fidelity && { fidelity }) },
    // One aligned crop per run, exactly of the model's side.
    tiling: { tile: side, maxTile: side, overlap: 0, multipleOf: side, minSize: side },
  };
}
