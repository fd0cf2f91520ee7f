import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MendError } from '../errors';
import type { Task } from '../protocol';
import type { Engine } from '../engine/engine';
import { writeFileAtomic } from '../codecs/atomic-write';
import { sha256Hex } from './build-model';
import { modelManifestSchema, type ModelManifest } from './manifest';

export interface UserModelRequest {
  id: string;
  task: Task;
  /** Expected scale; probed from the model when absent. */
  scale?: number;
  valueRange: [number, number];
  converter: ModelManifest['source']['converter'];
  sourceFiles: string[];
  input?: string;
  output?: string;
  overwrite: boolean;
}

const PROBE_SIDE = 64;

/**
 * Checks a model by running it once on a small image (names, output shape, scale), then installs it
 * in the user's model folder: `<configDir>/models/<id>.onnx` and its manifest beside it.
 */
export async function installUserModel(engine: Engine, bytes: Uint8Array, request: UserModelRequest, configDir: string): Promise<ModelManifest> {
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(request.id)) {
    throw new MendError('bad_usage', `"${request.id}" is not a valid model id: use lower-case letters, digits, ".", "_" and "-" (choose one with --id)`);
  }
  const names = await engine.inspect(bytes);
  const input = request.input ?? names.inputs[0];
  const output = request.output ?? names.outputs[0];
  if (!names.inputs.includes(input) || !names.outputs.includes(output)) {
    throw new MendError('model_invalid', `the model's inputs are [${names.inputs.join(', ')}] and outputs [${names.outputs.join(', ')}]; name them with --input and --output`);
  }
  if (names.inputs.length !== 1) throw new MendError('model_invalid', `the model takes ${names.inputs.length} inputs; Mend runs image-to-image models with one input`);
  const session = await engine.load(bytes, { input, output }, `probe:${request.id}:${sha256Hex(bytes)}`);
  let probed: { height: number; width: number };
  try {
    probed = await session.run(new Float32Array(3 * PROBE_SIDE * PROBE_SIDE).fill(0.5 * (request.valueRange[0] + request.valueRange[1])), PROBE_SIDE, PROBE_SIDE);
  } catch (error) {
    throw new MendError('model_invalid', `a test run on a ${PROBE_SIDE}×${PROBE_SIDE} RGB image failed: ${(error as Error).message.split('\n')[0]}`);
  }
  const scale = probed.height / PROBE_SIDE;
  if (probed.width !== probed.height || !Number.isInteger(scale) || scale < 1 || scale > 8) {
    throw new MendError('model_invalid', `the model turned ${PROBE_SIDE}×${PROBE_SIDE} into ${probed.width}×${probed.height}; Mend needs an output of 1 to 8 times the input`);
  }
  if (request.scale !== undefined && request.scale !== scale) {
    throw new MendError('model_invalid', `--scale ${request.scale} was given, but the model upscales ×${scale}`);
  }
  const dir = path.join(configDir, 'models');
  const file = path.join(dir, `${request.id}.onnx`);
  const manifest = modelManifestSchema.parse({
    id: request.id,
    title: request.id,
    task: request.task,
    scale,
    domain: 'any',
    io: { input, output, layout: 'NCHW', channelOrder: 'RGB', valueRange: request.valueRange },
    tiling: { tile: 256, maxTile: 512, overlap: 16, multipleOf: 1 },
    license: 'user-provided',
    source: { files: request.sourceFiles, converter: request.converter },
    file,
    sha256: sha256Hex(bytes),
  });
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(file, async () => bytes, request.overwrite);
  await writeFile(path.join(dir, `${request.id}.json`), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** Reads a model file the user named, with a message that says what went wrong. */
export async function readModelFile(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new MendError('bad_input', `${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

