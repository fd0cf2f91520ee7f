import type { JobOptions, OutputKind, PixelLayout } from '../../native-helper/src/protocol';
import type { BandSource, JobResult, ResultImage } from '../../plugin/src/helper-client/helper-client';
import type { JobRunner } from '../../plugin/src/workflows/run-operation';

/** One image a stand-in job answers; `kind` and `label` make it one of several outputs (`summary.outputs`). */
export interface StandInOutput {
  kind?: OutputKind;
  label?: string;
  layout: PixelLayout;
  bytes: Uint8Array;
}

export async function allBytes(source: BandSource, rows = 7): Promise<Uint8Array> {
  const { width, height, channels, bitDepth } = source.layout;
  const rowBytes = width * channels * (bitDepth / 8);
  const out = new Uint8Array(rowBytes * height);
  for (let top = 0; top < height; top += rows) out.set(await source.readBand(top, Math.min(rows, height - top)), top * rowBytes);
  return out;
}

function imageOf({ layout, bytes }: StandInOutput, fetched: () => void): ResultImage {
  const rowBytes = layout.width * layout.channels * (layout.bitDepth / 8);
  return {
    layout,
    readBand: async (top, rows) => {
      fetched();
      return bytes.slice(top * rowBytes, (top + rows) * rowBytes);
    },
  };
}

/**
 * A stand-in helper: answers each job with `answer(image bytes, layout, options)` (one image, or several outputs,
 * the main one first), and keeps the options, layouts and masks it saw and the outputs fetched.
 */
export function standInHelper(answer: (image: Uint8Array, layout: PixelLayout, options: JobOptions) => StandInOutput | StandInOutput[], models = ['tiny']) {
  const options: JobOptions[] = [];
  const layouts: PixelLayout[] = [];
  const masks: (Uint8Array | undefined)[] = [];
  /** Output index of every band fetched. */
  const fetchedOutputs: number[] = [];
  const results = new Map<string, { options: JobOptions; outputs: StandInOutput[]; many: boolean }>();
  const helper: JobRunner = {
    async startJob(jobOptions, image, mask) {
      options.push(jobOptions);
      layouts.push(image.layout);
      masks.push(mask && (await allBytes(mask)));
      const id = String(results.size + 1);
      const answered = answer(await allBytes(image), image.layout, jobOptions);
      results.set(id, { options: jobOptions, outputs: Array.isArray(answered) ? answered : [answered], many: Array.isArray(answered) });
      return id;
    },
    async awaitResult(id, callbacks = {}): Promise<JobResult> {
      callbacks.onProgress?.({ done: 1, total: 1, stage: 'tiny' });
      const result = results.get(id);
      if (!result) throw new Error(`no job ${id}`);
      const outputs = result.many
        ? result.outputs.map((output) => ({ kind: output.kind ?? ('result' as const), label: output.label ?? '', models, image: output.layout }))
        : undefined;
      const image = (index: number) => {
        const output = result.outputs[index];
        if (!output) throw new Error(`no output ${index}`);
        return imageOf(output, () => fetchedOutputs.push(index));
      };
      return {
        id,
        summary: { task: result.options.task, models, provider: 'cpu', tiles: 1, timings: { queuedMs: 0, runMs: 1 }, ...(outputs ? { outputs } : {}) },
        ...image(0),
        output: image,
      };
    },
  };
  return { helper, options, layouts, masks, fetchedOutputs };
}
