import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { MendApp } from '../app';
import { assertWritable, writeFileAtomicWith } from '../codecs/atomic-write';
import { decodeImageFile, writeImageFile, writeImageFileFrom } from '../codecs/image-file';
import { MendError, messageOf } from '../errors';
import type { PixelImage } from '../imaging/pixel-image';
import { DEFAULT_SENSITIVITY } from '../protocol';
import type { TaskContext, TaskProgress, TaskResult } from '../tasks/types';
import type { CliIo } from './cli-io';
import { EXIT, exitCodeFor } from './exit-codes';
import { writeCompareFiles, type WrittenVariant } from './compare-files';
import { planRun, type ImageCommand, type ProcessFlags, type RunPlan } from './image-run-plan';
import { createProgressBar } from './progress-bar';

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
  /** upscale --hallucination-map: the map of invented detail written. */
  mapOutput?: string;
  /** upscale --compare: each variant's file (`output` is the contact sheet). */
  variants?: WrittenVariant[];
  ms: number;
  /** runMs: the models, with the encoding of the bands they finish; finishMs: the encoding left after the last tile, and the rename. */
  timings?: { decodeMs: number; runMs: number; finishMs: number };
  error?: { code: string; message: string };
}

const elapsed = (since: number) => Math.round(performance.now() - since);

/** `planRun`, whose failure --json also reports: it promises one summary line even when no image was tried (the message also goes to stderr). */
async function planRunOrReport(command: ImageCommand, inputs: string[], flags: ProcessFlags, io: CliIo, started: number): Promise<RunPlan> {
  try {
    return await planRun(command, inputs, flags, io);
  } catch (error) {
    if (flags.json) {
      const failure = { code: error instanceof MendError ? error.code : 'runtime', message: error instanceof Error ? error.message : String(error) };
      io.stdout.write(`${JSON.stringify({ command, ok: false, provider: '', totalMs: elapsed(started), results: [], error: failure })}\n`);
    }
    throw error;
  }
}

function checkMaskFits(mask: PixelImage, image: PixelImage, maskFile: string, input: string): PixelImage {
  if (mask.width === image.width && mask.height === image.height) return mask;
  throw new MendError('bad_input', `${maskFile} is ${mask.width}×${mask.height}, but ${input} is ${image.width}×${image.height}; the mask must be the image's size`);
}

function markedShare(mask: PixelImage): number {
  let marked = 0;
  for (let i = 0; i < mask.data.length; i++) if (mask.data[i] > 0) marked++;
  return marked / mask.data.length;
}

/** repair: the defects found in one image, the mask they are filled by, and where that mask was written (--mask-out). */
interface FoundDefects {
  mask: PixelImage;
  share: number;
  file?: string;
}

async function findDefects(app: MendApp, image: PixelImage, sensitivity: number, file: string | undefined, context: TaskContext, overwrite: boolean): Promise<FoundDefects> {
  const mask = (await app.runTask({ options: { task: 'find-defects', sensitivity }, image }, context)).image;
  if (file) await writeFileAtomicWith(file, (temp) => writeImageFile(mask, 'png', temp), overwrite);
  return { mask, share: markedShare(mask), file };
}

/** One image run through the command and written. */
interface ProcessedImage {
  input: string;
  output: string;
  image: PixelImage;
  result: TaskResult;
  defects?: FoundDefects;
  map?: string;
  variants?: WrittenVariant[];
  ms: number;
  timings: { decodeMs: number; runMs: number; finishMs: number };
}

/** The map of invented detail a task answered; written into its own file, inside the main output's write so a failure leaves neither. */
async function writeMap(result: TaskResult, file: string, overwrite: boolean): Promise<void> {
  const map = result.extraOutputs?.find((output) => output.kind === 'invented-detail');
  if (!map) throw new Error('the upscale answered no map of invented detail');
  await writeFileAtomicWith(file, (temp) => writeImageFile(map.image, 'png', temp), overwrite);
}

/** `upscale --compare`: the variants run as one job on the decoded input, then each written with the contact sheet. */
async function processCompare(plan: RunPlan, index: number, input: string, flags: ProcessFlags, context: TaskContext): Promise<ProcessedImage> {
  const sheet = plan.targets[index].file;
  const overwrite = flags.overwrite === true;
  const t0 = performance.now();
  await assertWritable(sheet, overwrite);
  const { image, icc } = await decodeImageFile(input);
  const decodeMs = elapsed(t0);
  const output = await plan.app.runTask({ options: plan.options, image }, context);
  const runMs = elapsed(t0) - decodeMs;
  const variants = await writeCompareFiles(sheet, path.basename(input, path.extname(input)), output, icc, overwrite, context.signal);
  const ms = elapsed(t0);
  return { input, output: sheet, image, result: output, variants, ms, timings: { decodeMs, runMs, finishMs: ms - decodeMs - runMs } };
}

/** Decodes one input, runs it (repair: finds its defects first) and writes its output atomically; the encoder writes each band of rows into the file as the model finishes it. */
async function processImage(command: ImageCommand, plan: RunPlan, index: number, input: string, flags: ProcessFlags, context: TaskContext): Promise<ProcessedImage> {
  const { app, options, mask } = plan;
  if (options.task === 'compare') return processCompare(plan, index, input, flags, context);
  const target = plan.targets[index];
  const maskFile = plan.maskTargets?.[index].file;
  const mapFile = plan.mapTargets?.[index].file;
  const overwrite = flags.overwrite === true;
  const t0 = performance.now();
  await assertWritable(target.file, overwrite);
  if (maskFile) await assertWritable(maskFile, overwrite);
  if (mapFile) await assertWritable(mapFile, overwrite);
  const { image, icc } = await decodeImageFile(input);
  const decodeMs = elapsed(t0);
  const defects = command === 'repair' ? await findDefects(app, image, flags.sensitivity ?? DEFAULT_SENSITIVITY, maskFile, context, overwrite) : undefined;
  const fillMask = defects?.mask ?? (mask && flags.mask ? checkMaskFits(mask, image, flags.mask, input) : undefined);
  let runMs = 0;
  const result = await writeFileAtomicWith(
    target.file,
    (temp) =>
      writeImageFileFrom(temp, target.format, icc, async (sink) => {
        const streamed = await app.streamTask({ options, image, mask: fillMask }, sink, context);
        runMs = elapsed(t0) - decodeMs;
        if (mapFile) await writeMap(streamed, mapFile, overwrite);
        return streamed;
      }),
    overwrite,
  );
  const ms = elapsed(t0);
  return { input, output: target.file, image, result, defects, map: mapFile, ms, timings: { decodeMs, runMs, finishMs: ms - decodeMs - runMs } };
}

function processedResult({ input, output, image, result, defects, map, variants, ms, timings }: ProcessedImage): FileResult {
  return {
    input,
    output,
    width: image.width,
    height: image.height,
    outputWidth: result.width,
    outputHeight: result.height,
    models: result.models,
    tiles: result.tiles,
    maskOutput: defects?.file,
    defectShare: defects?.share,
    mapOutput: map,
    variants,
    ms,
    timings,
  };
}

function processedLine({ input, output, result, defects, map, variants }: ProcessedImage): string {
  if (variants) return `${input} → ${output} (contact sheet, ${result.width}×${result.height})\n${variants.map((v) => `  ${v.label} → ${v.file}\n`).join('')}`;
  const found = defects ? `, defects on ${(defects.share * 100).toFixed(2)} % of the pixels${defects.file ? ` → ${defects.file}` : ''}` : '';
  const mapped = map ? `, invented detail → ${map}` : '';
  return `${input} → ${output} (${result.width}×${result.height}, ${result.models.join(' + ')}${found}${mapped})\n`;
}

function failureMessage(error: unknown): string {
  return error instanceof MendError ? error.message : `unexpected failure: ${messageOf(error)}`;
}

function failedResult(input: string, ms: number, error: unknown): FileResult {
  return { input, ms, error: { code: error instanceof MendError ? error.code : 'runtime', message: failureMessage(error) } };
}

function reportFailure(io: CliIo, flags: ProcessFlags, error: unknown): void {
  if (!flags.json) io.stderr.write(`mend: ${failureMessage(error)}\n`);
  if (!(error instanceof MendError) && io.env.MEND_DEBUG) io.stderr.write(`${(error as Error).stack}\n`);
}

/** Failures after which the other inputs would fail the same way, or the user asked to stop. */
function stopsTheRun(exitCode: number): boolean {
  return exitCode === EXIT.cancelled || exitCode === EXIT.modelMissing || exitCode === EXIT.usage;
}

/** Aborts the run's signal on Ctrl+C; returns the unregister. */
function cancelOnInterrupt(io: CliIo, controller: AbortController): () => void {
  return io.onInterrupt(() => {
    if (!controller.signal.aborted) io.stderr.write('\nmend: cancelling; a tile already running ends first…\n');
    controller.abort();
  });
}

interface RunOutcome {
  results: FileResult[];
  /** The provider of the last image done; empty when none was. */
  provider: string;
  /** The first failure's exit code, else ok. */
  exitCode: number;
}

/** Each input in turn; one failure does not stop the rest, unless it stops the run (see `stopsTheRun`). */
async function processEach(command: ImageCommand, plan: RunPlan, inputs: string[], flags: ProcessFlags, io: CliIo, signal: AbortSignal): Promise<RunOutcome> {
  const outcome: RunOutcome = { results: [], provider: '', exitCode: EXIT.ok };
  for (const [index, input] of inputs.entries()) {
    const t0 = performance.now();
    const bar = createProgressBar(io, `${command} ${input}`, !flags.json);
    const context: TaskContext = { signal, onProgress: (p: TaskProgress) => bar.update(p) };
    try {
      const processed = await processImage(command, plan, index, input, flags, context);
      bar.stop();
      outcome.provider = processed.result.provider;
      outcome.results.push(processedResult(processed));
      if (!flags.json) io.stderr.write(processedLine(processed));
    } catch (error) {
      bar.stop();
      const code = exitCodeFor(error);
      if (outcome.exitCode === EXIT.ok) outcome.exitCode = code;
      outcome.results.push(failedResult(input, elapsed(t0), error));
      reportFailure(io, flags, error);
      if (stopsTheRun(code)) break;
    }
  }
  return outcome;
}

function writeJsonSummary(io: CliIo, command: ImageCommand, started: number, { results, provider, exitCode }: RunOutcome): void {
  // The process's own high-water mark: what `mend bench` reports as the CLI's peak memory.
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  io.stdout.write(`${JSON.stringify({ command, ok: exitCode === EXIT.ok, provider, totalMs: elapsed(started), peakRssBytes, results })}\n`);
}

/**
 * `mend upscale|restore|inpaint|repair`: each input decoded, run, encoded and written atomically;
 * one failure does not stop the rest.
 */
export async function processImages(command: ImageCommand, inputs: string[], flags: ProcessFlags, io: CliIo): Promise<number> {
  const started = performance.now();
  const plan = await planRunOrReport(command, inputs, flags, io, started);
  const controller = new AbortController();
  const stopListening = cancelOnInterrupt(io, controller);
  let outcome: RunOutcome;
  try {
    outcome = await processEach(command, plan, inputs, flags, io, controller.signal);
  } finally {
    stopListening();
    await plan.app.close();
  }
  if (flags.json) writeJsonSummary(io, command, started, outcome);
  return outcome.exitCode;
}
