import type { JobFace, JobOptions, JobOutput, Precision } from '../protocol';
import type { Catalog } from '../catalog/catalog';
import type { ModelFile, ModelManifest } from '../catalog/manifest';
import type { InferenceEngine } from '../engine/inference-engine';
import type { ChosenRestorer } from '../faces/face-tools';
import type { FaceAnalysis } from '../faces/restore-photo-faces';
import type { ImageSink } from '../imaging/image-sink';
import type { PixelImage } from '../imaging/pixel-image';
import type { TileProgress } from './tile-progress';

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

/** How one output of a job is listed in its summary: the protocol's `JobOutput` without the layout. */
export type OutputDescription = Omit<JobOutput, 'image'>;

/** An image a job answers besides the one it streams to its sink. */
export interface ExtraOutput extends OutputDescription {
  image: PixelImage;
}

export interface TaskResult {
  /** Catalog ids of the models run, in order. */
  models: string[];
  provider: string;
  tiles: number;
  /** Size of the output image. */
  width: number;
  height: number;
  /** How the streamed image is listed when the job answers more than one; kind 'result' under the models' ids when absent. */
  main?: OutputDescription;
  /** Images the job answers besides the streamed one, in order: a compare job's other variants, the map of invented detail. */
  extraOutputs?: ExtraOutput[];
  /** The faces a find-faces or restore-faces job reports, for its summary. */
  faces?: JobFace[];
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

export interface TaskDependencies {
  catalog: Catalog;
  engine: InferenceEngine;
  /**
   * Builds a model prepared on first use (status `available`) inside the job that needs it, reporting to
   * the job's progress and stopping with its signal; without it such a job fails, saying how to prepare it.
   */
  prepareModel?(manifest: ModelManifest, context: TaskContext): Promise<void>;
  /**
   * The ready file of a model's variant at a precision other than fp32 (`<file>-int8.onnx`), built from the
   * model's ready fp32 file inside the job that first needs it; without it such a job fails, saying so.
   */
  variantPath?(manifest: ModelManifest, file: ModelFile, precision: Exclude<Precision, 'fp32'>, context: TaskContext): Promise<string>;
  /** The face models of find-faces and restore-faces jobs; without them such a job fails, saying so. */
  faces?: FaceTools;
}

/** What the face jobs need: the models that find and describe faces, and the restorer of a job. */
export interface FaceTools {
  /** Loaded once, on the first face job; `signal` stops a first-use download. */
  analysis(signal: AbortSignal): Promise<FaceAnalysis>;
  /** The installed face model named (the first one when none is named), else the general detail chain. */
  restorer(model: string | undefined, context: TaskContext): Promise<ChosenRestorer>;
  /** The execution provider the face models ran on. */
  provider(): string;
}

/** One job as its task's pipeline sees it: the options are that task's own. */
export interface TaskJob<Options extends JobOptions> {
  options: Options;
  image: PixelImage;
  mask?: PixelImage;
  sink: ImageSink;
  context: TaskContext;
}

/** A task's pipeline: runs one job and sends its output image to `job.sink`. */
export type TaskPipeline<Options extends JobOptions> = (job: TaskJob<Options>, dependencies: TaskDependencies) => Promise<TaskResult>;

/**
 * One model run of a job with its models loaded and its tiles counted, so that a job of several runs (a
 * compare job's variants) reports one progress over all of them from the start.
 */
export interface PlannedRun {
  /** Catalog id of the model the run is named by: the upscaler, the restore model. */
  model: string;
  /** Size of its output. */
  width: number;
  height: number;
  tiles: number;
  run(sink: ImageSink, progress: TileProgress): Promise<TaskResult>;
}
