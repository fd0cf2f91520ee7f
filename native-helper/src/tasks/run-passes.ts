import { ImageCollector, type ImageSink } from '../imaging/image-sink';
import type { PixelImage } from '../imaging/pixel-image';
import { planFor, runTiled, type TiledModel } from './tiled-inference';
import type { TaskContext } from './types';

/** One tiled run of a model over an image of `width`×`height`. */
export interface Pass {
  model: TiledModel;
  tile: number;
  width: number;
  height: number;
}

/** Runs the passes one after the other; the last one streams into `sink`. Returns the number of tiles. */
export async function runPasses(image: PixelImage, passes: Pass[], sink: ImageSink, context: TaskContext): Promise<number> {
  const plans = passes.map((p) => planFor(p, p.model, p.tile));
  const total = plans.reduce((n, plan) => n + plan.tiles.length, 0);
  let done = 0;
  context.onProgress({ done, total, stage: passes[0].model.id });
  let current = image;
  for (let i = 0; i < passes.length; i++) {
    const stage = passes[i].model.id;
    const intermediate = i + 1 < passes.length ? new ImageCollector() : undefined;
    await runTiled(current, passes[i].model, plans[i], intermediate ?? sink, {
      signal: context.signal,
      onTile: () => context.onProgress({ done: ++done, total, stage }),
    });
    if (intermediate) current = intermediate.collected();
  }
  return total;
}
