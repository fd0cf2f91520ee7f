import type { JobOptions, JobTask } from '../protocol';
import { compareTask } from './compare-task';
import { findDefectsTask } from './find-defects-task';
import { findFacesTask } from './find-faces-task';
import { inpaintTask } from './inpaint-task';
import { restoreFacesTask } from './restore-faces-task';
import { restoreTask } from './restore-task';
import type { TaskPipeline } from './types';
import { upscaleTask } from './upscale-task';

type OptionsOf = { [Task in JobTask]: Extract<JobOptions, { task: Task }> };

/** Each task's pipeline by the protocol's task name: a new task is its module and a line here. */
const PIPELINES: { [Task in JobTask]: TaskPipeline<OptionsOf[Task]> } = {
  upscale: upscaleTask,
  restore: restoreTask,
  inpaint: inpaintTask,
  'find-defects': findDefectsTask,
  compare: compareTask,
  'find-faces': findFacesTask,
  'restore-faces': restoreFacesTask,
};

export function pipelineFor<Task extends JobTask>(task: Task): TaskPipeline<OptionsOf[Task]> {
  return PIPELINES[task];
}
