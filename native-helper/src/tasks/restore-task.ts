import type { RestoreOptions } from '../protocol';
import { chooseModel } from './choose-model';
import { runPasses } from './run-passes';
import { loadTiledModel } from './tiled-model';
import type { TaskDependencies, TaskJob, TaskResult } from './types';

/** Runs a restore model (denoise, deblur, …) over the image at its own size. */
export async function restoreTask({ options, image, sink, context }: TaskJob<RestoreOptions>, dependencies: TaskDependencies): Promise<TaskResult> {
  const manifest = chooseModel(dependencies.catalog, 'restore', options.model);
  const restorer = await loadTiledModel(dependencies, manifest, image, options.tile, context);
  const { width, height } = image;
  const tiles = await runPasses(image, [{ model: restorer.model, tile: restorer.tile, width, height }], sink, context);
  return { models: [manifest.id], provider: restorer.provider, tiles, width, height };
}
