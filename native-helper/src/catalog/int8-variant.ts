import { decodeImageFile } from '../codecs/image-file';
import { quantizeInt8, tensorsToCalibrate, withTensorOutputs, type QuantizeOptions, type TensorRange, type WeightFormat } from '../convert/onnx/quantize-int8';
import type { ActivationSession } from '../engine/activation-session';
import { throwIfCancelled } from '../errors';
import { lumaAt } from '../imaging/luma';
import type { PixelImage } from '../imaging/pixel-image';
import { readTileTensor } from '../imaging/tensor';
import { PREPARE_CONVERT_STAGE } from '../protocol';
import type { ModelFile, ModelManifest } from './manifest';
import type { VariantBuilder, VariantContext } from './variants';

/** How activation ranges are read from the calibration runs. */
export type Calibration = 'minmax' | 'percentile';

export interface Int8BuildOptions {
  /** Photos the activations are calibrated on (PNG/JPEG); bright ones among them, or skies come out darker. */
  images: readonly string[];
  /** Opens a model's bytes on the CPU for calibration runs (engine/activation-session.ts). */
  open(model: Uint8Array, inputName: string): Promise<ActivationSession>;
  /** 'minmax' by default. */
  calibration?: Calibration;
  /** Convs kept in fp32 (see QuantizeOptions); by default the first and the last. */
  fp32Convs?: readonly number[];
  /** 'int8-7bit' by default (see WeightFormat). */
  weights?: WeightFormat;
  /** 'convs' by default (see QuantizeOptions). */
  scope?: QuantizeOptions['scope'];
  /** Side of the calibration crops in input pixels (a fixed-side model's own side instead). */
  crop?: number;
}

/**
 * What every int8 variant is built with, and the version its record keeps: change it with any change
 * that gives other bytes (quantizer, calibration images or crops, fp32 layers), so that variants built
 * before are built again.
 */
export const INT8_BUILDER_VERSION = 'qdq-1';
export const DEFAULT_FP32_CONVS: readonly number[] = [0, -1];
const DEFAULT_CROP = 64;
/** The share of values a percentile range leaves out at each end of a crop's activations. */
const PERCENTILE_TAIL = 1e-4;
/** Values sampled per tensor and crop for a percentile range. */
const PERCENTILE_SAMPLES = 1 << 15;

interface Crop {
  x: number;
  y: number;
}

/** The crop of `side` with the highest mean luma (sky, snow, white walls: what a too-narrow range darkens) and the centre crop. */
function cropsOf(image: PixelImage, side: number): Crop[] {
  const centre = { x: Math.max(0, Math.floor((image.width - side) / 2)), y: Math.max(0, Math.floor((image.height - side) / 2)) };
  let brightest = centre;
  let best = -1;
  const step = Math.max(8, side >> 1);
  for (let y = 0; y + side <= image.height; y += step)
    for (let x = 0; x + side <= image.width; x += step) {
      let sum = 0;
      for (let yy = y; yy < y + side; yy += 4) for (let xx = x; xx < x + side; xx += 4) sum += lumaAt(image.data, (yy * image.width + xx) * image.channels, image.channels);
      if (sum > best) {
        best = sum;
        brightest = { x, y };
      }
    }
  return brightest.x === centre.x && brightest.y === centre.y ? [centre] : [brightest, centre];
}

/** The crop side a model is calibrated at: its fixed side, else DEFAULT_CROP fitted to its tiling constraints. */
function cropSide(manifest: ModelManifest, file: ModelFile, wanted: number): number {
  if (file.side !== undefined) return file.side;
  const side = Math.max(wanted, manifest.tiling.minSize);
  return Math.ceil(side / manifest.tiling.multipleOf) * manifest.tiling.multipleOf;
}

/** The low and high percentile of a tensor's values from an evenly strided sample. */
function percentileRange(values: Float32Array): TensorRange {
  const stride = Math.max(1, Math.floor(values.length / PERCENTILE_SAMPLES));
  const sample = new Float32Array(Math.ceil(values.length / stride));
  for (let i = 0, j = 0; i < values.length; i += stride, j++) sample[j] = values[i];
  sample.sort();
  const cut = Math.floor(sample.length * PERCENTILE_TAIL);
  return { min: sample[cut], max: sample[sample.length - 1 - cut] };
}

function minMax(values: Float32Array): TensorRange {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

/**
 * Runs the model on every crop and answers each tensor's range over them all: the widest min/max, or the
 * widest of the crops' percentile ranges.
 */
export async function calibrate(
  model: Uint8Array,
  manifest: ModelManifest,
  file: ModelFile,
  names: readonly string[],
  options: Int8BuildOptions,
  context: VariantContext,
): Promise<Map<string, TensorRange>> {
  const side = cropSide(manifest, file, options.crop ?? DEFAULT_CROP);
  const rangeOf = options.calibration === 'percentile' ? percentileRange : minMax;
  const format = { channelOrder: manifest.io.channelOrder, valueRange: manifest.io.valueRange };
  const images = await Promise.all(options.images.map(async (path) => (await decodeImageFile(path)).image));
  const crops = images.flatMap((image) => cropsOf(image, side).map((crop) => ({ image, crop })));
  const session = await options.open(withTensorOutputs(model, names), manifest.io.input);
  const ranges = new Map<string, TensorRange>();
  try {
    for (const [index, { image, crop }] of crops.entries()) {
      throwIfCancelled(context.signal);
      const input = readTileTensor(image, { x: crop.x, y: crop.y, width: side, height: side }, format);
      const values = await session.run(input, side, side, names);
      for (const [name, data] of values) {
        const range = rangeOf(data);
        const seen = ranges.get(name);
        ranges.set(name, seen ? { min: Math.min(seen.min, range.min), max: Math.max(seen.max, range.max) } : range);
      }
      context.onProgress?.({ done: index + 1, total: crops.length + 1, stage: PREPARE_CONVERT_STAGE });
    }
  } finally {
    await session.release();
  }
  return ranges;
}

/** Builds int8 variants: calibrated on `options.images`, quantized by `quantizeInt8` with `fp32Convs` kept in fp32. */
export function int8Builder(options: Int8BuildOptions): VariantBuilder {
  const quantize: QuantizeOptions = { fp32Convs: options.fp32Convs ?? DEFAULT_FP32_CONVS, weights: options.weights ?? 'int8-7bit', scope: options.scope ?? 'convs' };
  return {
    version: [INT8_BUILDER_VERSION, options.calibration ?? 'minmax', quantize.weights, quantize.fp32Convs?.join('_'), options.crop ?? DEFAULT_CROP, quantize.scope].join('-'),
    async build(fp32, manifest, file, context) {
      const names = tensorsToCalibrate(fp32, quantize);
      const ranges = await calibrate(fp32, manifest, file, names, options, context);
      throwIfCancelled(context.signal);
      return quantizeInt8(fp32, ranges, quantize);
    },
  };
}
