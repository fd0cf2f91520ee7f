import type { GraphEngine } from '../engine/inference-engine';
import type { AnalysisModelSpec } from './analysis-models';

/** A loaded face analysis model: its spec, and a run from the NCHW input tensor to its outputs by name. */
export interface AnalysisModel {
  spec: AnalysisModelSpec;
  run(input: Float32Array): Promise<Record<string, Float32Array>>;
}

/** Loads the model file (faces/face-models.ts `readyFaceModel`) through the engine. */
export async function loadAnalysisModel(engine: GraphEngine, spec: AnalysisModelSpec, file: string): Promise<AnalysisModel> {
  const outputs = Object.keys(spec.outputs);
  const session = await engine.loadGraph(file, { inputs: ['input'], outputs });
  return {
    spec,
    async run(input) {
      const results = await session.run({ input: { type: 'float32', data: input, dims: [1, 3, spec.side, spec.side] } });
      return Object.fromEntries(
        outputs.map((name) => {
          const result = results[name];
          if (result.type !== 'float32') throw new Error(`${spec.id} answered ${result.type} values for ${name}`);
          return [name, result.data];
        }),
      );
    },
  };
}
