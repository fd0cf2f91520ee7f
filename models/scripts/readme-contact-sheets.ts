/**
 * README's contact sheets: the sheets of a `mend eval` run cut down to the centre 96×96 of every cell, still at
 * 1:1, so the committed PNGs stay small. Rerun after the evaluation with
 * `npx tsx models/scripts/readme-contact-sheets.ts <results dir> <out dir> <degradation>...`
 * (e.g. `eval-results docs/eval motion-linear haze`); photo-only degradations (the restoration ones).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { decodeImageFile } from '../../native-helper/src/codecs/image-file';
import { cellOrigin, contactSheetPng, type SheetRow } from '../../native-helper/src/eval/contact-sheet';
import type { EvalReport } from '../../native-helper/src/eval/report';
import { cropImage } from '../../native-helper/src/imaging/crop';

const DETAIL = 96;

async function main(): Promise<void> {
  const [resultsDir, outDir, ...degradations] = process.argv.slice(2);
  if (!resultsDir || !outDir || degradations.length === 0) throw new Error('usage: readme-contact-sheets.ts <results dir> <out dir> <degradation>...');
  const report = JSON.parse(readFileSync(path.join(resultsDir, 'report.json'), 'utf8')) as EvalReport;
  mkdirSync(outDir, { recursive: true });
  for (const degradation of degradations) {
    const tables = report.tables.filter((t) => t.degradation === degradation);
    if (tables.length !== 1 || tables[0].domain !== 'photo') throw new Error(`${degradation}: expected one table, of photos, in ${resultsDir}`);
    const [table] = tables;
    const file = path.join(resultsDir, `contact-${degradation}.png`);
    const { image: sheet } = await decodeImageFile(file);
    const columns = ['ground truth', ...table.methods.map((m) => m.method)];
    const rows: SheetRow[] = table.images.map((id, r) => {
      const crop = report.images.find((image) => image.id === id)?.crop;
      if (!crop) throw new Error(`no crop for ${id}`);
      const cells = columns.map((_, c) => {
        const { left, top } = cellOrigin(r, c, crop.width, crop.height);
        return cropImage(sheet, { x: left + (crop.width - DETAIL) / 2, y: top + (crop.height - DETAIL) / 2, width: DETAIL, height: DETAIL });
      });
      return { label: id, cells };
    });
    const target = path.join(outDir, `contact-${degradation}.png`);
    writeFileSync(target, await contactSheetPng(columns, rows));
    console.log(target);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
