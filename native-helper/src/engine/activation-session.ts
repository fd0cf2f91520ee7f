import * as ort from 'onnxruntime-node';
import { ORT_LOG_ERRORS_ONLY } from './ort-log-level';

/** A model run once per input for the values of named tensors: the calibration of an int8 variant. */
export interface ActivationSession {
  /** Runs the model on a 1×3×H×W input and answers each of `outputs` (graph outputs of the model) as floats. */
  run(input: Float32Array, height: number, width: number, outputs: readonly string[]): Promise<Map<string, Float32Array>>;
  release(): Promise<void>;
}

/**
 * Opens `model` (bytes) on the CPU provider for calibration runs. It is opened apart from the engine's
 * cached sessions: the model is built only to be read once, and released after.
 */
export async function openActivationSession(model: Uint8Array, inputName: string): Promise<ActivationSession> {
  // Only constant folding: fusing a conv with its activation would hide the conv's own output, which calibration reads.
  const session = await ort.InferenceSession.create(model, { executionProviders: ['cpu'], graphOptimizationLevel: 'basic', logSeverityLevel: ORT_LOG_ERRORS_ONLY });
  return {
    async run(input, height, width, outputs) {
      const tensor = new ort.Tensor('float32', input, [1, 3, height, width]);
      const result = await session.run({ [inputName]: tensor }, [...outputs]);
      tensor.dispose();
      const values = new Map<string, Float32Array>();
      for (const name of outputs) {
        values.set(name, result[name].data as Float32Array);
      }
      return values;
    },
    release: () => session.release(),
  };
}
