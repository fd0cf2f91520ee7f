import {
  DEFAULT_DETAIL,
  FACE_THUMBNAIL_SIDE,
  MAX_FACES,
  MAX_IMAGE_SIDE,
  bytesPerSample,
  pixelByteLength,
  type JobOptions,
  type JobRequestHeader,
  type PixelLayout,
  type UpscaleOptions,
} from '../protocol';
import { passCount } from '../tasks/upscale-task';

/** Largest result the helper makes: past this a job takes hours and its result no longer fits Photoshop's documents. */
const MAX_OUTPUT_PIXELS = 1e9;
/** Share of the machine's memory one job may plan on; the rest is for the OS, Photoshop and the other programs. */
const JOB_MEMORY_SHARE = 0.75;
/** Models, sessions and tiles in flight (the largest CPU tile peaks at 1.5 GB, README's tile sweep). */
const ENGINE_BYTES = 1.5e9;
/** Defect detection keeps several float planes of the luminance at once. */
const DETECTION_BYTES_PER_PIXEL = 32;
/** The map of invented detail holds one float plane at the input's size (the re-degradation residual); the rest goes in bands of rows. */
const MAP_BYTES_PER_INPUT_PIXEL = 4;

/** The factors an upscale runs at: the output's (`target`), and the model's own, which extra passes or a resample bridge. */
export interface JobScale {
  target: number;
  model: number;
}

/** The factors of one upscale's options, as the catalog will decide them (restores run at ×1). */
export type ScaleOf = (options: UpscaleOptions) => JobScale;

const UNSCALED: JobScale = { target: 1, model: 1 };

const CHANNEL_NAMES = { 1: 'gray', 2: 'gray + alpha', 3: 'RGB', 4: 'RGBA' } as const;

function describeLayout(layout: PixelLayout): string {
  return `${layout.width}×${layout.height} ${CHANNEL_NAMES[layout.channels]} ${layout.bitDepth === 32 ? '32-bit float' : `${layout.bitDepth}-bit`}`;
}

const gigabytes = (bytes: number) => `${(bytes / 1e9).toFixed(1)} GB`;

/** The upscales or restores a job runs: a compare job's variants, else the job itself. */
function runsOf(options: JobOptions): JobOptions[] {
  return options.task === 'compare' ? options.variants : [options];
}

function scaleOfRun(options: JobOptions, scaleOf: ScaleOf): JobScale {
  return options.task === 'upscale' ? scaleOf(options) : UNSCALED;
}

/** Whether an upscale also makes the fidelity base: for a detail strength other than 1, or for the map of invented detail. */
function makesFidelityBase(options: UpscaleOptions): boolean {
  return (options.detail ?? DEFAULT_DETAIL) !== DEFAULT_DETAIL || options.inventedDetailMap === true;
}

/**
 * The layout of a job's main result (a compare job's variants all have it; variants of different factors
 * are refused when the job runs, and the largest counts until then); find-defects answers a one-channel 8-bit mask.
 */
export function resultLayout(header: JobRequestHeader, scaleOf: ScaleOf): PixelLayout {
  const { image, options } = header;
  if (options.task === 'find-defects') return { width: image.width, height: image.height, channels: 1, bitDepth: 8, maxValue: 255 };
  if (options.task === 'find-faces') return { width: FACE_THUMBNAIL_SIDE, height: FACE_THUMBNAIL_SIDE, channels: 3, bitDepth: 8, maxValue: 255 };
  const target = Math.max(...runsOf(options).map((run) => scaleOfRun(run, scaleOf).target));
  return { ...image, width: image.width * target, height: image.height * target };
}

/** Bytes of every output a job answers: its result, a compare job's other variants, the map of invented detail. */
function outputBytes(header: JobRequestHeader, result: PixelLayout): number {
  const { options } = header;
  const resultBytes = pixelByteLength(result);
  if (options.task === 'compare') return options.variants.length * resultBytes;
  if (options.task === 'find-faces') return MAX_FACES * resultBytes;
  // restore-faces: the pasted image and the one-channel mask of the faces' regions.
  if (options.task === 'restore-faces') return resultBytes + result.width * result.height;
  const mapBytes = options.task === 'upscale' && options.inventedDetailMap ? result.width * result.height : 0;
  return resultBytes + mapBytes;
}

/** Bytes one upscale or restore holds besides the job's input and outputs, the engine left out. */
function runWorkingBytes(image: PixelLayout, options: JobOptions, scaleOf: ScaleOf): number {
  const pixels = image.width * image.height;
  const perPixel = image.channels * bytesPerSample(image.bitDepth);
  switch (options.task) {
    case 'upscale': {
      const scale = scaleOf(options);
      const passes = passCount(scale.model, scale.target);
      let area = options.cleanFirst ? 1 : 0;
      // Every pass but the last is collected whole; the last one too when it overshoots and is resampled.
      for (let k = 1; k < passes; k++) area += scale.model ** (2 * k);
      if (scale.model ** passes !== scale.target) area += scale.model ** (2 * passes);
      if (makesFidelityBase(options)) {
        // The model's output and the fidelity base are both collected whole, then mixed into a third image at
        // the detail strength.
        const resultArea = scale.target ** 2;
        area += resultArea * 2;
        if ((options.detail ?? DEFAULT_DETAIL) !== DEFAULT_DETAIL) area += resultArea;
        const mapBytes = options.inventedDetailMap ? pixels * MAP_BYTES_PER_INPUT_PIXEL : 0;
        return area * pixels * perPixel + mapBytes;
      }
      return area * pixels * perPixel;
    }
    case 'restore':
    case 'compare':
      return 0;
    case 'inpaint':
      return pixels * (perPixel + 4);
    case 'find-defects':
      return pixels * DETECTION_BYTES_PER_PIXEL;
    // The detector's pyramid resamples the image once at its own size (a 1/16 of it after); faces are small crops.
    case 'find-faces':
    case 'restore-faces':
      return pixels * perPixel;
  }
}

/** Bytes a job holds besides its input and outputs: intermediate images between passes, copies, and the engine. Variants run one after the other. */
function workingBytes(header: JobRequestHeader, scaleOf: ScaleOf): number {
  const { image, options } = header;
  if (options.task === 'find-defects') return runWorkingBytes(image, options, scaleOf);
  return ENGINE_BYTES + Math.max(...runsOf(options).map((run) => runWorkingBytes(image, run, scaleOf)));
}

/** What to do about a job too large, in the words of its options. */
function fixFor(options: JobOptions): string {
  const runs = runsOf(options);
  const fixes = ['select a part'];
  if (runs.some((run) => run.task === 'upscale')) fixes.push('choose a smaller scale');
  if (options.task === 'compare') fixes.push('compare fewer variants');
  const withBase = runs.filter((run): run is UpscaleOptions => run.task === 'upscale' && makesFidelityBase(run));
  const detailed = withBase.some((run) => (run.detail ?? DEFAULT_DETAIL) !== DEFAULT_DETAIL);
  const mapped = withBase.some((run) => run.inventedDetailMap);
  if (mapped) fixes.push(detailed ? 'use detail 1 without the map of invented detail' : 'leave out the map of invented detail');
  else if (detailed) fixes.push('use detail 1');
  return fixes.length === 1 ? fixes[0] : `${fixes.slice(0, -1).join(', ')}, or ${fixes[fixes.length - 1]}`;
}

/**
 * Why a job must be refused before anything is allocated for it, or undefined when it fits: a result
 * over a gigapixel or wider than the protocol's sides, or more bytes than this machine's memory allows.
 */
export function jobSizeRefusal(header: JobRequestHeader, scaleOf: ScaleOf, totalMemory: number): string | undefined {
  const result = resultLayout(header, scaleOf);
  const resultBytes = pixelByteLength(result);
  const { options } = header;
  const what = options.task === 'compare' ? `the ${options.variants.length} variants would each be ${describeLayout(result)}` : `the result would be ${describeLayout(result)}`;
  const fix = fixFor(options);
  if (result.width > MAX_IMAGE_SIDE || result.height > MAX_IMAGE_SIDE) {
    return `${what}, but a side may be at most ${MAX_IMAGE_SIDE} px: ${fix}`;
  }
  const pixels = result.width * result.height;
  if (pixels > MAX_OUTPUT_PIXELS) {
    return `${what} (${(pixels / 1e9).toFixed(2)} gigapixels, ${gigabytes(resultBytes)}), more than the ${MAX_OUTPUT_PIXELS / 1e9} gigapixel the helper makes at once: ${fix}`;
  }
  const inputBytes = pixelByteLength(header.image) + (header.mask ? pixelByteLength(header.mask) : 0);
  const outputs = outputBytes(header, result);
  const needed = inputBytes + outputs + workingBytes(header, scaleOf);
  if (needed > totalMemory * JOB_MEMORY_SHARE) {
    const sizes = [options.task === 'compare' ? `${gigabytes(outputs)} in all` : gigabytes(resultBytes)];
    if (runsOf(options).some((run) => run.task === 'upscale' && makesFidelityBase(run))) sizes.push(`${gigabytes(needed)} while it runs, as the fidelity base is made too`);
    return `${what} (${sizes.join('; ')}), more than this machine's memory (${gigabytes(totalMemory)}) allows: ${fix}`;
  }
  return undefined;
}
