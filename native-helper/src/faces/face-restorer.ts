import type { ModelManifest } from '../catalog/manifest';
import type { ModelSession, NamedTensor } from '../engine/inference-engine';
import { MendError } from '../errors';
import { createImage, type PixelImage } from '../imaging/pixel-image';
import type { CropRestorer } from './restore-faces';

/**
 * The fidelity weight CodeFormer is run with: its own default (`inference_codeformer.py`,
 * `--fidelity_weight 0.5`), which facefusion ships as its default too. How much of the restored face is
 * used is `--strength`, a blend after the model.
 */
export const CODEFORMER_FIDELITY = 0.5;

/** A face model (task 'face') ready to restore aligned crops of its side, whatever the face's own size. */
export interface FaceRestorer extends CropRestorer {
  side: number;
  /** The restored crop of a `side`×`side` float RGB crop in 0..1, as a crop of the same kind. */
  restore(crop: PixelImage): Promise<PixelImage>;
}

function fidelityTensor(fidelity: NonNullable<ModelManifest['io']['fidelity']>): NamedTensor {
  return fidelity.dtype === 'float64'
    ? { type: 'float64', data: Float64Array.of(CODEFORMER_FIDELITY), dims: fidelity.dims }
    : { type: 'float32', data: Float32Array.of(CODEFORMER_FIDELITY), dims: fidelity.dims };
}

/** Drives a face model's session by its manifest (see catalog/face-contract.ts): planes in its value range and channel order, one crop per run. */
export function faceRestorer(manifest: ModelManifest, session: ModelSession): FaceRestorer {
  const { io } = manifest;
  const side = manifest.tiling.tile;
  const [low, high] = io.valueRange;
  const order = io.channelOrder === 'RGB' ? [0, 1, 2] : [2, 1, 0];
  return {
    label: manifest.id,
    side,
    sideFor: () => side,
    async restore(crop) {
      if (crop.width !== side || crop.height !== side || crop.channels !== 3 || crop.bitDepth !== 32) {
        throw new Error(`${manifest.id} restores ${side}×${side} float RGB crops, not ${crop.width}×${crop.height}`);
      }
      const plane = side * side;
      const input = new Float32Array(3 * plane);
      for (let p = 0; p < plane; p++) for (let c = 0; c < 3; c++) input[order[c] * plane + p] = low + crop.data[p * 3 + c] * (high - low);
      const inputs: Record<string, NamedTensor> = { [io.input]: { type: 'float32', data: input, dims: [1, 3, side, side] } };
      if (io.fidelity) inputs[io.fidelity.name] = fidelityTensor(io.fidelity);
      const out = await session.runNamed(inputs);
      const [, channels, height, width] = out.dims;
      if (out.type !== 'float32' || channels !== 3 || height !== side || width !== side) {
        throw new MendError('model_invalid', `${manifest.id} answered a ${out.type} [${out.dims.join(',')}] tensor, not float32 [1,3,${side},${side}]`);
      }
      const restored = createImage(side, side, 3, 32, 1);
      for (let p = 0; p < plane; p++) {
        for (let c = 0; c < 3; c++) {
          const v = (out.data[order[c] * plane + p] - low) / (high - low);
          // Models answer a little past their range (GAN outputs are clipped to −1..1 by every driver).
          restored.data[p * 3 + c] = v < 0 ? 0 : v > 1 ? 1 : v;
        }
      }
      return restored;
    },
  };
}
