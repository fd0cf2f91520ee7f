import { configDir } from '../config/config-dir';
import { performance } from 'node:perf_hooks';
import { jobOptionsSchema, describeIssues, type JobOptions } from '../protocol';
import { MendError } from '../errors';
import { decodeImageFile, encodeImage } from '../codecs/image-file';
import { assertWritable, writeFileAtomic } from '../codecs/atomic-write';
import type { MendApp } from '../app';
import type { CliIo } from './cli-io';
import { exitCodeFor, EXIT } from './exit-codes';
import { resolveOutputs, type OutputTarget } from './output-paths';
import { createProgressBar } from './progress-bar';

export interface ProcessFlags {
  output: string;
  model?: string;
  scale?: number;
  tile?: number;
  provider?: string;
  overwrite?: boolean;
  json?: boolean;
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
  ms: number;
  timings?: { decodeMs: number; runMs: number; encodeMs: number };
  error?: { code: string; message: string };
}

function optionsFor(task: 'upscale' | 'restore', flags: ProcessFlags): JobOptions {
  const parsed = jobOptionsSchema.safeParse(
    task === 'upscale' ? { task, model: flags.model, scale: flags.scale, tile: flags.tile } : { task, model: flags.model, tile: flags.tile },
  );
  if (!parsed.success) throw new MendError('bad_usage', describeIssues(parsed.error).replace(/^(\w+):/, '--$1:'));
  return parsed.data;
}

/**
 * `-x4` after the factor the run will reach: --scale, else the scale of the model the catalog will
 * pick. Only for outputs named into a folder: listing the models checks every model file.
 */
async function outputSuffix(task: 'upscale' | 'restore', options: JobOptions, app: MendApp): Promise<string> {
  if (task === 'restore') return '-restored';
  if (options.task === 'upscale' && options.scale) return `-x${options.scale}`;
  const upscalers = (await app.listModels()).filter((m) => m.task === 'upscale');
  const model = options.model ? upscalers.find((m) => m.id === options.model) : (upscalers.find((m) => m.default) ?? upscalers[0]);
  return model ? `-x${model.scale}` : '-upscaled';
}

const elapsed = (since: number) => Math.round(performance.now() - since);

interface PreparedRun {
  app: MendApp;
  options: JobOptions;
  targets: OutputTarget[];
}

async function prepareRun(task: 'upscale' | 'restore', inputs: string[], flags: ProcessFlags, io: CliIo): Promise<PreparedRun> {
  const options = optionsFor(task, flags);
  const app = await io.createApp({ provider: flags.provider ?? io.env.MEND_PROVIDER, configDir: configDir(io.env) });
  try {
    return { app, options, targets: await resolveOutputs(inputs, flags.output, () => outputSuffix(task, options, app)) };
  } catch (error) {
    await app.close();
    throw error;
  }
}

/** `mend upscale|restore`: each input decoded, run, encoded and written atomically; one failure does not stop the rest. */
export async function processImages(task: 'upscale' | 'restore', inputs: string[], flags: ProcessFlags, io: CliIo): Promise<number> {
  const started = performance.now();
  let prepared: PreparedRun;
  try {
    prepared = await prepareRun(task, inputs, flags, io);
  } catch (error) {
    // --json promises one summary line even when no image was tried; the message also goes to stderr.
    if (flags.json) {
      const failure = { code: error instanceof MendError ? error.code : 'runtime', message: error instanceof Error ? error.message : String(error) };
      io.stdout.write(`${JSON.stringify({ command: task, ok: false, provider: '', totalMs: elapsed(started), results: [], error: failure })}\n`);
    }
    throw error;
  }
  const { app, options, targets } = prepared;
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
      const bar = createProgressBar(io, `${task} ${input}`, !flags.json);
      try {
        await assertWritable(target.file, overwrite);
        const { image, icc } = await decodeImageFile(input);
        const decodeMs = elapsed(t0);
        const output = await app.runTask({ options, image }, { signal: controller.signal, onProgress: (p) => bar.update(p) });
        bar.stop();
        const runMs = elapsed(t0) - decodeMs;
        provider = output.provider;
        await writeFileAtomic(target.file, () => encodeImage(output.image, target.format, icc), overwrite);
        results.push({
          input,
          output: target.file,
          width: image.width,
          height: image.height,
          outputWidth: output.image.width,
          outputHeight: output.image.height,
          models: output.models,
          tiles: output.tiles,
          ms: elapsed(t0),
          timings: { decodeMs, runMs, encodeMs: elapsed(t0) - decodeMs - runMs },
        });
        if (!flags.json) io.stderr.write(`${input} → ${target.file} (${output.image.width}×${output.image.height}, ${output.models.join(' + ')})\n`);
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
    io.stdout.write(`${JSON.stringify({ command: task, ok: exitCode === EXIT.ok, provider, totalMs: elapsed(started), results })}\n`);
  }
  return exitCode;
}
