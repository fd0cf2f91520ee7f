import type { Catalog } from '../catalog/catalog';
import type { ModelManifest } from '../catalog/manifest';
import { MendError } from '../errors';
import type { PixelImage } from '../imaging/pixel-image';
import type { RestoreOptions } from '../protocol';
import { chooseModel } from './choose-model';
import { runPasses, tilesOf } from './run-passes';
import { TileProgress } from './tile-progress';
import { loadTiledModel } from './tiled-model';
import type { PlannedRun, TaskContext, TaskDependencies, TaskJob, TaskResult } from './types';

/**
 * The model the job names, else the catalog's model of the problem (role) it asks for, else the default
 * restore model. A role no model holds is refused: running the default denoiser instead would answer a
 * "Low light" request with something else under the same name.
 */
function restoreModel(catalog: Catalog, { model, role }: RestoreOptions): ModelManifest {
  if (!role) return chooseModel(catalog, 'restore', model);
  const manifest = catalog.defaultForRole(role);
  if (!manifest.roles?.includes(role)) throw new MendError('model_missing', `no model for ${role} is in the catalog; run \`mend models\` to see what is there`);
  return manifest;
}

/** Loads the restore model of a job and counts its tiles. */
export async function planRestore(options: RestoreOptions, image: PixelImage, dependencies: TaskDependencies, context: TaskContext): Promise<PlannedRun> {
  const manifest = restoreModel(dependencies.catalog, options);
  const restorer = await loadTiledModel(dependencies, manifest, image, options, context);
  const { width, height } = image;
  const passes = [{ model: restorer.model, tile: restorer.tile, width, height }];
  return {
    model: manifest.id,
    width,
    height,
    tiles: tilesOf(passes),
    run: async (sink, progress) => {
      const tiles = await runPasses(image, passes, sink, progress);
      return { models: [manifest.id], provider: restorer.provider, tiles, width, height };
    },
  };
}

/** Runs a restore model (denoise, deblur, …) over the image at its own size. */
export async function restoreTask({ options, image, sink, context }: TaskJob<RestoreOptions>, dependencies: TaskDependencies): Promise<TaskResult> {
  const planned = await planRestore(options, image, dependencies, context);
  return planned.run(sink, new TileProgress(context, planned.tiles));
}
