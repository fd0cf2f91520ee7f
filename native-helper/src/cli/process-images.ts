import { configDir } from '../config/config-dir';
import { performance } from 'node:perf_hooks';
import { jobOptionsSchema, describeIssues, type JobOptions } from '../protocol';
import { MendError } from '../errors';
import { decodeImageFile, encodeImage } from '../codecs/image-file';
import { assertWritable, writeFileAtomic } from '../codecs/atomic-write';
import type { CliIo } from './cli-io';
import { exitCodeFor, EXIT } from './exit-codes';
import { resolveOutputs } from './output-paths';
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
  error?: { code: string; message: string };
}

function optionsFor(task: 'upscale' | 'restore', flags: ProcessFlags): JobOptions {
  const parsed = jobOptionsSchema.safeParse(
    task === 'upscale' ? { task, model: flags.model, scale: flags.scale, tile: flags.tile } : { task, model: flags.model, tile: flags.tile },
  );
  if (!parsed.success) throw new MendError('bad_usage', describeIssues(parsed.error).replace(/^(\w+):/, '--$1:'));
  return parsed.data;
}

/** `mend upscale|restore`: each input decoded, run, encoded and written atomically; one failure does not stop the rest. */
export async function processImages(task: 'upscale' | 'restore', inputs: string[], flags: ProcessFlags, io: CliIo): Promise<number> {
  const options = optionsFor(task, flags);
  const suffix = task === 'upscale' ? `-x${flags.scale ?? 'up'}` : '-restored';
  const targets = await resolveOutputs(inputs, flags.output, suffix);
  const overwrite = flags.overwrite === true;
  const app = await io.createApp({ provider: flags.provider ?? io.env.MEND_PROVIDER, configDir: configDir(io.env) });
  const controller = new AbortController();
  const stopListening = io.onInterrupt(() => controller.abort());
  const started = performance.now();
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
        const { image } = await decodeImageFile(input);
        const output = await app.runTask({ options, image }, { signal: controller.signal, onProgress: (p) => bar.update(p) });
        bar.stop();
        provider = output.provider;
        await writeFileAtomic(target.file, () => encodeImage(output.image, target.format), overwrite);
        results.push({
          input,
          output: target.file,
          width: image.width,
          height: image.height,
          outputWidth: output.image.width,
          outputHeight: output.image.height,
          models: output.models,
          tiles: output.tiles,
          ms: Math.round(performance.now() - t0),
        });
        if (!flags.json) io.stderr.write(`${input} → ${target.file} (${output.image.width}×${output.image.height}, ${output.models.join(' + ')})\n`);
      } catch (error) {
        bar.stop();
        const code = exitCodeFor(error);
        if (exitCode === EXIT.ok) exitCode = code;
        const message = error instanceof MendError ? error.message : `unexpected failure: ${(error as Error).message}`;
        results.push({ input, ms: Math.round(performance.now() - t0), error: { code: error instanceof MendError ? error.code : 'runtime', message } });
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
    io.stdout.write(`${JSON.stringify({ command: task, ok: exitCode === EXIT.ok, provider, totalMs: Math.round(performance.now() - started), results })}\n`);
  }
  return exitCode;
}
