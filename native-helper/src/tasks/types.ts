import type { JobOptions } from '../protocol';
import type { ImageSink } from '../imaging/image-sink';
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

export interface TaskResult {
  /** Catalog ids of the models run, in order. */
  models: string[];
  provider: string;
  tiles: number;
  /** Size of the output image. */
  width: number;
  height: number;
}

export interface TaskOutput extends TaskResult {
  image: PixelImage;
}

/**
 * Where the pipelines are entered: one call per job, on decoded pixels; the output image goes to
 * `sink` band by band (the CLI encodes it straight into its file).
 */
export type TaskStreamer = (input: TaskInput, sink: ImageSink, context: TaskContext) => Promise<TaskResult>;

/** A `TaskStreamer` whose output is kept in memory (the job queue's answer to the panel). */
export type TaskRunner = (input: TaskInput, context: TaskContext) => Promise<TaskOutput>;
