import type { JobOptions } from '../protocol';
import type { PixelImage } from '../imaging/pixel-image';

export interface TaskProgress {
  done: number;
  total: number;
  stage: string;
}

export interface TaskContext {
  /** Aborting stops the task at the next tile boundary with a CancelledError. */
  signal: AbortSignal;
  onProgress(progress: TaskProgress): void;
}

export interface TaskInput {
  options: JobOptions;
  image: PixelImage;
  mask?: PixelImage;
}

export interface TaskOutput {
  image: PixelImage;
  /** Catalog ids of the models run, in order. */
  models: string[];
  provider: string;
  tiles: number;
}

/** Where the CLI and the job queue enter the pipelines: one call per job, on decoded pixels. */
export type TaskRunner = (input: TaskInput, context: TaskContext) => Promise<TaskOutput>;
