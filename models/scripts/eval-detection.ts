/**
 * Measures dust & scratch detection on the test photos with synthetic defects of known masks:
 * pixel precision, recall and F1 and per-defect recall by defect type and sensitivity, and the
 * area wrongly marked on the clean photos. Rerun with `npx tsx models/scripts/eval-detection.ts`
 * (`--json` for machine-readable output, `--speed` to also time a 6000×4000 scan).
 */
import path from 'node:path';
import { decodeImageFile } from '../../native-helper/src/codecs/image-file';
import { detectDefects } from '../../native-helper/src/imaging/defect-detection';
import { createImage, type PixelImage } from '../../native-helper/src/imaging/pixel-image';
import { EVAL_PHOTOS } from './eval-inpaint';
import { damage, defectSets } from './synthetic-defects';

const ROOT = path.join(__dirname, '..', '..');
export const SENSITIVITIES = [0.25, 0.5, 0.75];
/** Found pixels this close to a defect count as right: the mask is grown on purpose to cover soft edges. */
const TOLERANCE = 2;
/** A defect counts as found when this share of its core (pixels it covers at least half) is marked. */
const FOUND_SHARE = 0.5;

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
  defects: number;
  defectsFound: number;
}

export interface DetectionRow {
  defects: string;
  sensitivity: number;
  precision: number;
  recall: number;
  f1: number;
  /** Share of the defects (each scratch, each speck) of which at least half the core was found. */
  objectRecall: number;
}

export interface DetectionMeasurement {
  rows: DetectionRow[];
  /** Share of the clean photos' pixels marked, per sensitivity. */
  clean: Array<{ sensitivity: number; markedShare: number }>;
}

export async function measureDetection(photos: readonly string[] = EVAL_PHOTOS): Promise<DetectionMeasurement> {
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
        const c = totals.get(key) ?? { truth: 0, hit: 0, found: 0, foundNearTruth: 0, defects: 0, defectsFound: 0 };
        for (let i = 0; i < truth.length; i++) {
          if (truth[i]) c.truth++;
          if (truth[i] && found[i]) c.hit++;
          if (found[i]) c.found++;
          if (found[i] && near[i]) c.foundNearTruth++;
        }
        for (const defect of set.defects) {
          let core = 0;
          let coreFound = 0;
          defect.coverage.forEach((coverage, i) => {
            if (coverage < 0.5) return;
            core++;
            if (found[i]) coreFound++;
          });
          c.defects++;
          if (coreFound >= FOUND_SHARE * core) c.defectsFound++;
        }
        totals.set(key, c);
      }
    }
  }
  const rows = [...totals.entries()].map(([key, c]): DetectionRow => {
    const [defects, sensitivity] = key.split('@');
    const recall = c.hit / c.truth;
    const precision = c.found ? c.foundNearTruth / c.found : 1;
    return { defects, sensitivity: Number(sensitivity), precision, recall, f1: (2 * precision * recall) / (precision + recall || 1), objectRecall: c.defectsFound / c.defects };
  });
  const clean = [...falseAlarms.entries()].map(([sensitivity, a]) => ({ sensitivity, markedShare: a.marked / a.pixels }));
  return { rows, clean };
}

/** Seconds to detect on a 6000×4000 RGB 16-bit scan tiled from a test photo. */
async function timeLargeScan(): Promise<number> {
  const { image: photo } = await decodeImageFile(path.join(ROOT, 'tests', 'fixtures', 'images', 'astronaut.png'));
  const scan: PixelImage = createImage(6000, 4000, 3, 16);
  for (let y = 0; y < scan.height; y++) {
    for (let x = 0; x < scan.width; x++) {
      const s = ((y % photo.height) * photo.width + (x % photo.width)) * photo.channels;
      for (let k = 0; k < 3; k++) scan.data[(y * scan.width + x) * 3 + k] = photo.data[s + k] * 257;
    }
  }
  const start = performance.now();
  detectDefects(scan, { sensitivity: 0.5 });
  return (performance.now() - start) / 1000;
}

async function main(): Promise<void> {
  const result = await measureDetection();
  const seconds = process.argv.includes('--speed') ? await timeLargeScan() : undefined;
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ ...result, largeScanSeconds: seconds }));
    return;
  }
  console.log(`Dust & scratch detection on ${EVAL_PHOTOS.length} photos (precision counts found pixels within ${TOLERANCE} px of a defect;`);
  console.log(`a defect is found when ${FOUND_SHARE * 100} % of its core is marked)`);
  const header = 'P / R / F1 / objects';
  console.log(`${'defects'.padEnd(14)}${SENSITIVITIES.map((s) => `s=${s} ${header}`.padStart(34)).join('')}`);
  for (const defects of [...new Set(result.rows.map((r) => r.defects))]) {
    const cells = SENSITIVITIES.map((s) => {
      const r = result.rows.find((row) => row.defects === defects && row.sensitivity === s);
      return (r ? [r.precision, r.recall, r.f1, r.objectRecall].map((v) => v.toFixed(2)).join(' / ') : '').padStart(34);
    });
    console.log(`${defects.padEnd(14)}${cells.join('')}`);
  }
  console.log(`${'clean photos'.padEnd(14)}${result.clean.map((c) => `${(c.markedShare * 100).toFixed(3)} % marked`.padStart(34)).join('')}`);
  if (seconds !== undefined) console.log(`6000×4000 16-bit RGB scan at s=0.5: ${seconds.toFixed(1)} s`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
