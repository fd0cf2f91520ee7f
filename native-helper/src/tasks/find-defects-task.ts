import type { FindDefectsOptions } from '../protocol';
import { detectDefects } from '../imaging/defect-detection';
import { writeWhole } from '../imaging/image-sink';
import type { TaskJob, TaskResult } from './types';

/** Answers the mask of dust and scratches (255 = defect); no model, in one step. */
export async function findDefectsTask({ options, image, sink, context }: TaskJob<FindDefectsOptions>): Promise<TaskResult> {
  context.onProgress({ done: 0, total: 1, stage: 'find-defects' });
  const defects = detectDefects(image, { sensitivity: options.sensitivity });
  context.onProgress({ done: 1, total: 1, stage: 'find-defects' });
  await writeWhole(sink, defects);
  return { models: [], provider: 'cpu', tiles: 1, width: defects.width, height: defects.height };
}
