import type { GraphSession } from '../engine/inference-engine';
import type { PixelImage } from '../imaging/pixel-image';
import type { Rect } from '../imaging/rect';
import type { AnalysisModel } from './analysis-model';
import { fivePointsFromBlazeFace } from './blazeface-points';
import { detectFaces } from './detect-faces';
import { faceEmbedding } from './embedding';
import { templateOrder } from './five-points';
import { IDENTITY_THRESHOLD, identitySimilarity } from './identity';
import { faceLandmarks, type MeshPoint } from './landmarks';
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

/**
 * Finds every face of a photo and restores it: BlazeFace over the pyramid, FaceMesh's landmarks for the
 * five points and the paste region (BlazeFace's keypoints without it), the restorer, the paste back at
 * `strength`; then FaceRes compares each face before and after at the same landmarks.
 */
export async function restorePhotoFaces(
  image: PixelImage,
  analysis: FaceAnalysis,
  restorer: CropRestorer,
  strength: number,
  signal?: AbortSignal,
): Promise<{ image: PixelImage; faces: FaceReport[] }> {
  const detected = await detectFaces(analysis.detector, image, { signal });
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
  return { image: restored.image, faces };
}
