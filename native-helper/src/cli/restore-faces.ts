import path from 'node:path';
import { modelCacheDir, openCatalog } from '../app';
import { writeFileAtomicWith } from '../codecs/atomic-write';
import { decodeImageFile, writeImageFile } from '../codecs/image-file';
import { configDir } from '../config/config-dir';
import { Engine } from '../engine/engine';
import { IDENTITY_THRESHOLD } from '../faces/identity';
import { chooseFaceRestorer, loadFaceAnalysis } from '../faces/face-tools';
import { restorePhotoFaces, type FaceReport } from '../faces/restore-photo-faces';
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
    const { restorer, models } = await chooseFaceRestorer(catalog, engine, flags.model, createTaskRunner({ catalog, engine }), context);
    const analysis = await loadFaceAnalysis(engine, modelCacheDir(), controller.signal, (message) => io.stderr.write(`mend: ${message}\n`));
    const results = [];
    for (const [index, input] of inputs.entries()) {
      const target = targets[index];
      const { image, icc } = await decodeImageFile(input);
      const restored = await restorePhotoFaces(image, analysis, restorer, flags.strength ?? DEFAULT_STRENGTH, { signal: controller.signal });
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
