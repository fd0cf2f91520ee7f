import { ImageCollector } from '../imaging/image-sink';
import { pipelineFor } from './registry';
import type { TaskDependencies, TaskRunner, TaskStreamer } from './types';

/** Runs each job with its task's pipeline. */
export function createTaskStreamer(dependencies: TaskDependencies): TaskStreamer {
  return ({ options, image, mask }, sink, context) => pipelineFor(options.task)({ options, image, mask, sink, context }, dependencies);
}

/** The streamer with its output collected in memory. */
export function collectingOutput(streamTask: TaskStreamer): TaskRunner {
  return async (input, context) => {
    const collector = new ImageCollector();
    const result = await streamTask(input, collector, context);
    return { ...result, image: collector.collected() };
  };
}

export function createTaskRunner(dependencies: TaskDependencies): TaskRunner {
  return collectingOutput(createTaskStreamer(dependencies));
}
