/**
 * Identity before and after face restoration (README, Faces, Evaluation): the fixtures' two faces degraded
 * (blur, noise, JPEG, ×4 down and bicubic up, a mix), each degraded photo run through `mend restore-faces`'s
 * path with the shipped default "face detail" (no face model installed: general detail) at strength 1 and 0.5,
 * and FaceRes's similarity to the clean face taken of the degraded and of the restored face; then how many lie
 * below the identity threshold before and after.
 *
 *   npx tsx models/scripts/eval-face-identity.ts
 *
 * Every face is embedded over the landmarks FaceMesh found on its clean photo (the degradations keep the face
 * where it is), so the numbers differ only by the pixels. The restoration itself finds the face on the degraded
 * photo, as `restore-faces` does; its own check (degraded against restored, over the degraded photo's
 * landmarks) is printed as well: that is what a user sees.
 */
import path from 'node:path';
import { modelCacheDir, openCatalog } from '../../native-helper/src/app';
import { decodeImageFile } from '../../native-helper/src/codecs/image-file';
import { Engine } from '../../native-helper/src/engine/engine';
import { type IdentityCase, thresholdCrossings } from '../../native-helper/src/eval/face-identity-eval';
import { loadAnalysisModel } from '../../native-helper/src/faces/analysis-model';
import { FACE_DESCRIPTION, FACE_MESH } from '../../native-helper/src/faces/analysis-models';
import { detectFaces, loadFaceDetector } from '../../native-helper/src/faces/detect-faces';
import { faceEmbedding } from '../../native-helper/src/faces/embedding';
import { faceDetailModels, faceDetailRestorer } from '../../native-helper/src/faces/face-detail';
import { readyFaceModel } from '../../native-helper/src/faces/face-models';
import { IDENTITY_THRESHOLD, identitySimilarity } from '../../native-helper/src/faces/identity';
import { faceLandmarks } from '../../native-helper/src/faces/landmarks';
import type { CropRestorer } from '../../native-helper/src/faces/restore-faces';
import { type FaceAnalysis, restorePhotoFaces } from '../../native-helper/src/faces/restore-photo-faces';
import type { PixelImage } from '../../native-helper/src/imaging/pixel-image';
import { createTaskRunner } from '../../native-helper/src/tasks/runner';
import { FACE_PHOTOS, rgb, SAME_FACE_CHANGES } from './identity-measurements';

const FIXTURES = path.join(__dirname, '..', '..', 'tests', 'fixtures', 'images');
const STRENGTHS = [1, 0.5];
const CHANGES = ['blur σ2', 'blur σ3', 'noise σ25', 'JPEG q10', '×4 down, bicubic up', '×4 + JPEG q30 + noise σ10'];

/**
 * The restorer, answering a crop it has just restored from memory: the same degraded photo is restored at each
 * strength, and the strength only changes the paste, so the chain runs once per face.
 */
function remembering(restorer: CropRestorer): CropRestorer {
  let last: { crop: PixelImage; restored: PixelImage } | undefined;
  const same = (a: PixelImage, b: PixelImage) => a.width === b.width && a.height === b.height && a.data.every((v, i) => v === b.data[i]);
  return {
    label: restorer.label,
    sideFor: (nativeSide) => restorer.sideFor(nativeSide),
    restore: async (crop, nativeSide) => {
      if (last && same(last.crop, crop)) return last.restored;
      const restored = await restorer.restore(crop, nativeSide);
      last = { crop, restored };
      return restored;
    },
  };
}

async function main(): Promise<void> {
  const engine = new Engine({ provider: 'cpu' });
  const cacheDir = modelCacheDir();
  const analysis: FaceAnalysis = {
    detector: await loadFaceDetector(engine, await readyFaceModel('blazeface-256', cacheDir)),
    mesh: await loadAnalysisModel(engine, FACE_MESH, await readyFaceModel('face-mesh', cacheDir)),
    description: await loadAnalysisModel(engine, FACE_DESCRIPTION, await readyFaceModel('face-description', cacheDir)),
  };
  const { mesh, description } = analysis as Required<FaceAnalysis>;
  // The shipped catalog only: a user's installed face model must not stand in for the default.
  const catalog = await openCatalog(undefined);
  const models = faceDetailModels(catalog);
  const restorer = remembering(faceDetailRestorer(models, createTaskRunner({ catalog, engine }), { signal: new AbortController().signal, onProgress: () => undefined }));
  console.log(`restorer: ${restorer.label} (${models.denoiser} → ${models.upscaler.id}), strengths ${STRENGTHS.join(', ')}, threshold ${IDENTITY_THRESHOLD}\n`);

  const cases: IdentityCase[] = [];
  const lines: string[] = [];
  for (const photo of FACE_PHOTOS) {
    const image = rgb((await decodeImageFile(path.join(FIXTURES, photo.file))).image);
    const [face] = await detectFaces(analysis.detector, image);
    if (!face) throw new Error(`no face found on the clean ${photo.file}`);
    const landmarks = await faceLandmarks(mesh, image, { x: face.box.x - 0.5, y: face.box.y - 0.5, width: face.box.width, height: face.box.height });
    const clean = await faceEmbedding(description, image, landmarks);
    for (const id of ['none', ...CHANGES]) {
      const change = SAME_FACE_CHANGES.find((c) => c.id === id);
      const degraded = change ? await change.apply(image) : image;
      const restored = new Map<number, number>();
      const checks: string[] = [];
      for (const strength of STRENGTHS) {
        const result = await restorePhotoFaces(degraded, analysis, restorer, strength);
        restored.set(strength, identitySimilarity(clean, await faceEmbedding(description, result.image, landmarks)));
        checks.push(result.faces.map((f) => (f.identity === undefined ? '–' : f.identity.toFixed(3))).join(', ') || 'no face found');
      }
      const similarity = identitySimilarity(clean, await faceEmbedding(description, degraded, landmarks));
      cases.push({ face: photo.id, change: id, degraded: similarity, restored });
      lines.push(`| ${photo.id} | ${id} | ${similarity.toFixed(3)} | ${STRENGTHS.map((s) => (restored.get(s) as number).toFixed(3)).join(' | ')} | ${checks.join(' / ')} |`);
    }
  }
  console.log(
    `| face | change | clean vs degraded | ${STRENGTHS.map((s) => `clean vs restored, strength ${s}`).join(' | ')} | restore-faces' own check (degraded vs restored), ${STRENGTHS.join(' / ')} |`,
  );
  console.log(`|---|---|---:|${STRENGTHS.map(() => '---:|').join('')}---:|`);
  console.log(lines.join('\n'));
  const degradedOnly = cases.filter((c) => c.change !== 'none');
  for (const strength of STRENGTHS) {
    const n = thresholdCrossings(degradedOnly, strength, IDENTITY_THRESHOLD);
    console.log(
      `\nstrength ${strength}, ${n.cases} degraded faces: below ${IDENTITY_THRESHOLD} degraded ${n.degradedBelow}, restored ${n.restoredBelow}; fell below ${n.fellBelow}, rose above ${n.roseAbove}; restored closer to the clean face than the degraded copy ${n.closer}`,
    );
  }
  await engine.close();
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
