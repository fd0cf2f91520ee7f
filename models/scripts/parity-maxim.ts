/**
 * Parity of our TF.js graph → ONNX conversion of MAXIM with @tensorflow/tfjs running the original graphs.
 * tfjs takes minutes per model (hours at 256² for all seven), so its outputs are stored once as
 * references (tests/fixtures/maxim-parity, written by models/scripts/maxim-references.ts) and each check
 * runs only our side.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { z } from 'zod';
import { ensureSource, readSourcePins } from '../../native-helper/src/catalog/sources';
import { float16ToNumber, readGraphModel, specialize, specializedGraphToOnnx } from '../../native-helper/src/convert/tfjs-graph';
import { parseJson } from '../../native-helper/src/parse-input';

export const MAXIM_TASKS = ['deblurring', 'denoising', 'enhancement', 'retouching', 'dehazing-indoor', 'dehazing-outdoor', 'deraining'] as const;
export type MaximTask = (typeof MAXIM_TASKS)[number];

export function maximPackage(task: MaximTask): string {
  return `@upscalerjs/maxim-${task}@0.1.0`;
}

export async function maximModelJson(task: MaximTask): Promise<string> {
  return path.join(await ensureSource(maximPackage(task)), 'models', 'model.json');
}

/**
 * The centre n×n crop of the package's own sample photo (at its own resolution: every one is at least
 * 256² and decoding a PNG is exact, so the crop is the same on every machine), alpha dropped, 8-bit RGB.
 */
export async function fixtureCrop(task: MaximTask, n: number): Promise<Uint8Array> {
  const png = path.join(path.dirname(path.dirname(await maximModelJson(task))), 'assets', 'fixture.png');
  const { width = 0, height = 0 } = await sharp(png).metadata();
  if (width < n || height < n) throw new Error(`the sample photo of maxim-${task} is ${width}×${height}, smaller than an ${n}² crop`);
  const left = Math.floor((width - n) / 2);
  const top = Math.floor((height - n) / 2);
  return new Uint8Array(await sharp(png).removeAlpha().extract({ left, top, width: n, height: n }).raw().toBuffer());
}

/** `fixtureCrop` as the models take it: NHWC in 0..1. */
export async function fixtureTile(task: MaximTask, n: number): Promise<Float32Array> {
  return Float32Array.from(await fixtureCrop(task, n), (v) => v / 255);
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function nhwcToNchw(nhwc: Float32Array, height: number, width: number): Float32Array {
  const nchw = new Float32Array(nhwc.length);
  for (let i = 0; i < height * width; i++) for (let c = 0; c < 3; c++) nchw[c * height * width + i] = nhwc[i * 3 + c];
  return nchw;
}

/** PSNR in dB of `ours` (NCHW) against `reference` (NHWC), for values in 0..1. */
export function psnr(ours: Float32Array, reference: Float32Array, height: number, width: number): number {
  let squared = 0;
  for (let i = 0; i < height * width; i++) for (let c = 0; c < 3; c++) squared += (ours[c * height * width + i] - reference[i * 3 + c]) ** 2;
  return 10 * Math.log10(1 / (squared / reference.length));
}

export interface MaximConversion {
  onnx: Uint8Array;
  nodesBefore: number;
  nodesAfter: number;
  opTypes: string[];
  convertMs: number;
}

export async function convertMaxim(task: MaximTask, n: number): Promise<MaximConversion> {
  const started = performance.now();
  const model = await readGraphModel(await maximModelJson(task));
  const graph = specialize(model, [1, n, n, 3]);
  const onnx = specializedGraphToOnnx(graph, `maxim-${task}-${n}`);
  const computed = graph.nodes.filter((node) => node.op !== 'Placeholder');
  return {
    onnx,
    nodesBefore: model.nodes.length,
    nodesAfter: computed.length,
    opTypes: [...new Set(computed.map((node) => node.op))].sort(),
    convertMs: performance.now() - started,
  };
}

export async function runOnnx(onnx: Uint8Array, nchw: Float32Array, n: number): Promise<{ output: Float32Array; sessionMs: number; runMs: number }> {
  let started = performance.now();
  const session = await ort.InferenceSession.create(onnx);
  const sessionMs = performance.now() - started;
  started = performance.now();
  const output = (await session.run({ input: new ort.Tensor('float32', nchw, [1, 3, n, n]) })).output.data as Float32Array;
  const runMs = performance.now() - started;
  await session.release();
  return { output, sessionMs, runMs };
}

export const REFERENCES_DIR = path.join(__dirname, '..', '..', 'tests', 'fixtures', 'maxim-parity');
export const REFERENCES_INDEX = path.join(REFERENCES_DIR, 'references.json');

/** One stored tfjs output and what it was made from. */
const referenceSchema = z.object({
  package: z.string(),
  /** The package's pin in models/sources.json when the reference was made. */
  integrity: z.string(),
  side: z.number().int().positive(),
  /** sha256 of the 8-bit RGB input crop (`fixtureCrop`). */
  inputSha256: z.string(),
  /** NHWC [1, side, side, 3], little-endian. float16 keeps 256² references small; its rounding alone caps PSNR near 77 dB. */
  encoding: z.enum(['float32le', 'float16le']),
  file: z.string(),
  sha256: z.string(),
  /** Wall time of the tfjs run that made it. */
  seconds: z.number(),
});
export type StoredReference = z.infer<typeof referenceSchema>;

export const referencesIndexSchema = z.object({
  about: z.string(),
  regenerate: z.string(),
  engine: z.string(),
  input: z.string(),
  references: z.record(z.string(), referenceSchema),
});
export type ReferencesIndex = z.infer<typeof referencesIndexSchema>;

export function referenceKey(task: MaximTask, n: number): string {
  return `${task}-${n}`;
}

export function readReferencesIndex(): ReferencesIndex {
  return parseJson(readFileSync(REFERENCES_INDEX, 'utf8'), referencesIndexSchema, REFERENCES_INDEX);
}

/**
 * The stored tfjs output for `task` at n², NHWC, after checking it was made from the model now pinned
 * and from the same input crop.
 */
export function readReference(task: MaximTask, n: number, inputSha256: string): Float32Array {
  const key = referenceKey(task, n);
  const regenerate = `regenerate it with \`npx tsx models/scripts/maxim-references.ts ${n} ${task}\``;
  const stored = readReferencesIndex().references[key];
  if (!stored) throw new Error(`no stored tfjs reference for maxim-${task} at ${n}²: ${regenerate}`);
  const pinned = readSourcePins()[stored.package]?.integrity;
  if (stored.integrity !== pinned) throw new Error(`the tfjs reference for maxim-${task} at ${n}² was made from another ${stored.package} than the one pinned: ${regenerate}`);
  if (stored.inputSha256 !== inputSha256)
    throw new Error(`the ${n}² input crop of maxim-${task}'s sample photo differs from the one its tfjs reference was made from: ${regenerate}`);
  const bytes = readFileSync(path.join(REFERENCES_DIR, stored.file));
  if (sha256(bytes) !== stored.sha256) throw new Error(`${stored.file} does not match its sha256 in references.json: ${regenerate}`);
  const values = n * n * 3;
  if (bytes.byteLength !== values * (stored.encoding === 'float32le' ? 4 : 2))
    throw new Error(`${stored.file} holds ${bytes.byteLength} bytes, not an ${n}² ${stored.encoding} image`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return stored.encoding === 'float32le'
    ? Float32Array.from({ length: values }, (_v, i) => view.getFloat32(i * 4, true))
    : Float32Array.from({ length: values }, (_v, i) => float16ToNumber(view.getUint16(i * 2, true)));
}

export interface MaximParity {
  psnr: number;
  conversion: MaximConversion;
  sessionMs: number;
  runMs: number;
}

/** Our conversion on the n×n crop of the package's sample photo: PSNR against tfjs's stored output for the same crop. */
export async function maximParity(task: MaximTask, n: number): Promise<MaximParity> {
  const crop = await fixtureCrop(task, n);
  const reference = readReference(task, n, sha256(crop));
  const conversion = await convertMaxim(task, n);
  const { output, sessionMs, runMs } = await runOnnx(
    conversion.onnx,
    nhwcToNchw(
      Float32Array.from(crop, (v) => v / 255),
      n,
      n,
    ),
    n,
  );
  return { psnr: psnr(output, reference, n, n), conversion, sessionMs, runMs };
}

async function main(): Promise<void> {
  const sides = process.argv
    .slice(2)
    .filter((a) => /^\d+$/.test(a))
    .map(Number);
  const named = process.argv.slice(2).filter((a) => !/^\d+$/.test(a)) as MaximTask[];
  const tasks = named.length > 0 ? named : MAXIM_TASKS;
  console.log(
    '| model | side | nodes (graph → folded) | op types | ONNX (MB) | PSNR vs tfjs (dB) | convert (s) | session (s) | ORT run (s) |\n|---|---|---|---|---|---|---|---|---|',
  );
  for (const n of sides.length > 0 ? sides : [64, 256]) {
    for (const task of tasks) {
      const { psnr: db, conversion, sessionMs, runMs } = await maximParity(task, n);
      console.log(
        `| maxim-${task} | ${n}² | ${conversion.nodesBefore} → ${conversion.nodesAfter} | ${conversion.opTypes.length} | ${(conversion.onnx.byteLength / 2 ** 20).toFixed(1)} | ${db.toFixed(1)} | ${(conversion.convertMs / 1000).toFixed(1)} | ${(sessionMs / 1000).toFixed(1)} | ${(runMs / 1000).toFixed(1)} |`,
      );
    }
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
