import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MendError } from '../errors';
import type { Task } from '../protocol';
import type { Engine, ModelSignature, NamedTensor } from '../engine/engine';
import { recognizeInpaintContract } from './inpaint-contract';
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
    throw new MendError('model_invalid', `the model takes ${names.inputs.length} inputs; Mend runs image-to-image models with one input (an inpainting model? add it with --task inpaint)`);
  }
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
  return {
    scale,
    io: { input, output, layout: 'NCHW', channelOrder: 'RGB', valueRange: request.valueRange },
    tiling: { tile: 256, maxTile: 512, overlap: 16, multipleOf: 1, minSize: 1 },
  };
}

/**
 * An inpainting model (LaMa or MI-GAN contract, recognized from its signature), checked by filling a
 * small hole in a gray window; a float model's output range (LaMa exports answer 0..255) is read from
 * what it returns for the kept pixels.
 */
async function probeInpaintModel(engine: Engine, bytes: Uint8Array, request: UserModelRequest, signature: ModelSignature): Promise<ProbedManifest> {
  if (request.scale !== undefined && request.scale !== 1) throw new MendError('bad_usage', 'an inpainting model keeps the image size: leave out --scale (or give 1)');
  const contract = recognizeInpaintContract(signature);
  const { io, tiling } = contract;
  const { mask } = io;
  const side = Math.max(PROBE_SIDE, tiling.minSize);
  const session = await engine.load(bytes, { input: io.input, output: io.output, extraInputs: [mask.name] }, `probe:${request.id}:${sha256Hex(bytes)}`);
  const plane = side * side;
  const isHole = (i: number) => Math.abs((i % side) - side / 2) < 4 && Math.abs(Math.floor(i / side) - side / 2) < 4;
  const gray = 0.5 * (io.valueRange[0] + io.valueRange[1]);
  const imageValues = new Float32Array(3 * plane).fill(gray);
  const maskValues = Float32Array.from({ length: plane }, (_, i) => (isHole(i) ? mask.holeValue : mask.keepValue));
  const tensor = (values: Float32Array, channels: number): NamedTensor =>
    io.dtype === 'uint8' ? { type: 'uint8', data: Uint8Array.from(values, (v) => Math.round(v)), dims: [1, channels, side, side] } : { type: 'float32', data: values, dims: [1, channels, side, side] };
  let out: NamedTensor;
  try {
    out = await session.runNamed({ [io.input]: tensor(imageValues, 3), [mask.name]: tensor(maskValues, 1) });
  } catch (error) {
    throw new MendError('model_invalid', `a test fill of a ${side}×${side} window failed: ${(error as Error).message.split('\n')[0]}`);
  }
  if (out.dims.join('×') !== `1×3×${side}×${side}`) {
    throw new MendError('model_invalid', `the model answered a ${out.dims.join('×')} tensor for a 1×3×${side}×${side} window; an inpainting model returns the image`);
  }
  let kept = 0;
  for (let i = 0; i < plane; i++) if (!isHole(i)) kept += out.data[i];
  const keptMean = kept / (plane - 64);
  const outputValueRange: [number, number] | undefined = contract.family === 'lama' && keptMean > 2 ? [0, 255] : undefined;
  return { scale: 1, io: { ...io, ...(outputValueRange ? { outputValueRange } : {}) }, tiling };
}

/**
 * Checks a model by running it once on a small image (names, output shape, scale), then installs it
 * in the user's model folder: `<configDir>/models/<id>.onnx` and its manifest beside it.
 */
export async function installUserModel(engine: Engine, bytes: Uint8Array, request: UserModelRequest, configDir: string): Promise<ModelManifest> {
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(request.id)) {
    throw new MendError('bad_usage', `"${request.id}" is not a valid model id: use lower-case letters, digits, ".", "_" and "-" (choose one with --id)`);
  }
  const signature = await engine.inspect(bytes);
  const described = request.task === 'inpaint' ? await probeInpaintModel(engine, bytes, request, signature) : await probeImageModel(engine, bytes, request, signature);
  const dir = path.join(configDir, 'models');
  const file = path.join(dir, `${request.id}.onnx`);
  const manifest = modelManifestSchema.parse({
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

