/**
 * Child process of `mend bench` for the engine limit: one session, the whole image as one tensor,
 * `session.run` timed alone. A process of its own so its peak RSS is the engine's and nothing else's.
 * Input: one JSON argument (`EngineLimitJob`); output: one JSON line (`EngineLimitAnswer`).
 */
import { performance } from 'node:perf_hooks';
import { decodeImageFile } from '../codecs/image-file';
import { Engine } from '../engine/engine';
import { readTileTensor, type TensorFormat } from '../imaging/tensor';

export interface EngineLimitJob {
  modelFile: string;
  io: { input: string; output: string };
  format: TensorFormat;
  image: string;
  repeats: number;
  provider: string;
}

export type EngineLimitAnswer = { runsMs: number[]; peakRssBytes: number; provider: string } | { error: string };

async function measure(job: EngineLimitJob): Promise<EngineLimitAnswer> {
  const { image } = await decodeImageFile(job.image);
  const tensor = readTileTensor(image, { x: 0, y: 0, width: image.width, height: image.height }, job.format);
  const engine = new Engine({ provider: job.provider });
  try {
    const session = await engine.load(job.modelFile, job.io);
    const runsMs: number[] = [];
    for (let i = 0; i < job.repeats; i++) {
      const started = performance.now();
      await session.run(tensor, image.height, image.width);
      runsMs.push(performance.now() - started);
    }
    return { runsMs, peakRssBytes: process.resourceUsage().maxRSS * 1024, provider: session.provider };
  } finally {
    await engine.close();
  }
}

if (require.main === module) {
  measure(JSON.parse(process.argv[2] ?? '{}') as EngineLimitJob)
    .catch((error: unknown): EngineLimitAnswer => ({ error: error instanceof Error ? error.message : String(error) }))
    .then((answer) => process.stdout.write(`${JSON.stringify(answer)}\n`));
}
