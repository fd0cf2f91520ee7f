import path from 'node:path';
import { messageOf } from '../errors';
import { childEnv, lastLine, type BenchContext, type BenchImage } from './bench-context';
import type { RawMeasurement } from './bench-document';
import { engineLimitAnswerSchema, type EngineLimitJob } from './engine-limit-worker';
import { lastJsonLine, runMeasured } from './measured-process';

/** The built worker next to this module (the bench runs from `dist`, as `mend` does). */
const WORKER = path.join(__dirname, 'engine-limit-worker.js');

/** onnxruntime's `session.run` on the whole image as one tensor (fixed-side models: its tiles, without overlap), in a process of its own. */
export async function measureEngineLimit(context: BenchContext, image: BenchImage): Promise<RawMeasurement> {
  const { manifest } = context;
  const job: EngineLimitJob = {
    modelFile: context.modelFile,
    io: { input: manifest.io.input, output: manifest.io.output },
    format: { channelOrder: manifest.io.channelOrder, valueRange: manifest.io.valueRange },
    image: image.file,
    repeats: context.repeats,
    provider: context.provider,
    fixedSide: manifest.fixedSides?.side,
  };
  const run = await runMeasured(process.execPath, [WORKER, JSON.stringify(job)], childEnv(context));
  let answer: ReturnType<typeof engineLimitAnswerSchema.parse> | undefined;
  try {
    answer = lastJsonLine(run.stdout, engineLimitAnswerSchema, "the engine-limit worker's answer");
  } catch (error) {
    return { path: 'engine-limit', size: image.size, runsMs: [], peakRssBytes: null, notRun: `failed: ${messageOf(error)}` };
  }
  if (!answer || 'error' in answer) {
    const why = answer && 'error' in answer ? answer.error : lastLine(run.stderr) || `the worker exited with code ${run.exitCode}`;
    return { path: 'engine-limit', size: image.size, runsMs: [], peakRssBytes: null, notRun: `failed: ${why}` };
  }
  return { path: 'engine-limit', size: image.size, runsMs: answer.runsMs, peakRssBytes: answer.peakRssBytes };
}
