import type { Task } from '../protocol';
import { MendError } from '../errors';
import type { Catalog } from '../catalog/catalog';
import type { ModelManifest } from '../catalog/manifest';

/** The model named by the job, else the catalog's default for the task (and scale); refused when made for another task. */
export function chooseModel(catalog: Catalog, task: Task, id: string | undefined, scale?: number): ModelManifest {
  const manifest = id ? catalog.get(id) : catalog.defaultFor(task, scale);
  if (manifest.task !== task) {
    throw new MendError('bad_usage', `${manifest.id} is made for ${manifest.task}, not ${task}; run \`mend models\` to pick one`);
  }
  return manifest;
}
