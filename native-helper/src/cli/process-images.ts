import { configDir } from '../config/config-dir';
import { performance } from 'node:perf_hooks';
import { DEFAULT_SENSITIVITY, jobOptionsSchema, describeIssues, type JobOptions } from '../protocol';
import type { PixelImage } from '../imaging/pixel-image';
import { maskFromImage } from '../imaging/mask';
import type { TaskProgress } from '../tasks/types';
import { MendError } from '../errors';
import { decodeImageFile, writeImageFile, writeImageFileFrom } from '../codecs/image-file';
import { assertWritable, writeFileAtomicWith } from '../codecs/atomic-write';
import type { MendApp } from '../app';
import type { CliIo } from './cli-io';
import { exitCodeFor, EXIT } from './exit-codes';
import { resolveOutputs, type OutputTarget } from './output-paths';
import { createProgressBar } from './progress-bar';

/** The commands that turn image files into image files. */
export type ImageCommand = 'upscale' | 'restore' | 'inpaint' | 'repair';

export interface ProcessFlags {
  output: string;
  model?: string;
  scale?: number;
  tile?: number;
  provider?: string;
  overwrite?: boolean;
  json?: boolean;
  /** inpaint: the mask file (white = fill). */
  mask?: string;
  /** repair: where to write the defect mask that was found. */
  maskOut?: string;
  /** repair: 0..1 */
  sensitivity?: number;
}

interface FileResult {
  input: string;
  output?: string;
  width?: number;
  height?: number;
  outputWidth?: number;
  outputHeight?: number;
  models?: string[];
  tiles?: number;
  /** repair: the defect mask written, and the share of pixels it marks. */
  maskOutput?: string;
  defectShare?: number;
  ms: number;
  /** runMs: the models, with the encoding of the bands they finish; finishMs: the encoding left after the last tile, and the rename. */
  timings?: { decodeMs: number; runMs: number; finishMs: number };
  error?: { code: string; message: string };
}

function optionsFor(command: ImageCommand, flags: ProcessFlags): JobOptions {
  const parsed = jobOptionsSchema.safeParse(
    command === 'upscale'
      ? { task: command, model: flags.model, scale: flags.scale, tile: flags.tile }
      : command === 'restore'
        ? { task: command, model: flags.model, tile: flags.tile }
        : { task: 'inpaint', model: flags.model },
  );
  if (!parsed.success) throw new MendError('bad_usage', describeIssues(parsed.error).replace(/^(\w+):/, '--$1:'));
  return parsed.data;
}

const SUFFIXES = { restore: '-restored', inpaint: '-inpainted', repair: '-repaired' } as const;

/** `-x4` after the factor the run will reach: --scale, else the scale of the model the catalog will pick. Only for outputs named into a folder. */
async function outputSuffix(command: ImageCommand, options: JobOptions, app: MendApp): Promise<string> {
  if (command !== 'upscale') return SUFFIXES[command];
  if (options.task !== 'upscale') throw new Error(`upscale was given ${options.task} options`);
  const scale = options.scale ?? app.upscalerScale(options.model, undefined);
  return scale ? `-x${scale}` : '-upscaled';
}

const elapsed = (since: number) => Math.round(performance.now() - since);

interface PreparedRun {
  app: MendApp;
  options: JobOptions;
  targets: OutputTarget[];
  /** inpaint: the mask every input is filled by. */
  mask?: PixelImage;
  /** repair with --mask-out: where each input's defect mask goes. */
  maskTargets?: OutputTarget[];
}

async function readMask(file: string): Promise<PixelImage> {
  return maskFromImage((await decodeImageFile(file)).image);
}

async function prepareRun(command: ImageCommand, inputs: string[], flags: ProcessFlags, io: CliIo): Promise<PreparedRun> {
  const options = optionsFor(command, flags);
  if (command === 'inpaint' && !flags.mask) throw new MendError('bad_usage', 'inpaint needs --mask <mask.png>: white where to fill, black where to keep');
  const mask = command === 'inpaint' && flags.mask ? await readMask(flags.mask) : undefined;
  const maskTargets = command === 'repair' && flags.maskOut ? await resolveOutputs(inputs, flags.maskOut, async () => '-defects', 'png') : undefined;
  const app = await io.createApp({ provider: flags.provider ?? io.env.MEND_PROVIDER, configDir: configDir(io.env) });
  try {
    return { app, options, mask, maskTargets, targets: await resolveOutputs(inputs, flags.output, () => outputSuffix(command, options, app)) };
  } catch (error) {
    await app.close();
    throw error;
  }
}

function checkMaskFits(mask: PixelImage, image: PixelImage, maskFile: string, input: string): PixelImage {
  if (mask.width === image.width && mask.height === image.height) return mask;
  throw new MendError('bad_input', `${maskFile} is ${mask.width}×${mask.height}, but ${input} is ${image.width}×${image.height}; the mask must be the image's size`);
}

function share(mask: PixelImage): number {
  let marked = 0;
  for (let i = 0; i < mask.data.length; i++) if (mask.data[i] > 0) marked++;
  return marked / mask.data.length;
}

/**
 * `mend upscale|restore|inpaint|repair`: each input decoded, run, encoded and written atomically;
 * one failure does not stop the rest.
 */
export async function processImages(command: ImageCommand, inputs: string[], flags: ProcessFlags, io: CliIo): Promise<number> {
  const started = performance.now();
  let prepared: PreparedRun;
  try {
    prepared = await prepareRun(command, inputs, flags, io);
  } catch (error) {
    // --json promises one summary line even when no image was tried; the message also goes to stderr.
    if (flags.json) {
      const failure = { code: error instanceof MendError ? error.code : 'runtime', message: error instanceof Error ? error.message : String(error) };
      io.stdout.write(`${JSON.stringify({ command, ok: false, provider: '', totalMs: elapsed(started), results: [], error: failure })}\n`);
    }
    throw error;
  }
  const { app, options, targets, mask, maskTargets } = prepared;
  const overwrite = flags.overwrite === true;
  const controller = new AbortController();
  const stopListening = io.onInterrupt(() => {
    if (!controller.signal.aborted) io.stderr.write('\nmend: cancelling at the next tile…\n');
    controller.abort();
  });
  const results: FileResult[] = [];
  let provider = '';
  let exitCode: number = EXIT.ok;
  try {
    for (const [i, input] of inputs.entries()) {
      const target = targets[i];
      const t0 = performance.now();
      const bar = createProgressBar(io, `${command} ${input}`, !flags.json);
      try {
        await assertWritable(target.file, overwrite);
        if (maskTargets) await assertWritable(maskTargets[i].file, overwrite);
        const { image, icc } = await decodeImageFile(input);
        const decodeMs = elapsed(t0);
        const context = { signal: controller.signal, onProgress: (p: TaskProgress) => bar.update(p) };
        let fillMask = mask && flags.mask ? checkMaskFits(mask, image, flags.mask, input) : undefined;
        let defects: { share: number; file?: string } | undefined;
        if (command === 'repair') {
          fillMask = (await app.runTask({ options: { task: 'find-defects', sensitivity: flags.sensitivity ?? DEFAULT_SENSITIVITY }, image }, context)).image;
          defects = { share: share(fillMask), file: maskTargets?.[i].file };
          if (defects.file) await writeFileAtomicWith(defects.file, (temp) => writeImageFile(fillMask as PixelImage, 'png', temp), overwrite);
        }
        // The encoder writes each band of rows into the file as the model finishes it.
        let runMs = 0;
        const output = await writeFileAtomicWith(
          target.file,
          (temp) =>
            writeImageFileFrom(temp, target.format, icc, async (sink) => {
              const result = await app.streamTask({ options, image, mask: fillMask }, sink, context);
              runMs = elapsed(t0) - decodeMs;
              return result;
            }),
          overwrite,
        );
        bar.stop();
        provider = output.provider;
        results.push({
          input,
          output: target.file,
          width: image.width,
          height: image.height,
          outputWidth: output.width,
          outputHeight: output.height,
          models: output.models,
          tiles: output.tiles,
          maskOutput: defects?.file,
          defectShare: defects?.share,
          ms: elapsed(t0),
          timings: { decodeMs, runMs, finishMs: elapsed(t0) - decodeMs - runMs },
        });
        if (!flags.json) {
          const found = defects ? `, defects on ${(defects.share * 100).toFixed(2)} % of the pixels${defects.file ? ` → ${defects.file}` : ''}` : '';
          io.stderr.write(`${input} → ${target.file} (${output.width}×${output.height}, ${output.models.join(' + ')}${found})\n`);
        }
      } catch (error) {
        bar.stop();
        const code = exitCodeFor(error);
        if (exitCode === EXIT.ok) exitCode = code;
        const message = error instanceof MendError ? error.message : `unexpected failure: ${(error as Error).message}`;
        results.push({ input, ms: elapsed(t0), error: { code: error instanceof MendError ? error.code : 'runtime', message } });
        if (!flags.json) io.stderr.write(`mend: ${message}\n`);
        if (!(error instanceof MendError) && io.env.MEND_DEBUG) io.stderr.write(`${(error as Error).stack}\n`);
        if (code === EXIT.cancelled || code === EXIT.modelMissing || code === EXIT.usage) break;
      }
    }
  } finally {
    stopListening();
    await app.close();
  }
  if (flags.json) {
    // The process's own high-water mark: what `mend bench` reports as the CLI's peak memory.
    const peakRssBytes = process.resourceUsage().maxRSS * 1024;
    io.stdout.write(`${JSON.stringify({ command, ok: exitCode === EXIT.ok, provider, totalMs: elapsed(started), peakRssBytes, results })}\n`);
  }
  return exitCode;
}
