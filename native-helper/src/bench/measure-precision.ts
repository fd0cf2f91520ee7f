import type { MendApp } from '../app';
import { decodeImageFile } from '../codecs/image-file';
import type { PixelImage } from '../imaging/pixel-image';
import type { Precision } from '../protocol';
import type { BenchImage, BenchTask } from './bench-context';

/** One model at one size: fp32 and another precision timed in turn through the same pipeline, and how far apart their outputs are. */
export interface PrecisionMeasurement {
  model: string;
  precision: Precision;
  size: number;
  /** The first run at `precision`, which builds its variant when it is missing (calibration included). */
  firstRunMs: number;
  fp32Ms: number[];
  variantMs: number[];
  /** Median over the pairs of fp32 time ÷ variant time: each pair ran back to back, so drift in the machine's speed cancels. */
  speedRatio: number;
  /** PSNR of the variant's output against the fp32 output, over every sample (8-bit RGB). */
  psnrDb: number;
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** PSNR of two images of one layout, peak = their maximum sample value; Infinity when equal. */
export function imagePsnr(reference: PixelImage, test: PixelImage): number {
  let sum = 0;
  for (let i = 0; i < reference.data.length; i++) sum += (reference.data[i] - test.data[i]) ** 2;
  return sum === 0 ? Number.POSITIVE_INFINITY : 10 * Math.log10((reference.maxValue * reference.maxValue) / (sum / reference.data.length));
}

/**
 * Runs `model` on the image at fp32 and at `precision` in turn, `repeats` pairs after a first run of each
 * (which also builds the variant), through the app's pipeline as a job would: tiles, workers and all.
 */
export async function measurePrecision(app: MendApp, task: BenchTask, model: string, image: BenchImage, precision: Precision, repeats: number): Promise<PrecisionMeasurement> {
  const input = (await decodeImageFile(image.file)).image;
  const run = async (at: Precision) => {
    const started = performance.now();
    const output = await app.runTask({ options: { task, model, precision: at }, image: input }, { signal: new AbortController().signal, onProgress: () => undefined });
    return { ms: performance.now() - started, image: output.image };
  };
  const fp32 = await run('fp32');
  const first = await run(precision);
  const fp32Ms: number[] = [];
  const variantMs: number[] = [];
  for (let i = 0; i < repeats; i++) {
    fp32Ms.push((await run('fp32')).ms);
    variantMs.push((await run(precision)).ms);
  }
  return {
    model,
    precision,
    size: image.size,
    firstRunMs: first.ms,
    fp32Ms,
    variantMs,
    speedRatio: median(fp32Ms.map((ms, i) => ms / variantMs[i])),
    psnrDb: imagePsnr(fp32.image, first.image),
  };
}

/** The measurements as a markdown table. */
export function precisionMarkdown(rows: readonly PrecisionMeasurement[]): string {
  const seconds = (ms: readonly number[]) => `${(median(ms) / 1000).toFixed(2)} s`;
  const lines = [
    '| model | size | fp32 (median) | variant (median) | speed ratio fp32 ÷ variant (median of pairs) | PSNR vs fp32 | first run (builds the variant) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.model} · ${r.precision} | ${r.size}² | ${seconds(r.fp32Ms)} | ${seconds(r.variantMs)} | ${r.speedRatio.toFixed(2)}× | ${r.psnrDb.toFixed(1)} dB | ${(r.firstRunMs / 1000).toFixed(1)} s |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
