import type { InferenceEngine } from '../engine/inference-engine';
import type { AnalysisModelSpec } from './analysis-models';

/** A loaded face analysis model: its spec, and a run from the NCHW input tensor to its main output. */
export interface AnalysisModel {
  spec: AnalysisModelSpec;
  run(input: Float32Array): Promise<Float32Array>;
}

/**
 * Loads the model file through the engine. It answers the spec's first output (FaceMesh's points,
 * FaceRes's embedding): the engine runs a model for one output.
 */
export async function loadAnalysisModel(engine: InferenceEngine, spec: AnalysisModelSpec, file: string): Promise<AnalysisModel> {
  const [output] = Object.keys(spec.outputs);
  const session = await engine.load(file, { input: 'input', output });
  return {
    spec,
    async run(input) {
      const result = await session.runNamed({ input: { type: 'float32', data: input, dims: [1, 3, spec.side, spec.side] } });
      if (result.type !== 'float32') throw new Error(`${spec.id} answered ${result.type} values`);
      return result.data;
    },
  };
}
