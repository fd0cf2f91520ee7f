import { MAX_IMAGE_SIDE, bytesPerSample, pixelByteLength, type JobRequestHeader, type PixelLayout } from '../protocol';
import { passCount } from '../tasks/upscale-task';

/** Largest result the helper makes: past this a job takes hours and its result no longer fits Photoshop's documents. */
const MAX_OUTPUT_PIXELS = 1e9;
/** Share of the machine's memory one job may plan on; the rest is for the OS, Photoshop and the other programs. */
const JOB_MEMORY_SHARE = 0.75;
/** Models, sessions and tiles in flight (the largest CPU tile peaks at 1.5 GB, README's tile sweep). */
const ENGINE_BYTES = 1.5e9;
/** Defect detection keeps several float planes of the luminance at once. */
const DETECTION_BYTES_PER_PIXEL = 32;

/** The factors a job runs at: the output's (`target`), and the model's own, which extra passes or a resample bridge. */
export interface JobScale {
  target: number;
  model: number;
}

const CHANNEL_NAMES = { 1: 'gray', 2: 'gray + alpha', 3: 'RGB', 4: 'RGBA' } as const;

function describeLayout(layout: PixelLayout): string {
  return `${layout.width}×${layout.height} ${CHANNEL_NAMES[layout.channels]} ${layout.bitDepth === 32 ? '32-bit float' : `${layout.bitDepth}-bit`}`;
}

const gigabytes = (bytes: number) => `${(bytes / 1e9).toFixed(1)} GB`;

/** The layout of a job's result; find-defects answers a one-channel 8-bit mask. */
export function resultLayout(header: JobRequestHeader, scale: JobScale): PixelLayout {
  const { image } = header;
  if (header.options.task === 'find-defects') return { width: image.width, height: image.height, channels: 1, bitDepth: 8, maxValue: 255 };
  return { ...image, width: image.width * scale.target, height: image.height * scale.target };
}

/** Bytes a job holds besides its input and result: intermediate images between passes, copies, and the engine. */
function workingBytes(header: JobRequestHeader, scale: JobScale): number {
  const { image, options } = header;
  const pixels = image.width * image.height;
  const perPixel = image.channels * bytesPerSample(image.bitDepth);
  switch (options.task) {
    case 'upscale': {
      const passes = passCount(scale.model, scale.target);
      let area = options.cleanFirst ? 1 : 0;
      // Every pass but the last is collected whole; the last one too when it overshoots and is resampled.
      for (let k = 1; k < passes; k++) area += scale.model ** (2 * k);
      if (scale.model ** passes !== scale.target) area += scale.model ** (2 * passes);
      return ENGINE_BYTES + area * pixels * perPixel;
    }
    case 'restore':
      return ENGINE_BYTES;
    case 'inpaint':
      return ENGINE_BYTES + pixels * (perPixel + 4);
    case 'find-defects':
      return pixels * DETECTION_BYTES_PER_PIXEL;
  }
}

/**
 * Why a job must be refused before anything is allocated for it, or undefined when it fits: a result
 * over a gigapixel or wider than the protocol's sides, or more bytes than this machine's memory allows.
 */
export function jobSizeRefusal(header: JobRequestHeader, scale: JobScale, totalMemory: number): string | undefined {
  const result = resultLayout(header, scale);
  const resultBytes = pixelByteLength(result);
  const what = `the result would be ${describeLayout(result)}`;
  const fix = header.options.task === 'upscale' ? 'select a part, or choose a smaller scale' : 'select a part';
  if (result.width > MAX_IMAGE_SIDE || result.height > MAX_IMAGE_SIDE) {
    return `${what}, but a side may be at most ${MAX_IMAGE_SIDE} px: ${fix}`;
  }
  const pixels = result.width * result.height;
  if (pixels > MAX_OUTPUT_PIXELS) {
    return `${what} (${(pixels / 1e9).toFixed(2)} gigapixels, ${gigabytes(resultBytes)}), more than the ${MAX_OUTPUT_PIXELS / 1e9} gigapixel the helper makes at once: ${fix}`;
  }
  const inputBytes = pixelByteLength(header.image) + (header.mask ? pixelByteLength(header.mask) : 0);
  if (inputBytes + resultBytes + workingBytes(header, scale) > totalMemory * JOB_MEMORY_SHARE) {
    return `${what} (${gigabytes(resultBytes)}), more than this machine's memory (${gigabytes(totalMemory)}) allows: ${fix}`;
  }
  return undefined;
}
