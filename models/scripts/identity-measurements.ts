/**
 * How FaceRes's identity similarity behaves: the same face against copies of its photo degraded as
 * old photos and restorers change faces (blur, noise, JPEG, ×4 and ×8 down then bicubic up, gray,
 * mirrored), against a different face. The threshold for "may not look like the same person" is chosen
 * from this table (README, Faces, Identity check).
 *
 *   npx tsx models/scripts/identity-measurements.ts
 *
 * Each face's landmarks come from FaceMesh on its clean photo, started from a hand-placed box; the
 * degraded copies are embedded over the same landmarks, as the identity check embeds a restored face
 * pasted where the original was.
 */
import path from 'node:path';
import { modelCacheDir } from '../../native-helper/src/app';
import { decodeImageFile } from '../../native-helper/src/codecs/image-file';
import { Engine } from '../../native-helper/src/engine/engine';
import { addGaussianNoise, bicubicDownscale, jpegRoundTrip } from '../../native-helper/src/eval/degradations';
import { loadAnalysisModel } from '../../native-helper/src/faces/analysis-model';
import { FACE_DESCRIPTION, FACE_MESH } from '../../native-helper/src/faces/analysis-models';
import { readyFaceModel } from '../../native-helper/src/faces/face-models';
import { faceEmbedding } from '../../native-helper/src/faces/embedding';
import { identitySimilarity } from '../../native-helper/src/faces/identity';
import { faceLandmarks, type MeshPoint } from '../../native-helper/src/faces/landmarks';
import { gaussianBlur } from '../../native-helper/src/imaging/gaussian-blur';
import { createImage, type PixelImage } from '../../native-helper/src/imaging/pixel-image';
import type { Rect } from '../../native-helper/src/imaging/rect';
import { resampleImage } from '../../native-helper/src/imaging/resample';
import { quantize } from '../../native-helper/src/imaging/sample-conversion';

const FIXTURES = path.join(__dirname, '..', '..', 'tests', 'fixtures', 'images');

/** The face photos with a licence the project may use (tests/fixtures/images/LICENSES.md), and a rough box around each face. */
export const FACE_PHOTOS: ReadonlyArray<{ id: string; file: string; box: Rect }> = [
  { id: 'astronaut', file: 'astronaut.png', box: { x: 175, y: 70, width: 105, height: 125 } },
  { id: 'camera', file: 'camera.png', box: { x: 185, y: 100, width: 75, height: 100 } },
];

/** The photo as 8-bit RGB (camera.png is gray). */
export function rgb(image: PixelImage): PixelImage {
  if (image.channels === 3) return image;
  const out = createImage(image.width, image.height, 3, 8);
  for (let p = 0; p < image.width * image.height; p++) for (let c = 0; c < 3; c++) out.data[p * 3 + c] = image.data[p * image.channels + (image.channels >= 3 ? c : 0)];
  return out;
}

function blurred(image: PixelImage, sigma: number): PixelImage {
  const out = createImage(image.width, image.height, image.channels, 8);
  gaussianBlur(image, sigma).forEach((v, i) => {
    out.data[i] = quantize(v, 255);
  });
  return out;
}

function downUp(image: PixelImage, factor: number): PixelImage {
  const w = image.width - (image.width % factor);
  const h = image.height - (image.height % factor);
  const cropped = createImage(w, h, image.channels, 8);
  for (let y = 0; y < h; y++) cropped.data.set(image.data.subarray(y * image.width * image.channels, (y * image.width + w) * image.channels), y * w * image.channels);
  return resampleImage(bicubicDownscale(cropped, factor), w, h);
}

function gray(image: PixelImage): PixelImage {
  const out = createImage(image.width, image.height, 3, 8);
  for (let p = 0; p < image.width * image.height; p++) {
    const y = 0.299 * image.data[p * 3] + 0.587 * image.data[p * 3 + 1] + 0.114 * image.data[p * 3 + 2];
    for (let c = 0; c < 3; c++) out.data[p * 3 + c] = quantize(y, 255);
  }
  return out;
}

/** Degradations that keep the face where it is, so the clean photo's landmarks hold. */
export const SAME_FACE_CHANGES: ReadonlyArray<{ id: string; apply(image: PixelImage): Promise<PixelImage> | PixelImage }> = [
  { id: 'blur σ1', apply: (i) => blurred(i, 1) },
  { id: 'blur σ2', apply: (i) => blurred(i, 2) },
  { id: 'blur σ3', apply: (i) => blurred(i, 3) },
  { id: 'noise σ10', apply: (i) => addGaussianNoise(i, 10, 7) },
  { id: 'noise σ25', apply: (i) => addGaussianNoise(i, 25, 7) },
  { id: 'JPEG q50', apply: (i) => jpegRoundTrip(i, 50) },
  { id: 'JPEG q30', apply: (i) => jpegRoundTrip(i, 30) },
  { id: 'JPEG q10', apply: (i) => jpegRoundTrip(i, 10) },
  { id: '×4 down, bicubic up', apply: (i) => downUp(i, 4) },
  { id: '×8 down, bicubic up', apply: (i) => downUp(i, 8) },
  { id: '×4 + JPEG q30 + noise σ10', apply: async (i) => addGaussianNoise(await jpegRoundTrip(downUp(i, 4), 30), 10, 7) },
  { id: 'gray', apply: gray },
];

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return (sorted[Math.floor((sorted.length - 1) / 2)] + sorted[Math.ceil((sorted.length - 1) / 2)]) / 2;
}

async function main(): Promise<void> {
  const engine = new Engine({ provider: 'cpu' });
  const mesh = await loadAnalysisModel(engine, FACE_MESH, await readyFaceModel('face-mesh', modelCacheDir()));
  const description = await loadAnalysisModel(engine, FACE_DESCRIPTION, await readyFaceModel('face-description', modelCacheDir()));
  const faces: Array<{ id: string; landmarks: { mesh: MeshPoint[] }; clean: Float32Array; changed: Map<string, Float32Array> }> = [];
  for (const photo of FACE_PHOTOS) {
    const image = rgb((await decodeImageFile(path.join(FIXTURES, photo.file))).image);
    const landmarks = await faceLandmarks(mesh, image, photo.box);
    const changed = new Map<string, Float32Array>();
    for (const change of SAME_FACE_CHANGES) changed.set(change.id, await faceEmbedding(description, await change.apply(image), landmarks));
    faces.push({ id: photo.id, landmarks, clean: await faceEmbedding(description, image, landmarks), changed });
  }
  const [a, b] = faces;
  console.log(`| change | ${faces.map((f) => `${f.id}: same face`).join(' | ')} | ${a.id} vs ${b.id}, both changed |`);
  console.log(`|---|${faces.map(() => '---|').join('')}---|`);
  console.log(`| none | ${faces.map(() => '1').join(' | ')} | ${identitySimilarity(a.clean, b.clean).toFixed(3)} |`);
  for (const change of SAME_FACE_CHANGES) {
    const same = faces.map((f) => identitySimilarity(f.clean, f.changed.get(change.id) as Float32Array).toFixed(3));
    const different = identitySimilarity(a.changed.get(change.id) as Float32Array, b.changed.get(change.id) as Float32Array).toFixed(3);
    console.log(`| ${change.id} | ${same.join(' | ')} | ${different} |`);
  }
  const copies = faces.flatMap((f) => [['clean', f.clean] as const, ...f.changed.entries()].map(([change, e]) => ({ face: f.id, change, e })));
  const pairs = copies.flatMap((x) =>
    copies.filter((y) => x.face < y.face).map((y) => ({ pair: `${x.face} ${x.change} vs ${y.face} ${y.change}`, similarity: identitySimilarity(x.e, y.e) })),
  );
  const highest = pairs.reduce((best, p) => (p.similarity > best.similarity ? p : best));
  console.log(
    `\ndifferent faces, every clean or changed copy of one against every one of the other (${pairs.length} pairs): highest ${highest.similarity.toFixed(3)} (${highest.pair}), median ${median(pairs.map((p) => p.similarity)).toFixed(3)}`,
  );
  await engine.close();
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
