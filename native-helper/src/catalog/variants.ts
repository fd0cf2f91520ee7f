import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomic } from '../codecs/atomic-write';
import { MendError, throwIfCancelled } from '../errors';
import { precisionSchema, type Precision } from '../protocol';
import type { Catalog } from './catalog';
import type { ModelFile, ModelManifest } from './manifest';
import type { PrepareProgress } from './prepare';

/** Precisions a model runs at from a file of its own, made from its fp32 file. */
export type VariantPrecision = Exclude<Precision, 'fp32'>;

export interface VariantContext {
  /** Stops the build with a CancelledError; nothing half-written is left. */
  signal?: AbortSignal;
  onProgress?(progress: PrepareProgress): void;
}

/** Makes the variant of one precision from a model file's fp32 bytes. */
export interface VariantBuilder {
  /** Changes whenever the same fp32 bytes would give other bytes: a variant built by another version is built again. */
  version: string;
  /** `file` is the model's file the bytes are of (its input side, for models of fixed sides). */
  build(fp32: Uint8Array, manifest: ModelManifest, file: ModelFile, context: VariantContext): Promise<Uint8Array>;
}

export type VariantBuilders = Partial<Record<VariantPrecision, VariantBuilder>>;

/** Where the variant of an fp32 file lives: next to it, `<name>-<precision>.onnx`. */
export function variantPathOf(fp32Path: string, precision: VariantPrecision): string {
  return `${fp32Path.replace(/\.onnx$/i, '')}-${precision}.onnx`;
}

/**
 * What a variant was built from and by, next to it as `<variant>.json`: the variant's own sha256 cannot be
 * pinned in a manifest (it depends on the builder's version), so its record says which fp32 file and which
 * builder made it, and the variant is rebuilt when either changes.
 */
const variantRecordSchema = z.object({
  precision: precisionSchema,
  builder: z.string(),
  /** sha256 of the fp32 file it was made from. */
  source: z.string(),
  sha256: z.string(),
});
type VariantRecord = z.infer<typeof variantRecordSchema>;

const recordPathOf = (variant: string) => `${variant}.json`;

async function readRecord(variant: string): Promise<VariantRecord | undefined> {
  let text: string;
  try {
    text = await readFile(recordPathOf(variant), 'utf8');
  } catch {
    return undefined;
  }
  try {
    return variantRecordSchema.parse(JSON.parse(text));
  } catch {
    // A damaged record only means the variant is built again.
    return undefined;
  }
}

/** Whether the variant at `variant` is whole and was made from `file` by `builder`'s version. */
async function isCurrent(catalog: Catalog, variant: string, file: ModelFile, precision: VariantPrecision, builder: VariantBuilder): Promise<boolean> {
  const record = await readRecord(variant);
  if (!record || record.precision !== precision || record.builder !== builder.version || record.source !== file.sha256) return false;
  return (await catalog.fileStatus(variant, record.sha256)) === 'ready';
}

/**
 * The ready variant of one file of a model at `precision`, built from its ready fp32 file when missing,
 * damaged or made by another builder version (e.g. the int8 variant: quantized and calibrated). The file
 * and its record are written atomically, the record last, so a build cut short leaves no variant that
 * looks current.
 */
export async function readyVariant(
  catalog: Catalog,
  manifest: ModelManifest,
  file: ModelFile,
  precision: VariantPrecision,
  builders: VariantBuilders,
  context: VariantContext = {},
): Promise<string> {
  const builder = builders[precision];
  if (!builder) throw new MendError('bad_usage', `${manifest.id} has no ${precision} variant, and this helper cannot build one; use --precision fp32`);
  const source = catalog.pathOf(manifest, file);
  const variant = variantPathOf(source, precision);
  if (await isCurrent(catalog, variant, file, precision, builder)) return variant;
  if ((await catalog.fileStatus(source, file.sha256)) !== 'ready') {
    throw new MendError(
      'model_missing',
      `the ${precision} variant of ${manifest.id} is made from its fp32 file, which is not built or is damaged; run \`mend models prepare ${manifest.id}\``,
    );
  }
  const bytes = await builder.build(await readFile(source), manifest, file, context);
  throwIfCancelled(context.signal);
  await writeFileAtomic(variant, async () => bytes, true);
  const record: VariantRecord = { precision, builder: builder.version, source: file.sha256, sha256: createHash('sha256').update(bytes).digest('hex') };
  await writeFileAtomic(recordPathOf(variant), async () => new TextEncoder().encode(`${JSON.stringify(record, null, 2)}\n`), true);
  return variant;
}
