/**
 * Measures the shipped classical inpainting operator against naive fills, on the test photos with
 * synthetic defects of known masks: PSNR and SSIM inside the defects. Rerun with
 * `npx tsx models/scripts/eval-inpaint.ts` (add `--json` for machine-readable output).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { modelManifestSchema } from '../../native-helper/src/catalog/manifest';
import { decodeImageFile } from '../../native-helper/src/codecs/image-file';
import { Engine } from '../../native-helper/src/engine/engine';
import { createImage, type PixelImage } from '../../native-helper/src/imaging/pixel-image';
import { inpaintImage, type HoleFiller } from '../../native-helper/src/tasks/inpaint';
import { CLASSICAL_INPAINT, classicalInpaintModelBytes } from '../../native-helper/src/convert/classical-inpaint';
import { modelHoleFiller } from '../../native-helper/src/tasks/inpaint-model';
import { psnrInside, ssimInside } from './inpaint-metrics';
import { meanColorFill, nearestPixelFill } from './naive-fills';
import { damage, defectSets } from './synthetic-defects';

const ROOT = path.join(__dirname, '..', '..');
export const EVAL_PHOTOS = ['astronaut.png', 'chelsea.png', 'coffee.png', 'camera.png', 'brick.png', 'clock_motion.png', 'street_500.png', 'portrait_alpha.png'];

export function maskImage(truth: Uint8Array, width: number, height: number): PixelImage {
  const mask = createImage(width, height, 1, 8);
  for (let i = 0; i < truth.length; i++) mask.data[i] = truth[i] ? 255 : 0;
  return mask;
}

export async function classicalFiller(engine: Engine): Promise<HoleFiller> {
  const manifest = modelManifestSchema.parse(JSON.parse(readFileSync(path.join(ROOT, 'models', 'manifests', `${CLASSICAL_INPAINT.id}.json`), 'utf8')));
  const io = { input: manifest.io.input, output: manifest.io.output, extraInputs: [CLASSICAL_INPAINT.mask] };
  const session = await engine.load(classicalInpaintModelBytes(), io, CLASSICAL_INPAINT.id);
  return modelHoleFiller(manifest, session, manifest.tiling.tile);
}

interface Row {
  photo: string;
  defects: string;
  pixels: number;
  psnr: Record<string, number>;
  ssim: Record<string, number>;
}

const quiet = { signal: new AbortController().signal, onWindow: () => undefined };

export interface InpaintMeasurement {
  rows: Row[];
  summary: Record<string, { psnr: number; ssim: number }>;
  /** The classical fill's PSNR inside the defects minus nearest-pixel's, averaged over the rows (dB). */
  gainOverNearest: number;
  /** The classical fill's worst PSNR margin over the mean-colour fill (dB; negative = worse somewhere). */
  worstVsMean: number;
  ids: string[];
}

/** Fills the synthetic defects of each photo with the classical operator and the naive fills, and scores them inside the defects. */
export async function measureInpainting(photos: readonly string[] = EVAL_PHOTOS): Promise<InpaintMeasurement> {
  const engine = new Engine({ provider: 'cpu' });
  const fillers = [await classicalFiller(engine), nearestPixelFill, meanColorFill];
  const rows: Row[] = [];
  try {
    for (const name of photos) {
      const { image: photo } = await decodeImageFile(path.join(ROOT, 'tests', 'fixtures', 'images', name));
      for (const set of defectSets(photo.width, photo.height, 1000 + EVAL_PHOTOS.indexOf(name))) {
        const { image, truth } = damage(photo, set.defects);
        const mask = maskImage(truth, photo.width, photo.height);
        const row: Row = { photo: name, defects: set.name, pixels: truth.reduce((n, v) => n + v, 0), psnr: {}, ssim: {} };
        for (const filler of fillers) {
          const { image: filled } = await inpaintImage(image, mask, filler, quiet);
          row.psnr[filler.id] = psnrInside(filled, photo, truth);
          row.ssim[filler.id] = ssimInside(filled, photo, truth);
        }
        rows.push(row);
      }
    }
  } finally {
    await engine.close();
  }
  const ids = fillers.map((f) => f.id);
  const summary = Object.fromEntries(ids.map((id) => [id, { psnr: mean(rows.map((r) => r.psnr[id])), ssim: mean(rows.map((r) => r.ssim[id])) }]));
  const [classical, nearest, meanFill] = ids;
  return {
    rows,
    summary,
    ids,
    gainOverNearest: mean(rows.map((r) => r.psnr[classical] - r.psnr[nearest])),
    worstVsMean: Math.min(...rows.map((r) => r.psnr[classical] - r.psnr[meanFill])),
  };
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const { rows, summary, ids, gainOverNearest, worstVsMean } = await measureInpainting();
  if (json) {
    console.log(JSON.stringify({ rows, summary, gainOverNearest, worstVsMean }));
    return;
  }
  const [main, nearest, meanFill] = ids;
  const byDefect = [...new Set(rows.map((r) => r.defects))];
  console.log(`PSNR dB / SSIM inside the defects (${EVAL_PHOTOS.length} photos)`);
  console.log(`${'defects'.padEnd(14)}${ids.map((id) => id.padStart(24)).join('')}`);
  for (const d of byDefect) {
    const subset = rows.filter((r) => r.defects === d);
    console.log(`${d.padEnd(14)}${ids.map((id) => `${mean(subset.map((r) => r.psnr[id])).toFixed(2)} / ${mean(subset.map((r) => r.ssim[id])).toFixed(3)}`.padStart(24)).join('')}`);
  }
  console.log(`${'all'.padEnd(14)}${ids.map((id) => `${summary[id].psnr.toFixed(2)} / ${summary[id].ssim.toFixed(3)}`.padStart(24)).join('')}`);
  console.log(
    `${main}: ${gainOverNearest.toFixed(2)} dB over ${nearest} on average (target ≥ 2.5); worst case vs ${meanFill}: ${worstVsMean >= 0 ? '+' : ''}${worstVsMean.toFixed(2)} dB (target ≥ 0)`,
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
