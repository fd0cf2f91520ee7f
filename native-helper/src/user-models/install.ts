import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MendError, messageOf } from '../errors';
import type { Task } from '../protocol';
import type { Engine, ModelSignature } from '../engine/engine';
import { growHole } from '../imaging/mask';
import { modelHoleFiller } from '../tasks/inpaint-model';
import type { HoleWindow } from '../tasks/inpaint';
import { recognizeInpaintContract } from '../catalog/inpaint-contract';
import { recognizeFaceContract } from '../catalog/face-contract';
import { faceRestorer } from '../faces/face-restorer';
import { createImage } from '../imaging/pixel-image';
import { writeFileAtomic } from '../codecs/atomic-write';
import { sha256Hex } from '../catalog/build-model';
import { modelManifestSchema, type ModelManifest } from '../catalog/manifest';

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

type ProbedManifest = Pick<ModelManifest, 'scale' | 'io' | 'tiling'>;

/** An image-to-image model (upscale, restore): one input, checked by a run on a small gray image. */
async function probeImageModel(engine: Engine, bytes: Uint8Array, request: UserModelRequest, signature: ModelSignature): Promise<ProbedManifest> {
  const names = { inputs: signature.inputs.map((t) => t.name), outputs: signature.outputs.map((t) => t.name) };
  const input = request.input ?? names.inputs[0];
  const output = request.output ?? names.outputs[0];
  if (!names.inputs.includes(input) || !names.outputs.includes(output)) {
    throw new MendError('model_invalid', `the model's inputs are [${names.inputs.join(', ')}] and outputs [${names.outputs.join(', ')}]; name them with --input and --output`);
  }
  if (names.inputs.length !== 1) {
    throw new MendError(
      'model_invalid',
      `the model takes ${names.inputs.length} inputs; Mend runs image-to-image models with one input (an inpainting model? add it with --task inpaint)`,
    );
  }
  const session = await engine.load(bytes, { input, output }, `probe:${request.id}:${sha256Hex(bytes)}`);
  let probed: { height: number; width: number };
  try {
    probed = await session.run(new Float32Array(3 * PROBE_SIDE * PROBE_SIDE).fill(0.5 * (request.valueRange[0] + request.valueRange[1])), PROBE_SIDE, PROBE_SIDE);
  } catch (error) {
    throw new MendError('model_invalid', `a test run on a ${PROBE_SIDE}×${PROBE_SIDE} RGB image failed: ${messageOf(error)}`);
  }
  const scale = probed.height / PROBE_SIDE;
  if (probed.width !== probed.height || !Number.isInteger(scale) || scale < 1 || scale > 8) {
    throw new MendError('model_invalid', `the model turned ${PROBE_SIDE}×${PROBE_SIDE} into ${probed.width}×${probed.height}; Mend needs an output of 1 to 8 times the input`);
  }
  if (request.scale !== undefined && request.scale !== scale) {
    throw new MendError('model_invalid', `--scale ${request.scale} was given, but the model upscales ×${scale}`);
  }
  return {
    scale,
    io: { input, output, layout: 'NCHW', channelOrder: 'RGB', valueRange: request.valueRange },
    tiling: { tile: 256, maxTile: 512, overlap: 16, multipleOf: 1, minSize: 1 },
  };
}

/** A mid-gray probe window with an 8×8 hole in its middle; its sides are no multiple of 8, so padding is exercised too. */
const INPAINT_PROBE = { width: 60, height: 52, holeSide: 8 };

function inpaintProbeWindow(): HoleWindow {
  const { width, height, holeSide } = INPAINT_PROBE;
  const left = (width - holeSide) / 2;
  const top = (height - holeSide) / 2;
  const hole = Uint8Array.from({ length: width * height }, (_, i) => {
    const x = i % width;
    const y = Math.floor(i / width);
    return x >= left && x < left + holeSide && y >= top && y < top + holeSide ? 1 : 0;
  });
  return { width, height, rgb: new Float32Array(width * height * 3).fill(0.5), hole };
}

/** How far a kept pixel may come back from the gray it was given: one 8-bit step, as uint8 models round. */
const KEPT_TOLERANCE = 1.5 / 255;
/** Pipelines that blend their fill into a margin (MI-GAN's) may touch kept pixels near the hole: the range is read farther off. */
const KEPT_MARGIN = 8;

/** Runs a probe's test once: a failure or a value that is not a number means the model is not what its signature suggests. */
async function testRun(what: string, run: () => Promise<Float32Array>): Promise<Float32Array> {
  let values: Float32Array;
  try {
    values = await run();
  } catch (error) {
    throw new MendError('model_invalid', `${what} failed: ${messageOf(error)}`);
  }
  if (!values.every(Number.isFinite)) throw new MendError('model_invalid', `${what} answered values that are not numbers (NaN or infinite)`);
  return values;
}

/**
 * An inpainting model (LaMa or MI-GAN contract, recognized from its signature), checked by filling a
 * small hole in a gray window through the same filler `mend inpaint` uses. A float model's output
 * range is read from its kept pixels: LaMa's common export answers 0..255 for inputs in 0..1, so
 * read as 0..1 they come back near 127.5 instead of 0.5.
 */
async function probeInpaintModel(
  engine: Engine,
  bytes: Uint8Array,
  request: UserModelRequest,
  signature: ModelSignature,
  manifestWith: (described: ProbedManifest) => ModelManifest,
): Promise<ProbedManifest> {
  if (request.scale !== undefined && request.scale !== 1) throw new MendError('bad_usage', 'an inpainting model keeps the image size: leave out --scale (or give 1)');
  const { family, io, tiling } = recognizeInpaintContract(signature);
  const session = await engine.load(bytes, { input: io.input, output: io.output, extraInputs: [io.mask.name] }, `probe:${request.id}:${sha256Hex(bytes)}`);
  const window = inpaintProbeWindow();
  const filled = await testRun(`a test fill of a ${window.width}×${window.height} window`, () =>
    modelHoleFiller(manifestWith({ scale: 1, io, tiling }), session, tiling.tile).fill(window),
  );
  const nearHole = growHole(window.hole, window.width, window.height, KEPT_MARGIN);
  let keptSum = 0;
  let keptCount = 0;
  nearHole.forEach((near, i) => {
    if (near) return;
    keptSum += filled[i * 3] + filled[i * 3 + 1] + filled[i * 3 + 2];
    keptCount += 3;
  });
  const kept = keptSum / keptCount;
  if (Math.abs(kept - 0.5) <= KEPT_TOLERANCE) return { scale: 1, io, tiling };
  if (family === 'lama' && Math.abs(kept / 255 - 0.5) <= KEPT_TOLERANCE) return { scale: 1, io: { ...io, outputValueRange: [0, 255] }, tiling };
  const expected = family === 'lama' ? '0.5 (an output in 0..1) or 127.5 (in 0..255)' : '128';
  const answered = family === 'lama' ? kept.toFixed(3) : (kept * 255).toFixed(1);
  throw new MendError(
    'model_invalid',
    `a test fill of a mid-gray window gave the pixels it should keep a mean of ${answered}, not ${expected}: the model does not follow the ${family === 'lama' ? 'LaMa' : 'MI-GAN'} contract its signature suggests`,
  );
}

/**
 * A face restorer (GFPGAN, GPEN-BFR, RestoreFormer, CodeFormer; recognized from its signature), checked
 * by restoring a mid-gray crop of its side through the same driver `mend restore-faces` uses.
 */
async function probeFaceModel(
  engine: Engine,
  bytes: Uint8Array,
  request: UserModelRequest,
  signature: ModelSignature,
  manifestWith: (described: ProbedManifest) => ModelManifest,
): Promise<ProbedManifest> {
  if (request.scale !== undefined && request.scale !== 1) throw new MendError('bad_usage', 'a face restorer keeps the crop size: leave out --scale (or give 1)');
  const { io, tiling, side } = recognizeFaceContract(signature);
  const extraInputs = io.fidelity ? [io.fidelity.name] : [];
  const session = await engine.load(bytes, { input: io.input, output: io.output, extraInputs }, `probe:${request.id}:${sha256Hex(bytes)}`);
  const crop = createImage(side, side, 3, 32, 1);
  crop.data.fill(0.5);
  await testRun(`a test restore of a ${side}×${side} crop`, async () => (await faceRestorer(manifestWith({ scale: 1, io, tiling }), session).restore(crop)).data as Float32Array);
  return { scale: 1, io, tiling };
}

/**
 * Checks a model by running it once on a small image (names, output shape, scale), then installs it
 * in the user's model folder: `<configDir>/models/<id>.onnx` and its manifest beside it.
 */
export async function installUserModel(engine: Engine, bytes: Uint8Array, request: UserModelRequest, configDir: string): Promise<ModelManifest> {
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(request.id)) {
    throw new MendError('bad_usage', `"${request.id}" is not a valid model id: use lower-case letters, digits, ".", "_" and "-" (choose one with --id)`);
  }
  const dir = path.join(configDir, 'models');
  const file = path.join(dir, `${request.id}.onnx`);
  const manifestWith = (described: ProbedManifest): ModelManifest =>
    modelManifestSchema.parse({
      id: request.id,
      title: request.id,
      task: request.task,
      domain: 'any',
      ...described,
      license: 'user-provided',
      source: { files: request.sourceFiles, converter: request.converter },
      file,
      sha256: sha256Hex(bytes),
    });
  const signature = await engine.inspect(bytes);
  const probe =
    request.task === 'inpaint'
      ? probeInpaintModel(engine, bytes, request, signature, manifestWith)
      : request.task === 'face'
        ? probeFaceModel(engine, bytes, request, signature, manifestWith)
        : probeImageModel(engine, bytes, request, signature);
  const manifest = manifestWith(await probe);
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
