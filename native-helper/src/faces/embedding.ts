import type { PixelImage } from '../imaging/pixel-image';
import type { Rect } from '../imaging/rect';
import type { AnalysisModel } from './analysis-model';
import { cropTensor, squareAround } from './face-crop';
import type { Point } from './similarity';
import { boundsOf } from './landmarks';

/**
 * How much larger than the face the square FaceRes sees is: in Human it reads the square FaceMesh read,
 * 1.5× the bounding box of the previous mesh.
 */
export const EMBEDDING_CROP_SCALE = 1.5;

/** A vector scaled to length 1 (a zero vector stays zero). */
export function normalized(vector: Float32Array): Float32Array {
  let squared = 0;
  for (const v of vector) squared += v * v;
  const length = Math.sqrt(squared);
  return length === 0 ? Float32Array.from(vector) : vector.map((v) => v / length);
}

/**
 * The face's identity embedding: FaceRes's 1024 features of the square around the face's landmarks
 * (FaceMesh points; or a face box when there are none), scaled to length 1.
 */
export async function faceEmbedding(model: AnalysisModel, image: PixelImage, face: { mesh: readonly Point[] } | Rect): Promise<Float32Array> {
  const { side, inputScale } = model.spec;
  const region = 'mesh' in face ? boundsOf(face.mesh) : face;
  const { embedding } = await model.run(cropTensor(image, squareAround(region, EMBEDDING_CROP_SCALE), side, inputScale));
  return normalized(embedding);
}
