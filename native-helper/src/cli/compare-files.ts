import { rm } from 'node:fs/promises';
import path from 'node:path';
import { assertWritable, writeFileAtomic, writeFileAtomicWith } from '../codecs/atomic-write';
import { writeImageFile } from '../codecs/image-file';
import { MendError, throwIfCancelled } from '../errors';
import { contactSheetPng } from '../eval/contact-sheet';
import { cropImage } from '../imaging/crop';
import type { PixelImage } from '../imaging/pixel-image';
import { convertDepth } from '../imaging/sample-conversion';
import type { TaskOutput } from '../tasks/types';

/** Largest side of a contact sheet's cell: a larger variant shows its centre at 1:1, so that its detail stays visible. */
export const SHEET_CELL_SIDE = 1024;

export interface WrittenVariant {
  file: string;
  label: string;
  models: string[];
}

/** Where a variant goes: next to the sheet, named after the input and the variant's label ("<stem>-<model>[-detail<k>].png"). */
export function variantFile(folder: string, stem: string, label: string): string {
  const name = label.replace(/\s*·\s*detail\s*/, '-detail').replace(/[^A-Za-z0-9._-]+/g, '-');
  return path.join(folder, `${stem}-${name}.png`);
}

/** A variant as the sheet shows it: 8-bit, its centre at 1:1 when larger than a cell. */
function sheetCell(image: PixelImage): PixelImage {
  const width = Math.min(image.width, SHEET_CELL_SIDE);
  const height = Math.min(image.height, SHEET_CELL_SIDE);
  const centre = width === image.width && height === image.height ? image : cropImage(image, { x: (image.width - width) >> 1, y: (image.height - height) >> 1, width, height });
  return centre.bitDepth === 8 ? centre : convertDepth(centre, 8, 255);
}

/**
 * Writes each variant of a compare run as a PNG (in the input's ICC profile) into the sheet's folder, then the
 * contact sheet: the variants side by side under their labels. Every target is checked before the first is
 * written; a failure or Ctrl+C between files removes the files already written, so a run leaves all or nothing.
 */
export async function writeCompareFiles(
  sheet: string,
  stem: string,
  output: TaskOutput,
  icc: Uint8Array | undefined,
  overwrite: boolean,
  signal: AbortSignal,
): Promise<WrittenVariant[]> {
  const main = output.main ?? { label: output.models.join(' + '), models: output.models };
  const variants = [{ ...main, image: output.image }, ...(output.extraOutputs ?? [])].map(({ label, models, image }) => ({
    file: variantFile(path.dirname(sheet), stem, label),
    label,
    models,
    image,
  }));
  const files = variants.map((v) => v.file);
  const twice = files.find((file, i) => files.indexOf(file) !== i);
  if (twice) throw new MendError('bad_usage', `two variants would both be written to ${twice}; compare different models or strengths`);
  for (const file of [...files, sheet]) await assertWritable(file, overwrite);
  const written: string[] = [];
  try {
    for (const variant of variants) {
      throwIfCancelled(signal);
      await writeFileAtomicWith(variant.file, (temp) => writeImageFile(variant.image, 'png', temp, icc), overwrite);
      written.push(variant.file);
    }
    throwIfCancelled(signal);
    const cells = variants.map((v) => sheetCell(v.image));
    const cropped = cells[0].width !== output.image.width || cells[0].height !== output.image.height;
    await writeFileAtomic(
      sheet,
      () =>
        contactSheetPng(
          variants.map((v) => v.label),
          [{ label: cropped ? `${stem} (centre)` : stem, cells }],
        ),
      overwrite,
    );
  } catch (error) {
    await Promise.all(written.map((file) => rm(file, { force: true })));
    throw error;
  }
  return variants.map(({ file, label, models }) => ({ file, label, models }));
}
