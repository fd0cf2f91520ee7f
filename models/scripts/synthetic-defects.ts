/**
 * Defects of scanned prints drawn onto clean photos, with their exact masks: the ground truth of
 * the inpainting and detection measurements (and of the tests that guard them).
 */
import { createImage, type PixelImage } from '../../native-helper/src/imaging/pixel-image';
import { quantize } from '../../native-helper/src/imaging/sample-conversion';
import { seededRandom } from '../../native-helper/src/protocol/seeded-random';

export type DefectKind = 'scratch' | 'dust' | 'hole';

export interface Defect {
  kind: DefectKind;
  /** Per pixel, how much of the defect covers it (0..1), over the whole image. */
  coverage: Float32Array;
  /** The defect's colour as a fraction of white (scratches and dust are near black or near white). */
  tone: number;
}

export interface DamagedPhoto {
  image: PixelImage;
  /** 1 where any defect touches the pixel. */
  truth: Uint8Array;
}

function distanceToSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}

/** A gently curved scratch of `lineWidth` pixels (anti-aliased), as long as 30–70 % of the diagonal. */
export function scratch(width: number, height: number, lineWidth: number, random: () => number): Defect {
  const length = Math.hypot(width, height) * (0.3 + 0.4 * random());
  const angle = random() * Math.PI;
  const cx = width * (0.2 + 0.6 * random());
  const cy = height * (0.2 + 0.6 * random());
  const bend = (random() - 0.5) * 0.3 * length;
  const points: Array<[number, number]> = [];
  const steps = 24;
  for (let i = 0; i <= steps; i++) {
    const t = i / steps - 0.5;
    const off = bend * (1 - 4 * t * t);
    points.push([cx + Math.cos(angle) * t * length - Math.sin(angle) * off, cy + Math.sin(angle) * t * length + Math.cos(angle) * off]);
  }
  const coverage = new Float32Array(width * height);
  const reach = lineWidth / 2 + 1;
  for (let i = 0; i < steps; i++) {
    const [ax, ay] = points[i];
    const [bx, by] = points[i + 1];
    const x0 = Math.max(0, Math.floor(Math.min(ax, bx) - reach));
    const x1 = Math.min(width - 1, Math.ceil(Math.max(ax, bx) + reach));
    const y0 = Math.max(0, Math.floor(Math.min(ay, by) - reach));
    const y1 = Math.min(height - 1, Math.ceil(Math.max(ay, by) + reach));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const d = distanceToSegment(x + 0.5, y + 0.5, ax, ay, bx, by);
        const c = Math.max(0, Math.min(1, lineWidth / 2 + 0.5 - d));
        if (c > coverage[y * width + x]) coverage[y * width + x] = c;
      }
    }
  }
  return { kind: 'scratch', coverage, tone: random() < 0.6 ? 0.92 + 0.08 * random() : 0.04 * random() };
}

/** A speck of dust: an irregular blob 2–7 pixels across. */
export function dust(width: number, height: number, random: () => number): Defect {
  const rx = 0.8 + 2.7 * random();
  const ry = rx * (0.6 + 0.4 * random());
  const angle = random() * Math.PI;
  const cx = 4 + (width - 8) * random();
  const cy = 4 + (height - 8) * random();
  const coverage = new Float32Array(width * height);
  for (let y = Math.max(0, Math.floor(cy - rx - 1)); y <= Math.min(height - 1, Math.ceil(cy + rx + 1)); y++) {
    for (let x = Math.max(0, Math.floor(cx - rx - 1)); x <= Math.min(width - 1, Math.ceil(cx + rx + 1)); x++) {
      const u = x + 0.5 - cx;
      const v = y + 0.5 - cy;
      const a = (u * Math.cos(angle) + v * Math.sin(angle)) / rx;
      const b = (-u * Math.sin(angle) + v * Math.cos(angle)) / ry;
      const r = Math.hypot(a, b);
      coverage[y * width + x] = Math.max(0, Math.min(1, (1 - r) * Math.min(rx, ry) + 0.5));
    }
  }
  return { kind: 'dust', coverage, tone: random() < 0.5 ? 0.9 + 0.1 * random() : 0.05 * random() };
}

/** A rectangular hole (a tear or a removed object), about a tenth of the shorter side. */
export function hole(width: number, height: number, random: () => number): Defect {
  const w = Math.round(Math.min(width, height) * 0.12);
  const h = Math.round(w * 0.75);
  const x0 = Math.round((width - w) * (0.25 + 0.5 * random()));
  const y0 = Math.round((height - h) * (0.25 + 0.5 * random()));
  const coverage = new Float32Array(width * height);
  for (let y = y0; y < y0 + h; y++) coverage.fill(1, y * width + x0, y * width + x0 + w);
  return { kind: 'hole', coverage, tone: 0 };
}

/** Paints the defects over a copy of the photo (colour channels only; alpha is kept). */
export function damage(photo: PixelImage, defects: readonly Defect[]): DamagedPhoto {
  const image = createImage(photo.width, photo.height, photo.channels, photo.bitDepth, photo.maxValue);
  image.data.set(photo.data);
  const truth = new Uint8Array(photo.width * photo.height);
  const colorChannels = photo.channels <= 2 ? 1 : 3;
  for (const defect of defects) {
    for (let i = 0; i < truth.length; i++) {
      const c = defect.coverage[i];
      if (c <= 0) continue;
      truth[i] = 1;
      for (let k = 0; k < colorChannels; k++) {
        const s = i * photo.channels + k;
        image.data[s] = quantize(image.data[s] + c * (defect.tone * photo.maxValue - image.data[s]), photo.maxValue);
      }
    }
  }
  return { image, truth };
}

export const SCRATCH_WIDTHS = [1, 2, 3, 5] as const;

/** The measured defect sets of one photo: scratches of each width, dust, and a hole, each on its own. */
export function defectSets(width: number, height: number, seed: number): Array<{ name: string; defects: Defect[] }> {
  const random = seededRandom(seed);
  const sets: Array<{ name: string; defects: Defect[] }> = SCRATCH_WIDTHS.map((w) => ({
    name: `scratch ${w}px`,
    defects: [scratch(width, height, w, random), scratch(width, height, w, random)],
  }));
  sets.push({ name: 'dust', defects: Array.from({ length: 40 }, () => dust(width, height, random)) });
  sets.push({ name: 'hole', defects: [hole(width, height, random)] });
  return sets;
}
