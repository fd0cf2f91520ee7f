import type { Catalog } from '../catalog/catalog';
import type { GraphEngine, InferenceEngine } from '../engine/inference-engine';
import { CancelledError, MendError, messageOf } from '../errors';
import type { TaskContext, TaskRunner } from '../tasks/types';
import { loadAnalysisModel } from './analysis-model';
import { FACE_DESCRIPTION, FACE_MESH } from './analysis-models';
import { loadFaceDetector } from './detect-faces';
import { faceDetailModels, faceDetailRestorer } from './face-detail';
import { readyFaceModel } from './face-models';
import { faceRestorer } from './face-restorer';
import type { FaceAnalysis } from './restore-photo-faces';
import type { CropRestorer } from './restore-faces';

/** The restorer a face job runs and the catalog ids of the models behind it. */
export interface ChosenRestorer {
  restorer: CropRestorer;
  models: string[];
}

/** The installed face model named (or the first installed one), else the general detail chain run by `runTask`. */
export async function chooseFaceRestorer(catalog: Catalog, engine: InferenceEngine, model: string | undefined, runTask: TaskRunner, context: TaskContext): Promise<ChosenRestorer> {
  const manifest = model ? catalog.get(model) : catalog.list().find((m) => m.task === 'face');
  if (manifest) {
    if (manifest.task !== 'face')
      throw new MendError('bad_usage', `${manifest.id} is made for ${manifest.task}, not face restoration; add a face model with \`mend models add <file.onnx> --task face\``);
    const { io } = manifest;
    const session = await engine.load(await catalog.readyPath(manifest), { input: io.input, output: io.output, extraInputs: io.fidelity ? [io.fidelity.name] : [] });
    return { restorer: faceRestorer(manifest, session), models: [manifest.id] };
  }
  const models = faceDetailModels(catalog);
  return { restorer: faceDetailRestorer(models, runTask, context), models: [models.denoiser, models.upscaler.id] };
}

/**
 * BlazeFace always; FaceMesh and FaceRes when their package can be had (all three built by `mend models
 * prepare`, else on first use), else alignment by BlazeFace's keypoints and no identity check, said through `warn`.
 */
export async function loadFaceAnalysis(engine: GraphEngine, cacheDir: string, signal: AbortSignal, warn: (message: string) => void): Promise<FaceAnalysis> {
  const detector = await loadFaceDetector(engine, await readyFaceModel('blazeface-256', cacheDir, { signal }));
  try {
    const mesh = await loadAnalysisModel(engine, FACE_MESH, await readyFaceModel('face-mesh', cacheDir, { signal }));
    const description = await loadAnalysisModel(engine, FACE_DESCRIPTION, await readyFaceModel('face-description', cacheDir, { signal }));
    return { detector, mesh, description };
  } catch (error) {
    if (error instanceof CancelledError) throw error;
    warn(`FaceMesh and FaceRes are not available (${messageOf(error)}): aligning by BlazeFace's keypoints, mouth corners estimated, no identity check`);
    return { detector };
  }
}
