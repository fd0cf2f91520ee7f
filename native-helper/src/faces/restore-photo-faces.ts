import type { GraphSession } from '../engine/inference-engine';
import type { PixelImage } from '../imaging/pixel-image';
import type { Rect } from '../imaging/rect';
import { MendError } from '../errors';
import type { AnalysisModel } from './analysis-model';
import { fivePointsFromBlazeFace } from './blazeface-points';
import { detectFaces } from './detect-faces';
import type { DetectedFace } from './detected-face';
import { faceEmbedding } from './embedding';
import { templateOrder } from './five-points';
import { IDENTITY_THRESHOLD, identitySimilarity } from './identity';
import { faceLandmarks, type MeshPoint } from './landmarks';
import type { PasteRegion } from './paste-faces';
import { restoreFaces, type CropRestorer, type FaceToRestore } from './restore-faces';

/** The models that find and describe faces; FaceMesh and FaceRes are absent where their package could not be had. */
export interface FaceAnalysis {
  detector: GraphSession;
  mesh?: AnalysisModel;
  description?: AnalysisModel;
}

/** One restored face as reported. */
export interface FaceReport {
  /** The detector's box, image pixels (pixel centres at i + 0.5, as `mend faces` prints it). */
  box: Rect;
  score: number;
  /** What the face was aligned by: FaceMesh's landmarks, or BlazeFace's keypoints with the mouth corners estimated. */
  alignedBy: 'face-mesh' | 'blazeface';
  /** Cosine similarity of FaceRes's embeddings of the face before and after; absent without FaceMesh and FaceRes. */
  identity?: number;
  /** Identity below IDENTITY_THRESHOLD: the restored face may not look like the same person. */
  mayNotLookLikeSamePerson?: boolean;
}

export interface RestorePhotoFacesOptions {
  signal?: AbortSignal;
  /** Boxes of faces found earlier on the same pixels (a panel's choice): only those are restored. All faces when absent. */
  only?: readonly Rect[];
}

/** Overlap of two boxes over their union. */
function iou(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const shared = w * h;
  return shared / (a.width * a.height + b.width * b.height - shared);
}

/** Detection runs again on the same pixels and gives the same boxes; a box that matches none came from other pixels. */
const SAME_FACE_IOU = 0.5;

function chosenFaces(detected: readonly DetectedFace[], only: readonly Rect[]): DetectedFace[] {
  return only.map((box) => {
    const best = detected.reduce<DetectedFace | undefined>((found, face) => (iou(face.box, box) > (found ? iou(found.box, box) : 0) ? face : found), undefined);
    if (!best || iou(best.box, box) < SAME_FACE_IOU) {
      throw new MendError(
        'bad_input',
        `no face was found at ${Math.round(box.x)},${Math.round(box.y)} ${Math.round(box.width)}×${Math.round(box.height)}: find the faces again on the same image and choose among those`,
      );
    }
    return best;
  });
}

/**
 * Finds every face of a photo (or those of `options.only`) and restores it: BlazeFace over the pyramid,
 * FaceMesh's landmarks for the five points and the paste region (BlazeFace's keypoints without it), the
 * restorer, the paste back at `strength`; then FaceRes compares each face before and after at the same
 * landmarks. `regions` says where each face was pasted (`pasteMask`).
 */
export async function restorePhotoFaces(
  image: PixelImage,
  analysis: FaceAnalysis,
  restorer: CropRestorer,
  strength: number,
  options: RestorePhotoFacesOptions = {},
): Promise<{ image: PixelImage; faces: FaceReport[]; regions: PasteRegion[] }> {
  const found = await detectFaces(analysis.detector, image, { signal: options.signal });
  const detected = options.only ? chosenFaces(found, options.only) : found;
  const meshes: Array<MeshPoint[] | undefined> = [];
  const toRestore: FaceToRestore[] = [];
  for (const face of detected) {
    const mesh = analysis.mesh && (await faceLandmarks(analysis.mesh, image, face.box));
    meshes.push(mesh?.mesh);
    toRestore.push(mesh ? { points: templateOrder(mesh.five), outline: mesh.mesh } : { points: fivePointsFromBlazeFace(face) });
  }
  const restored = await restoreFaces(image, toRestore, restorer, strength);
  const faces: FaceReport[] = [];
  for (const [index, face] of detected.entries()) {
    const mesh = meshes[index];
    const report: FaceReport = { box: face.box, score: face.score, alignedBy: mesh ? 'face-mesh' : 'blazeface' };
    if (mesh && analysis.description) {
      const before = await faceEmbedding(analysis.description, image, { mesh });
      const after = await faceEmbedding(analysis.description, restored.image, { mesh });
      report.identity = identitySimilarity(before, after);
      report.mayNotLookLikeSamePerson = report.identity < IDENTITY_THRESHOLD;
    }
    faces.push(report);
  }
  const regions = restored.faces.map(({ toCrop, restored: crop, region }) => ({ toCrop, side: crop.width, region }));
  return { image: restored.image, faces, regions };
}
