import { ImageCollector, type ImageSink } from '../imaging/image-sink';
import type { PixelImage } from '../imaging/pixel-image';
import { planFor, runTiled, type TiledModel } from './tiled-inference';
import type { TileProgress } from './tile-progress';

/** One tiled run of a model over an image of `width`×`height`. */
export interface Pass {
  model: TiledModel;
  tile: number;
  width: number;
  height: number;
}

/** How many tiles the passes run. */
export function tilesOf(passes: Pass[]): number {
  return passes.reduce((n, p) => n + planFor(p, p.model, p.tile).tiles.length, 0);
}

/** Runs the passes one after the other; the last one streams into `sink`. Returns the number of tiles. */
export async function runPasses(image: PixelImage, passes: Pass[], sink: ImageSink, progress: TileProgress): Promise<number> {
  const plans = passes.map((p) => planFor(p, p.model, p.tile));
  progress.begin(passes[0].model.id);
  let current = image;
  for (let i = 0; i < passes.length; i++) {
    const stage = passes[i].model.id;
    const intermediate = i + 1 < passes.length ? new ImageCollector() : undefined;
    await runTiled(current, passes[i].model, plans[i], intermediate ?? sink, { signal: progress.signal, onTile: () => progress.tile(stage) });
    if (intermediate) current = intermediate.collected();
  }
  return plans.reduce((n, plan) => n + plan.tiles.length, 0);
}

/** `runPasses` into memory: the passes' output image. */
export async function collectPasses(image: PixelImage, passes: Pass[], progress: TileProgress): Promise<PixelImage> {
  const collector = new ImageCollector();
  await runPasses(image, passes, collector, progress);
  return collector.collected();
}
