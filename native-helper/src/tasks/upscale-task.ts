import type { UpscaleOptions } from '../protocol';
import { resampleImage } from '../imaging/resample';
import { ImageCollector, writeWhole } from '../imaging/image-sink';
import { chooseModel } from './choose-model';
import { runPasses, type Pass } from './run-passes';
import { loadTiledModel } from './tiled-model';
import type { TaskDependencies, TaskJob, TaskResult } from './types';

/** How many passes of a ×modelScale model reach at least ×target. */
export function passCount(modelScale: number, target: number): number {
  if (modelScale === 1) return 1;
  let passes = 1;
  for (let reached = modelScale; reached < target; reached *= modelScale) passes++;
  return passes;
}

/**
 * Upscales by the job's factor: a restore pass first when asked, then as many passes of the upscaler
 * as reach the factor, and a resample down where they overshoot it.
 */
export async function upscaleTask({ options, image, sink, context }: TaskJob<UpscaleOptions>, dependencies: TaskDependencies): Promise<TaskResult> {
  const manifest = chooseModel(dependencies.catalog, 'upscale', options.model, options.scale);
  const target = options.scale ?? manifest.scale;
  const upscaler = await loadTiledModel(dependencies, manifest, image, options.tile, context);
  const passes: Pass[] = [];
  let { width, height } = image;
  if (options.cleanFirst) {
    const cleanManifest = chooseModel(dependencies.catalog, 'restore', options.cleanFirst);
    const cleaner = await loadTiledModel(dependencies, cleanManifest, image, options.tile, context);
    passes.push({ model: cleaner.model, tile: cleaner.tile, width, height });
    width *= cleanManifest.scale;
    height *= cleanManifest.scale;
  }
  for (let i = 0; i < passCount(manifest.scale, target); i++) {
    passes.push({ model: upscaler.model, tile: upscaler.tile, width, height });
    width *= manifest.scale;
    height *= manifest.scale;
  }
  const wanted = { width: image.width * target, height: image.height * target };
  let tiles: number;
  if (width === wanted.width && height === wanted.height) {
    tiles = await runPasses(image, passes, sink, context);
  } else {
    const overshot = new ImageCollector();
    tiles = await runPasses(image, passes, overshot, context);
    await writeWhole(sink, resampleImage(overshot.collected(), wanted.width, wanted.height));
  }
  return { models: passes.map((p) => p.model.id), provider: upscaler.provider, tiles, ...wanted };
}
