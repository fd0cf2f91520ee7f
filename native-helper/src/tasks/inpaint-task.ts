import type { InpaintOptions } from '../protocol';
import { MendError } from '../errors';
import { writeWhole } from '../imaging/image-sink';
import { maskFromImage } from '../imaging/mask';
import { chooseModel } from './choose-model';
import { inpaintImage } from './inpaint';
import { maskIoOf, modelHoleFiller } from './inpaint-model';
import { tileSide } from './tiled-model';
import type { TaskDependencies, TaskJob, TaskResult } from './types';

/** Fills where the job's mask is white with an inpainting model, window by window. */
export async function inpaintTask({ options, image, mask, sink, context }: TaskJob<InpaintOptions>, { catalog, engine }: TaskDependencies): Promise<TaskResult> {
  if (!mask) throw new MendError('bad_usage', 'inpainting needs a mask: white where to fill, black where to keep');
  const manifest = chooseModel(catalog, 'inpaint', options.model);
  const io = { input: manifest.io.input, output: manifest.io.output, extraInputs: [maskIoOf(manifest).name] };
  const session = await engine.load(await catalog.readyPath(manifest), io);
  const filler = modelHoleFiller(manifest, session, tileSide(manifest, session.provider));
  const filled = await inpaintImage(image, maskFromImage(mask), filler, {
    signal: context.signal,
    onWindow: (done, total) => context.onProgress({ done, total, stage: manifest.id }),
  });
  await writeWhole(sink, filled.image);
  return { models: [manifest.id], provider: session.provider, tiles: filled.windows, width: filled.image.width, height: filled.image.height };
}
