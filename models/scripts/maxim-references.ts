/**
 * Makes the stored tfjs references the MAXIM parity checks compare against: each model's original graph
 * run once in @tensorflow/tfjs on the centre crop of its package's sample photo.
 *
 *   npx tsx models/scripts/maxim-references.ts 64 256            # all seven models at 64² and 256²
 *   npx tsx models/scripts/maxim-references.ts 256 deblurring    # one
 *
 * Measured on the shared 2-core machine under load: all seven take about 1 min at 64² and 12 min at 256²
 * (54–203 s per model, the 3-stage ones slowest), at most 1 GB of memory.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readSourcePins } from '../../native-helper/src/catalog/sources';
import {
  fixtureCrop,
  MAXIM_TASKS,
  type MaximTask,
  maximModelJson,
  maximPackage,
  REFERENCES_DIR,
  REFERENCES_INDEX,
  type ReferencesIndex,
  readReferencesIndex,
  referenceKey,
  sha256,
} from './parity-maxim';
import { TfjsGraphReference } from './tfjs-graph-reference';

/** Sides up to this are stored as float32; larger ones as float16, to keep the fixtures small. */
const FLOAT32_UP_TO = 64;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The IEEE half-precision bits nearest to `value` (ties to even). */
export function numberToFloat16(value: number): number {
  f32[0] = value;
  const bits = u32[0];
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  const fraction = bits & 0x7fffff;
  if (exponent === 0x80 + 15) return sign | 0x7c00 | (fraction ? 0x200 : 0);
  if (exponent >= 0x1f) return sign | 0x7c00;
  // Below the normal range: a subnormal, rounded off the fraction with its implicit leading bit.
  const shift = exponent > 0 ? 13 : 14 - exponent;
  if (shift > 24) return sign;
  const mantissa = exponent > 0 ? fraction : fraction | 0x800000;
  const kept = (exponent > 0 ? exponent << 10 : 0) | (mantissa >>> shift);
  const dropped = mantissa & ((1 << shift) - 1);
  const half = 1 << (shift - 1);
  // A carry out of the fraction moves into the exponent, which is the correctly rounded result.
  return sign | (kept + (dropped > half || (dropped === half && kept & 1) ? 1 : 0));
}

function encode(nhwc: Float32Array, encoding: 'float32le' | 'float16le'): Buffer {
  if (encoding === 'float32le') {
    const bytes = Buffer.alloc(nhwc.length * 4);
    nhwc.forEach((v, i) => bytes.writeFloatLE(v, i * 4));
    return bytes;
  }
  const bytes = Buffer.alloc(nhwc.length * 2);
  nhwc.forEach((v, i) => bytes.writeUInt16LE(numberToFloat16(v), i * 2));
  return bytes;
}

function packageVersion(name: string): string {
  return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
}

function emptyIndex(): ReferencesIndex {
  return {
    about:
      'Outputs of the original MAXIM graphs in @tensorflow/tfjs, the answers models/scripts/parity-maxim.ts and tests/parity/maxim-parity.test.ts compare our ONNX conversions against.',
    regenerate: 'npx tsx models/scripts/maxim-references.ts 64 256',
    engine: `@tensorflow/tfjs ${packageVersion('@tensorflow/tfjs')} on @tensorflow/tfjs-backend-wasm ${packageVersion('@tensorflow/tfjs-backend-wasm')} (SIMD, one thread; Node ${process.version}); Einsum, which tfjs-backend-wasm lacks, as a batched matrix product in models/scripts/tfjs-graph-reference.ts`,
    input: "centre side×side crop of the package's assets/fixture.png at its own resolution, alpha dropped, 8-bit RGB / 255, NHWC [1, side, side, 3]",
    references: {},
  };
}

async function writeReference(index: ReferencesIndex, task: MaximTask, n: number): Promise<void> {
  const crop = await fixtureCrop(task, n);
  const reference = await TfjsGraphReference.load(await maximModelJson(task));
  const started = performance.now();
  let output: Float32Array;
  try {
    output = await reference.run(
      Float32Array.from(crop, (v) => v / 255),
      n,
      n,
    );
  } finally {
    reference.dispose();
  }
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  const encoding = n <= FLOAT32_UP_TO ? 'float32le' : 'float16le';
  const file = `${referenceKey(task, n)}.bin`;
  const bytes = encode(output, encoding);
  writeFileSync(path.join(REFERENCES_DIR, file), bytes);
  const pkg = maximPackage(task);
  index.references[referenceKey(task, n)] = {
    package: pkg,
    integrity: readSourcePins()[pkg].integrity,
    side: n,
    inputSha256: sha256(crop),
    encoding,
    file,
    sha256: sha256(bytes),
    seconds,
  };
  console.log(`maxim-${task} ${n}²: ${seconds} s in tfjs, ${file} (${(bytes.byteLength / 1024).toFixed(0)} KB)`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const sides = args.filter((a) => /^\d+$/.test(a)).map(Number);
  const named = args.filter((a) => !/^\d+$/.test(a));
  const unknown = named.filter((a) => !(MAXIM_TASKS as readonly string[]).includes(a));
  if (sides.length === 0 || unknown.length > 0) {
    throw new Error(`usage: maxim-references.ts <side>... [${MAXIM_TASKS.join('|')}]...${unknown.length > 0 ? ` (unknown: ${unknown.join(', ')})` : ''}`);
  }
  mkdirSync(REFERENCES_DIR, { recursive: true });
  const fresh = emptyIndex();
  // Only the engine and input descriptions are rewritten; references not remade are kept.
  const index = existsSync(REFERENCES_INDEX) ? { ...fresh, references: readReferencesIndex().references } : fresh;
  for (const n of sides) {
    for (const task of named.length > 0 ? (named as MaximTask[]) : MAXIM_TASKS) {
      await writeReference(index, task, n);
      // Written after each model, so an interrupted run keeps what it finished.
      const sorted = Object.fromEntries(Object.entries(index.references).sort(([a], [b]) => a.localeCompare(b)));
      writeFileSync(REFERENCES_INDEX, `${JSON.stringify({ ...index, references: sorted }, null, 2)}\n`);
    }
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
