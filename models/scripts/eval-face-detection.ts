/**
 * Measures face detection (`mend faces`) on faces of known size and place: the fixtures' two faces (each also
 * mirrored) pasted at 24–400 px into the face-free test photos scaled to 1024×768. Recall and precision per
 * score threshold, and recall per face size. A detection is right when its box overlaps a pasted face's box by
 * an IoU of at least 0.5; every other detection is a false positive. Rerun with
 * `npx tsx models/scripts/eval-face-detection.ts` (add `--json` for machine-readable output).
 */
import { modelCacheDir } from '../../native-helper/src/app';
import { Engine } from '../../native-helper/src/engine/engine';
import { faceCandidates, FACE_IOU, loadFaceDetector } from '../../native-helper/src/faces/detect-faces';
import type { DetectedFace } from '../../native-helper/src/faces/detected-face';
import { readyFaceModel } from '../../native-helper/src/faces/face-models';
import { intersectionOverUnion, weightedNms } from '../../native-helper/src/faces/weighted-nms';
import { seededRandom } from '../../native-helper/src/protocol/seeded-random';
import { cutoutSide, FACE_FREE_PHOTOS, FACE_SOURCES, pasteFaces, type FacePaste } from './pasted-faces';

export const FACE_SIZES = [24, 32, 48, 64, 96, 128, 192, 256, 320, 400];
export const THRESHOLDS = [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8];
const WIDTH = 1024;
const HEIGHT = 768;
const MATCH_IOU = 0.5;

/** Faces per image: several small ones (they must not overlap), one large one. */
const facesPerImage = (side: number) => (side <= 64 ? 4 : side <= 192 ? 2 : 1);

/** Places `count` faces of `side` at random, their cut-outs apart and inside the image. */
function placeFaces(side: number, count: number, random: () => number, first: number): FacePaste[] {
  const cut = cutoutSide(side);
  const pastes: FacePaste[] = [];
  for (let tries = 0; pastes.length < count && tries < 1000; tries++) {
    const x = (cut - side) / 2 + random() * (WIDTH - cut);
    const y = (cut - side) / 2 + random() * (HEIGHT - cut);
    if (pastes.some((p) => Math.abs(p.x - x) < cut && Math.abs(p.y - y) < cut)) continue;
    const variant = first + pastes.length;
    pastes.push({ source: FACE_SOURCES[variant % FACE_SOURCES.length], mirrored: Math.floor(variant / FACE_SOURCES.length) % 2 === 1, side, x, y });
  }
  return pastes;
}

interface Counts {
  truePositives: number;
  falsePositives: number;
  faces: number;
}

/** Detections matched to pasted faces, best score first, each face at most once. */
function count(found: readonly DetectedFace[], pastes: readonly FacePaste[]): { hits: boolean[]; falsePositives: number } {
  const hits = pastes.map(() => false);
  let falsePositives = 0;
  for (const face of found) {
    const match = pastes.findIndex((p, i) => !hits[i] && intersectionOverUnion(face.box, { x: p.x, y: p.y, width: p.side, height: p.side }) >= MATCH_IOU);
    if (match >= 0) hits[match] = true;
    else falsePositives++;
  }
  return { hits, falsePositives };
}

export interface FaceDetectionMeasurement {
  images: number;
  faces: number;
  byThreshold: Array<{ threshold: number; recall: number; precision: number; falsePositives: number }>;
  bySize: Array<{ side: number; faces: number; recall: Record<string, number> }>;
  secondsPerImage: number;
}

export async function measureFaceDetection(rounds = 2): Promise<FaceDetectionMeasurement> {
  const engine = new Engine({ provider: process.env.MEND_PROVIDER });
  try {
    const detector = await loadFaceDetector(engine, await readyFaceModel('blazeface-256', modelCacheDir()));
    const totals = new Map(THRESHOLDS.map((t) => [t, { truePositives: 0, falsePositives: 0, faces: 0 } satisfies Counts]));
    const sizes = new Map(FACE_SIZES.map((s) => [s, { faces: 0, hits: new Map(THRESHOLDS.map((t) => [t, 0])) }]));
    let images = 0;
    let seconds = 0;
    for (let round = 0; round < rounds; round++) {
      for (const [b, background] of FACE_FREE_PHOTOS.entries()) {
        for (const [s, side] of FACE_SIZES.entries()) {
          const random = seededRandom(1000 * round + 100 * b + s + 1);
          const pastes = placeFaces(side, facesPerImage(side), random, round + b + s);
          const image = await pasteFaces(background, WIDTH, HEIGHT, pastes);
          const start = performance.now();
          const candidates = await faceCandidates(detector, image, { minScore: THRESHOLDS[0] });
          seconds += (performance.now() - start) / 1000;
          images++;
          for (const threshold of THRESHOLDS) {
            const found = weightedNms(
              candidates.filter((c) => c.score >= threshold),
              FACE_IOU,
            );
            const { hits, falsePositives } = count(found, pastes);
            const total = totals.get(threshold) as Counts;
            total.faces += pastes.length;
            total.truePositives += hits.filter(Boolean).length;
            total.falsePositives += falsePositives;
            const bucket = sizes.get(side);
            if (bucket) bucket.hits.set(threshold, (bucket.hits.get(threshold) ?? 0) + hits.filter(Boolean).length);
          }
          const bucket = sizes.get(side);
          if (bucket) bucket.faces += pastes.length;
        }
      }
    }
    const round3 = (v: number) => Math.round(v * 1000) / 1000;
    return {
      images,
      faces: [...sizes.values()].reduce((sum, s) => sum + s.faces, 0),
      byThreshold: THRESHOLDS.map((threshold) => {
        const t = totals.get(threshold) as Counts;
        return {
          threshold,
          recall: round3(t.truePositives / t.faces),
          precision: round3(t.truePositives / Math.max(1, t.truePositives + t.falsePositives)),
          falsePositives: t.falsePositives,
        };
      }),
      bySize: FACE_SIZES.map((side) => {
        const s = sizes.get(side) ?? { faces: 0, hits: new Map<number, number>() };
        return { side, faces: s.faces, recall: Object.fromEntries(THRESHOLDS.map((t) => [String(t), round3((s.hits.get(t) ?? 0) / Math.max(1, s.faces))])) };
      }),
      secondsPerImage: round3(seconds / images),
    };
  } finally {
    await engine.close();
  }
}

function markdown(m: FaceDetectionMeasurement): string {
  const lines = [
    `${m.images} images (${m.faces} pasted faces), ${m.secondsPerImage} s per 1024×768 image.`,
    '',
    '| threshold | recall | precision | false positives |',
    '| --- | --- | --- | --- |',
    ...m.byThreshold.map((r) => `| ${r.threshold} | ${r.recall} | ${r.precision} | ${r.falsePositives} |`),
    '',
    `| face side (px) | faces | ${THRESHOLDS.map((t) => `recall @${t}`).join(' | ')} |`,
    `| --- | --- | ${THRESHOLDS.map(() => '---').join(' | ')} |`,
    ...m.bySize.map((r) => `| ${r.side} | ${r.faces} | ${THRESHOLDS.map((t) => r.recall[String(t)]).join(' | ')} |`),
  ];
  return `${lines.join('\n')}\n`;
}

if (require.main === module) {
  void measureFaceDetection().then((m) => process.stdout.write(process.argv.includes('--json') ? `${JSON.stringify(m, null, 2)}\n` : markdown(m)));
}
