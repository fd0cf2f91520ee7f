/**
 * Measures dust & scratch detection on the test photos with synthetic defects of known masks:
 * pixel recall and precision per defect type and sensitivity, and the area wrongly marked on the
 * clean photos. Rerun with `npx tsx models/scripts/eval-detection.ts` (`--json` for machine-readable output).
 */
import path from 'node:path';
import { decodeImageFile } from '../../native-helper/src/codecs/image-file';
import { detectDefects } from '../../native-helper/src/imaging/defect-detection';
import { EVAL_PHOTOS } from './eval-inpaint';
import { damage, defectSets } from './synthetic-defects';

const ROOT = path.join(__dirname, '..', '..');
const SENSITIVITIES = [0.25, 0.5, 0.75];
/** Found pixels this close to a defect count as right: the mask is grown on purpose to cover soft edges. */
const TOLERANCE = 2;

function dilate(mask: Uint8Array, width: number, height: number, r: number): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!mask[y * width + x]) continue;
      for (let v = Math.max(0, y - r); v <= Math.min(height - 1, y + r); v++) out.fill(1, v * width + Math.max(0, x - r), v * width + Math.min(width - 1, x + r) + 1);
    }
  }
  return out;
}

interface Counts {
  truth: number;
  hit: number;
  found: number;
  foundNearTruth: number;
}

export async function measureDetection(photos: readonly string[] = EVAL_PHOTOS) {
  const totals = new Map<string, Counts>();
  const falseAlarms = new Map<number, { marked: number; pixels: number }>();
  for (const [p, name] of photos.entries()) {
    const { image: photo } = await decodeImageFile(path.join(ROOT, 'tests', 'fixtures', 'images', name));
    const { width, height } = photo;
    for (const sensitivity of SENSITIVITIES) {
      const clean = detectDefects(photo, { sensitivity }).data;
      const alarms = falseAlarms.get(sensitivity) ?? { marked: 0, pixels: 0 };
      for (const v of clean) if (v) alarms.marked++;
      alarms.pixels += clean.length;
      falseAlarms.set(sensitivity, alarms);
    }
    for (const set of defectSets(width, height, 1000 + p)) {
      if (set.name === 'hole') continue;
      const { image, truth } = damage(photo, set.defects);
      const near = dilate(truth, width, height, TOLERANCE);
      for (const sensitivity of SENSITIVITIES) {
        const found = detectDefects(image, { sensitivity }).data;
        const key = `${set.name}@${sensitivity}`;
        const c = totals.get(key) ?? { truth: 0, hit: 0, found: 0, foundNearTruth: 0 };
        for (let i = 0; i < truth.length; i++) {
          if (truth[i]) c.truth++;
          if (truth[i] && found[i]) c.hit++;
          if (found[i]) c.found++;
          if (found[i] && near[i]) c.foundNearTruth++;
        }
        totals.set(key, c);
      }
    }
  }
  const rows = [...totals.entries()].map(([key, c]) => {
    const [defects, sensitivity] = key.split('@');
    return { defects, sensitivity: Number(sensitivity), recall: c.hit / c.truth, precision: c.found ? c.foundNearTruth / c.found : 1 };
  });
  const clean = [...falseAlarms.entries()].map(([sensitivity, a]) => ({ sensitivity, markedShare: a.marked / a.pixels }));
  return { rows, clean };
}

async function main(): Promise<void> {
  const result = await measureDetection();
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(result));
    return;
  }
  console.log(`Dust & scratch detection on ${EVAL_PHOTOS.length} photos (precision counts found pixels within ${TOLERANCE} px of a defect)`);
  console.log(`${'defects'.padEnd(14)}${SENSITIVITIES.map((s) => `s=${s} recall / precision`.padStart(28)).join('')}`);
  for (const defects of [...new Set(result.rows.map((r) => r.defects))]) {
    const cells = SENSITIVITIES.map((s) => {
      const r = result.rows.find((row) => row.defects === defects && row.sensitivity === s);
      return r ? `${r.recall.toFixed(3)} / ${r.precision.toFixed(3)}`.padStart(28) : ''.padStart(28);
    });
    console.log(`${defects.padEnd(14)}${cells.join('')}`);
  }
  console.log(`${'clean photos'.padEnd(14)}${result.clean.map((c) => `${(c.markedShare * 100).toFixed(3)} % marked`.padStart(28)).join('')}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
