/**
 * Child process of `mend bench` for the engine limit: one session, the whole image as one tensor,
 * `session.run` timed alone. A process of its own so its peak RSS is the engine's and nothing else's.
 * Input: one JSON argument (`EngineLimitJob`); output: one JSON line (`EngineLimitAnswer`).
 */
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { decodeImageFile } from '../codecs/image-file';
import { Engine } from '../engine/engine';
import { messageOf } from '../errors';
import type { Rect } from '../imaging/rect';
import { readTileTensor } from '../imaging/tensor';
import { parseJson } from '../parse-input';

const engineLimitJobSchema = z.object({
  modelFile: z.string(),
  io: z.object({ input: z.string(), output: z.string() }),
  format: z.object({ channelOrder: z.enum(['RGB', 'BGR']), valueRange: z.tuple([z.number(), z.number()]) }),
  image: z.string(),
  repeats: z.number().int().min(1),
  provider: z.string(),
  /** Models converted for one input side: the image is run as tiles of exactly that side, back to back, without overlap. */
  fixedSide: z.number().int().min(16).optional(),
});
export type EngineLimitJob = z.infer<typeof engineLimitJobSchema>;

export const engineLimitAnswerSchema = z.union([z.object({ runsMs: z.array(z.number()), peakRssBytes: z.number(), provider: z.string() }), z.object({ error: z.string() })]);
export type EngineLimitAnswer = z.infer<typeof engineLimitAnswerSchema>;

async function measure(job: EngineLimitJob): Promise<EngineLimitAnswer> {
  const { image } = await decodeImageFile(job.image);
  const side = job.fixedSide;
  if (side !== undefined && (image.width % side !== 0 || image.height % side !== 0))
    throw new Error(`the model takes ${side}² inputs only; give sizes that are multiples of ${side}`);
  const rects = side === undefined ? [{ x: 0, y: 0, width: image.width, height: image.height }] : gridOf(image.width, image.height, side);
  const tensors = rects.map((rect) => ({ rect, data: readTileTensor(image, rect, job.format) }));
  const engine = new Engine({ provider: job.provider });
  try {
    const session = await engine.load(job.modelFile, job.io);
    const runsMs: number[] = [];
    for (let i = 0; i < job.repeats; i++) {
      const started = performance.now();
      for (const { rect, data } of tensors) await session.run(data, rect.height, rect.width);
      runsMs.push(performance.now() - started);
    }
    return { runsMs, peakRssBytes: process.resourceUsage().maxRSS * 1024, provider: session.provider };
  } finally {
    await engine.close();
  }
}

function gridOf(width: number, height: number, side: number): Rect[] {
  const rects: Rect[] = [];
  for (let y = 0; y < height; y += side) for (let x = 0; x < width; x += side) rects.push({ x, y, width: side, height: side });
  return rects;
}

/** Every failure, a refused argument included, becomes the answer's error. */
async function answer(argument: string): Promise<EngineLimitAnswer> {
  try {
    return await measure(parseJson(argument, engineLimitJobSchema, 'the engine-limit job argument'));
  } catch (error) {
    return { error: messageOf(error) };
  }
}

if (require.main === module) {
  void answer(process.argv[2] ?? '').then((result) => process.stdout.write(`${JSON.stringify(result)}\n`));
}
