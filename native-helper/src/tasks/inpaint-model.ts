import { MendError } from '../errors';
import type { ModelManifest } from '../catalog/manifest';
import type { ModelSession, NamedTensor } from '../engine/inference-engine';
import { growHole } from '../imaging/mask';
import { reflectIndex } from '../imaging/rect';
import { planeOrder } from '../imaging/tensor';
import type { HoleFiller, HoleWindow } from './inpaint';

type MaskIo = NonNullable<ModelManifest['io']['mask']>;

/** The mask input of an inpainting model's manifest, or a message that says what is missing. */
export function maskIoOf(manifest: ModelManifest): MaskIo {
  if (!manifest.io.mask) {
    throw new MendError('model_invalid', `${manifest.id} has no mask input in its manifest (io.mask); an inpainting model needs one`);
  }
  return manifest.io.mask;
}

/** The side a model is given: at least its smallest input, rounded up to its multiple. */
function paddedSide(side: number, multipleOf: number, minSize: number): number {
  return Math.ceil(Math.max(side, minSize) / multipleOf) * multipleOf;
}

/**
 * Turns a window into the model's own tensors (planar, its channel order, value range and element
 * type, the mask's polarity; reflect-padded to its size rules), runs it, and reads the fill back.
 */
export function modelHoleFiller(manifest: ModelManifest, session: ModelSession, workingSide: number): HoleFiller {
  const { io, tiling } = manifest;
  const maskIo = maskIoOf(manifest);
  const dtype = io.dtype ?? 'float32';
  const [lo, hi] = io.valueRange;
  const [outLo, outHi] = io.outputValueRange ?? io.valueRange;
  const planes = planeOrder({ channelOrder: io.channelOrder, valueRange: io.valueRange });

  function tensor(values: Float32Array, channels: number, height: number, width: number): NamedTensor {
    const dims = [1, channels, height, width];
    if (dtype === 'float32') return { type: 'float32', data: values, dims };
    return { type: 'uint8', data: Uint8Array.from(values, (v) => Math.min(255, Math.max(0, Math.round(v)))), dims };
  }

  async function fill(window: HoleWindow): Promise<Float32Array> {
    const { width, height, rgb, hole } = window;
    const pw = paddedSide(width, tiling.multipleOf, tiling.minSize);
    const ph = paddedSide(height, tiling.multipleOf, tiling.minSize);
    const plane = pw * ph;
    const image = new Float32Array(3 * plane);
    const padded = new Uint8Array(plane);
    for (let y = 0; y < ph; y++) {
      const sy = reflectIndex(y, height);
      for (let x = 0; x < pw; x++) {
        const s = sy * width + reflectIndex(x, width);
        const o = y * pw + x;
        for (let c = 0; c < 3; c++) image[planes[c] * plane + o] = rgb[s * 3 + c] * (hi - lo) + lo;
        padded[o] = hole[s];
      }
    }
    const modelHole = growHole(padded, pw, ph, maskIo.grow ?? 0);
    const mask = Float32Array.from(modelHole, (h) => (h ? maskIo.holeValue : maskIo.keepValue));
    const out = await session.runNamed({ [io.input]: tensor(image, 3, ph, pw), [maskIo.name]: tensor(mask, 1, ph, pw) });
    const [n, channels, oh, ow] = out.dims;
    if (out.dims.length !== 4 || n !== 1 || channels !== 3 || oh !== ph || ow !== pw) {
      throw new MendError(
        'model_invalid',
        `${manifest.id} answered a tensor of shape [${out.dims.join(', ')}] for a ${pw}×${ph} window; an inpainting model must answer [1, 3, ${ph}, ${pw}]`,
      );
    }
    const result = new Float32Array(width * height * 3);
    const scale = 1 / (outHi - outLo);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const o = y * pw + x;
        for (let c = 0; c < 3; c++) result[(y * width + x) * 3 + c] = (out.data[planes[c] * plane + o] - outLo) * scale;
      }
    }
    return result;
  }

  return { id: manifest.id, workingSide, minSide: tiling.minSize, fill };
}
