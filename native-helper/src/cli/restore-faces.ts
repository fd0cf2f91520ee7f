import path from 'node:path';
import { modelCacheDir, openCatalog } from '../app';
import type { Catalog } from '../catalog/catalog';
import { writeFileAtomicWith } from '../codecs/atomic-write';
import { decodeImageFile, writeImageFile } from '../codecs/image-file';
import { configDir } from '../config/config-dir';
import { Engine } from '../engine/engine';
import { CancelledError, MendError, messageOf } from '../errors';
import { loadAnalysisModel } from '../faces/analysis-model';
import { FACE_DESCRIPTION, FACE_MESH } from '../faces/analysis-models';
import { loadFaceDetector } from '../faces/detect-faces';
import { faceDetailModels, faceDetailRestorer } from '../faces/face-detail';
import { readyFaceModel } from '../faces/face-models';
import { faceRestorer } from '../faces/face-restorer';
import { IDENTITY_THRESHOLD } from '../faces/identity';
import { restorePhotoFaces, type FaceAnalysis, type FaceReport } from '../faces/restore-photo-faces';
import type { CropRestorer } from '../faces/restore-faces';
import { createTaskRunner } from '../tasks/runner';
import type { TaskContext } from '../tasks/types';
import type { CliIo } from './cli-io';
import { EXIT } from './exit-codes';
import { resolveOutputs } from './output-paths';

export interface RestoreFacesFlags {
  output: string;
  model?: string;
  strength?: number;
  provider?: string;
  overwrite?: boolean;
  json?: boolean;
}

/** How much of each restored face replaces the original when `--strength` is not given: all of it, inside the feather. */
export const DEFAULT_STRENGTH = 1;

/** The installed face model named (or the first installed one), else the general detail chain. */
async function chooseRestorer(catalog: Catalog, engine: Engine, model: string | undefined, context: TaskContext): Promise<{ restorer: CropRestorer; models: string[] }> {
  const manifest = model ? catalog.get(model) : catalog.list().find((m) => m.task === 'face');
  if (manifest) {
    if (manifest.task !== 'face')
      throw new MendError('bad_usage', `${manifest.id} is made for ${manifest.task}, not face restoration; add a face model with \`mend models add <file.onnx> --task face\``);
    const { io } = manifest;
    const session = await engine.load(await catalog.readyPath(manifest), { input: io.input, output: io.output, extraInputs: io.fidelity ? [io.fidelity.name] : [] });
    return { restorer: faceRestorer(manifest, session), models: [manifest.id] };
  }
  const models = faceDetailModels(catalog);
  return { restorer: faceDetailRestorer(models, createTaskRunner({ catalog, engine }), context), models: [models.denoiser, models.upscaler.id] };
}

/**
 * BlazeFace always; FaceMesh and FaceRes when their package can be had (all three built by `mend models
 * prepare`, else on first use), else alignment by BlazeFace's keypoints and no identity check, said on stderr.
 */
async function loadAnalysis(engine: Engine, io: CliIo, signal: AbortSignal): Promise<FaceAnalysis> {
  const cacheDir = modelCacheDir();
  const detector = await loadFaceDetector(engine, await readyFaceModel('blazeface-256', cacheDir, { signal }));
  try {
    const mesh = await loadAnalysisModel(engine, FACE_MESH, await readyFaceModel('face-mesh', cacheDir, { signal }));
    const description = await loadAnalysisModel(engine, FACE_DESCRIPTION, await readyFaceModel('face-description', cacheDir, { signal }));
    return { detector, mesh, description };
  } catch (error) {
    if (error instanceof CancelledError) throw error;
    io.stderr.write(`mend: FaceMesh and FaceRes are not available (${messageOf(error)}): aligning by BlazeFace's keypoints, mouth corners estimated, no identity check\n`);
    return { detector };
  }
}

const tenth = (v: number) => Math.round(v * 10) / 10;

function faceJson(face: FaceReport) {
  const box = { x: tenth(face.box.x), y: tenth(face.box.y), width: tenth(face.box.width), height: tenth(face.box.height) };
  const identity = face.identity === undefined ? {} : { identity: Math.round(face.identity * 1000) / 1000, mayNotLookLikeSamePerson: face.mayNotLookLikeSamePerson };
  return { box, score: Math.round(face.score * 1000) / 1000, alignedBy: face.alignedBy, ...identity };
}

function faceLine(face: FaceReport, index: number): string {
  const { box } = face;
  const where = `  ${index + 1}. box ${Math.round(box.x)},${Math.round(box.y)} ${Math.round(box.width)}×${Math.round(box.height)}`;
  if (face.identity === undefined) return `${where}  (aligned by BlazeFace; no identity check)`;
  const flag = face.mayNotLookLikeSamePerson ? `  — may not look like the same person (below ${IDENTITY_THRESHOLD})` : '';
  return `${where}  identity ${face.identity.toFixed(2)}${flag}`;
}

/** `mend restore-faces <input...> -o <output|dir>`: every face of each photo restored and pasted back. */
export async function restoreFacesCommand(inputs: string[], flags: RestoreFacesFlags, io: CliIo): Promise<number> {
  const targets = await resolveOutputs(inputs, flags.output, async () => '-faces');
  const controller = new AbortController();
  const stopListening = io.onInterrupt(() => controller.abort());
  const context: TaskContext = { signal: controller.signal, onProgress: () => undefined };
  const engine = new Engine({ provider: flags.provider ?? io.env.MEND_PROVIDER });
  try {
    const catalog = await openCatalog(configDir(io.env));
    const { restorer, models } = await chooseRestorer(catalog, engine, flags.model, context);
    const analysis = await loadAnalysis(engine, io, controller.signal);
    const results = [];
    for (const [index, input] of inputs.entries()) {
      const target = targets[index];
      const { image, icc } = await decodeImageFile(input);
      const restored = await restorePhotoFaces(image, analysis, restorer, flags.strength ?? DEFAULT_STRENGTH, controller.signal);
      await writeFileAtomicWith(target.file, (temporary) => writeImageFile(restored.image, target.format, temporary, icc), flags.overwrite === true);
      results.push({ input, output: target.file, restorer: restorer.label, models, faces: restored.faces });
      if (!flags.json) {
        const count = restored.faces.length === 1 ? '1 face' : `${restored.faces.length} faces`;
        io.stdout.write(
          `${path.basename(input)} → ${target.file}: ${count} restored by ${restorer.label}\n${restored.faces.map(faceLine).join('\n')}${restored.faces.length ? '\n' : ''}`,
        );
      }
    }
    if (flags.json) io.stdout.write(`${JSON.stringify({ results: results.map((r) => ({ ...r, faces: r.faces.map(faceJson) })) })}\n`);
    return EXIT.ok;
  } finally {
    stopListening();
    await engine.close();
  }
}
