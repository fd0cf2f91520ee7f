/**
 * How steadily faces are placed for alignment (README, Faces, Evaluation): the fixtures' two faces moved by
 * known similarity transforms (rotation, scale, shift) or degraded (blur, noise, JPEG, ×2 and ×4 smaller),
 * each copy run through what `mend restore-faces` aligns by — BlazeFace over the pyramid, then FaceMesh's five
 * points — and the points mapped back through the known transform. Reported: their distance from the points
 * found on the clean photo (clean photo pixels, and as a share of the eye distance), and the residual of the
 * five points' fit to the 512² template after alignment.
 *
 *   npx tsx models/scripts/eval-face-landmarks.ts
 *
 * The reference is FaceMesh on the clean photo, not hand-placed truth: this measures how far degradation and
 * pose move the alignment, not FaceMesh's absolute accuracy (for that, astronaut.png's points against points
 * placed by eye are printed too).
 */
import path from 'node:path';
import { modelCacheDir } from '../../native-helper/src/app';
import { decodeImageFile } from '../../native-helper/src/codecs/image-file';
import { Engine } from '../../native-helper/src/engine/engine';
import { fivePointError, templateResidual } from '../../native-helper/src/eval/face-landmark-error';
import { downscaleSimilarity, similarityAbout, warpImage } from '../../native-helper/src/eval/similarity-warp';
import { type AnalysisModel, loadAnalysisModel } from '../../native-helper/src/faces/analysis-model';
import { FACE_MESH } from '../../native-helper/src/faces/analysis-models';
import { detectFaces, loadFaceDetector } from '../../native-helper/src/faces/detect-faces';
import { readyFaceModel } from '../../native-helper/src/faces/face-models';
import { templateOrder } from '../../native-helper/src/faces/five-points';
import { faceLandmarks } from '../../native-helper/src/faces/landmarks';
import { applySimilarity, type Point, type Similarity } from '../../native-helper/src/faces/similarity';
import type { GraphSession } from '../../native-helper/src/engine/inference-engine';
import type { PixelImage } from '../../native-helper/src/imaging/pixel-image';
import { resampleImage } from '../../native-helper/src/imaging/resample';
import { FACE_PHOTOS, rgb, SAME_FACE_CHANGES } from './identity-measurements';

const FIXTURES = path.join(__dirname, '..', '..', 'tests', 'fixtures', 'images');
const IDENTITY: Similarity = { a: 1, b: 0, tx: 0, ty: 0 };

/** astronaut.png's pupils, nose tip and lip corners placed by eye (tests/integration/face-analysis.test.ts), template order. */
const ASTRONAUT_BY_EYE: Point[] = [
  { x: 203, y: 101 },
  { x: 248, y: 103 },
  { x: 222, y: 131 },
  { x: 200, y: 139 },
  { x: 247, y: 141 },
];

export interface Copy {
  id: string;
  /** The copy of the photo and the similarity that took the photo's pixels to the copy's. */
  make(image: PixelImage, faceCentre: Point): Promise<{ image: PixelImage; applied: Similarity }>;
}

const moved = (id: string, degrees: number, scale: number, shift: Point = { x: 0, y: 0 }): Copy => ({
  id,
  make: async (image, faceCentre) => {
    const applied = similarityAbout(faceCentre, degrees, scale, shift);
    return { image: warpImage(image, applied, image.width, image.height), applied };
  },
});

const degraded = (id: string): Copy => {
  const change = SAME_FACE_CHANGES.find((c) => c.id === id);
  if (!change) throw new Error(`no degradation ${id}`);
  return { id, make: async (image) => ({ image: await change.apply(image), applied: IDENTITY }) };
};

const smaller = (factor: number): Copy => ({
  id: `×${factor} smaller`,
  make: async (image) => ({ image: resampleImage(image, image.width / factor, image.height / factor), applied: downscaleSimilarity(factor) }),
});

/** Moves turn and scale about the face's centre, so the face stays in the frame. */
export const COPIES: readonly Copy[] = [
  moved('shift 0.5 px, 0.5 px', 0, 1, { x: 0.5, y: 0.5 }),
  moved('rotate 10°', 10, 1),
  moved('rotate −20°', -20, 1),
  moved('rotate 30°', 30, 1),
  moved('scale 1.5, rotate 5°', 5, 1.5),
  moved('scale 0.75', 0, 0.75),
  degraded('blur σ2'),
  degraded('blur σ3'),
  degraded('noise σ25'),
  degraded('JPEG q10'),
  smaller(2),
  smaller(4),
  degraded('×4 down, bicubic up'),
  degraded('×4 + JPEG q30 + noise σ10'),
];

/** The five points of the face whose centre lies nearest `near`, as `restore-faces` finds them; undefined when no face is found there. */
export async function alignmentPoints(detector: GraphSession, mesh: AnalysisModel, image: PixelImage, near: Point): Promise<Point[] | undefined> {
  const faces = await detectFaces(detector, image);
  const centre = (f: (typeof faces)[number]) => ({ x: f.box.x + f.box.width / 2 - 0.5, y: f.box.y + f.box.height / 2 - 0.5 });
  const face = faces.map((f) => ({ f, d: Math.hypot(centre(f).x - near.x, centre(f).y - near.y) })).sort((p, q) => p.d - q.d)[0];
  // A face more than its own size away from where the clean face went is another detection, not this face.
  if (!face || face.d > Math.max(face.f.box.width, face.f.box.height)) return undefined;
  const box = { x: face.f.box.x - 0.5, y: face.f.box.y - 0.5, width: face.f.box.width, height: face.f.box.height };
  return templateOrder((await faceLandmarks(mesh, image, box)).five);
}

const mean = (points: readonly Point[]): Point => ({ x: points.reduce((s, p) => s + p.x, 0) / points.length, y: points.reduce((s, p) => s + p.y, 0) / points.length });

async function main(): Promise<void> {
  const engine = new Engine({ provider: 'cpu' });
  const detector = await loadFaceDetector(engine, await readyFaceModel('blazeface-256', modelCacheDir()));
  const mesh = await loadAnalysisModel(engine, FACE_MESH, await readyFaceModel('face-mesh', modelCacheDir()));
  const photos = [];
  for (const photo of FACE_PHOTOS) {
    const image = rgb((await decodeImageFile(path.join(FIXTURES, photo.file))).image);
    const reference = await alignmentPoints(detector, mesh, image, { x: photo.box.x + photo.box.width / 2, y: photo.box.y + photo.box.height / 2 });
    if (!reference) throw new Error(`no face found on the clean ${photo.file}`);
    photos.push({ id: photo.id, image, reference });
  }
  const [astronaut] = photos;
  const byEye = fivePointError(astronaut.reference, ASTRONAUT_BY_EYE, IDENTITY);
  console.log(
    `clean astronaut.png, FaceMesh's five points vs placed by eye: mean ${byEye.meanPixels.toFixed(1)} px (${(100 * byEye.meanShare).toFixed(1)} % of the eye distance), worst ${byEye.maxPixels.toFixed(1)} px`,
  );
  for (const p of photos) {
    const eyes = Math.hypot(p.reference[1].x - p.reference[0].x, p.reference[1].y - p.reference[0].y);
    console.log(`${p.id}: eye distance ${eyes.toFixed(1)} px, template residual on the clean photo ${templateResidual(p.reference).toFixed(1)} px at 512`);
  }
  console.log(`\n| copy | ${photos.map((p) => `${p.id}: mean error px (% eye dist.) | worst px | fit residual`).join(' | ')} |`);
  console.log(`|---|${photos.map(() => '---:|---:|---:|').join('')}`);
  for (const copy of COPIES) {
    const cells: string[] = [];
    for (const p of photos) {
      const centre = mean(p.reference);
      const { image, applied } = await copy.make(p.image, centre);
      const found = await alignmentPoints(detector, mesh, image, applySimilarity(applied, centre));
      if (!found) {
        cells.push('no face found', '', '');
        continue;
      }
      const error = fivePointError(found, p.reference, applied);
      cells.push(`${error.meanPixels.toFixed(1)} (${(100 * error.meanShare).toFixed(1)} %)`, error.maxPixels.toFixed(1), templateResidual(found).toFixed(1));
    }
    console.log(`| ${copy.id} | ${cells.join(' | ')} |`);
  }
  await engine.close();
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
