import type { TileSession } from './tile-session';

export interface SessionIo {
  input: string;
  output: string;
  /** Further inputs the model must have, e.g. an inpainting model's mask. */
  extraInputs?: readonly string[];
}

/** A tensor passed by name, in the element types Mend's models use (float64: CodeFormer's fidelity weight). */
export type NamedTensor =
  | { type: 'float32'; data: Float32Array; dims: readonly number[] }
  | { type: 'uint8'; data: Uint8Array; dims: readonly number[] }
  | { type: 'float64'; data: Float64Array; dims: readonly number[] };

export interface ModelSession extends TileSession {
  /** Runs a model with several inputs by name (an image and its mask) and returns the output `io.output`. */
  runNamed(inputs: Record<string, NamedTensor>): Promise<NamedTensor>;
}

/** What the tasks need of an engine: model files loaded into sessions. `Engine` is onnxruntime's. */
export interface InferenceEngine {
  /** Loads (once) the model file; later calls share the session. */
  load(file: string, io: SessionIo): Promise<ModelSession>;
  /** Loads (once) a model file for work of `tiles` tiles, which may run side by side. */
  loadForTiles(file: string, io: SessionIo, tiles: number): Promise<TileSession>;
  /**
   * Whether models would run fp16 variants well here: on a GPU provider whose adapter has half-precision
   * shaders; `reason` says why not. An engine without it runs fp32 only.
   */
  halfPrecision?(): Promise<{ supported: boolean; reason?: string }>;
}

/** The tensors a graph model takes and gives, by name: models that are not image-to-image (a face detector's scores and boxes). */
export interface GraphIo {
  inputs: readonly string[];
  outputs: readonly string[];
}

export interface GraphSession {
  /** Runs the model on every input of its `GraphIo` and answers every output of it, by name. */
  run(inputs: Record<string, NamedTensor>): Promise<Record<string, NamedTensor>>;
}

/** What code running models of named inputs and outputs needs of an engine. `Engine` is onnxruntime's. */
export interface GraphEngine {
  /** Loads (once) the model file; later calls share the session. */
  loadGraph(file: string, io: GraphIo): Promise<GraphSession>;
}
