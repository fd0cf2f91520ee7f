import type { PixelImage } from '../imaging/pixel-image';
import type { Rect } from '../imaging/rect';
import type { AnalysisModel } from './analysis-model';
import { cropTensor, fromCrop, squareAround, type SquareCrop } from './face-crop';
import { fivePointsFromMesh, MESH_POINTS, type FivePoints } from './five-points';
import type { Point } from './similarity';

/** A FaceMesh point in image pixels; z is relative depth (FaceMesh's input pixels, scaled as x and y; smaller is nearer). */
export interface MeshPoint extends Point {
  z: number;
}

export interface FaceLandmarks {
  /** FaceMesh's 468 points, in image pixels. */
  mesh: MeshPoint[];
  /** The eye centres, nose tip and mouth corners, from the mesh. */
  five: FivePoints;
  /** The square the model saw, in image pixels. */
  crop: SquareCrop;
  /** FaceMesh's confidence that the square holds a face, 0..1 (Human drops faces below its detector's minimum, 0.5 by default). */
  score: number;
}

/**
 * How much larger than a face box the square FaceMesh sees is: Human, which FaceMesh's TF.js graph comes
 * from, enlarges the detector's box 1.5× and squares it; the mesh then fills about two thirds of the square.
 */
export const MESH_CROP_SCALE = 1.5;

/** FaceMesh's 468 points (x, y, z in input pixels) for the face seen in `crop`, mapped to image pixels. */
function meshInImage(raw: Float32Array, crop: SquareCrop, side: number): MeshPoint[] {
  if (raw.length !== MESH_POINTS * 3) throw new Error(`FaceMesh answered ${raw.length} values, not ${MESH_POINTS * 3}`);
  const zScale = crop.side / side;
  return Array.from({ length: MESH_POINTS }, (_v, i) => ({ ...fromCrop(crop, side, raw[i * 3], raw[i * 3 + 1]), z: raw[i * 3 + 2] * zScale }));
}

/** The bounding box of points. */
export function boundsOf(points: readonly Point[]): Rect {
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
}

/**
 * The face's 468 landmarks and five alignment points in image coordinates. The square around `faceBox`
 * (a detector's box) is resampled to FaceMesh's 192², the model runs, its points are mapped back; then
 * once more on the square around those points, the crop FaceMesh is used to in Human's tracking: a box
 * that sits low or loose puts the first mesh off by several pixels (on astronaut.png a box reaching to
 * the neck put the mouth corners 8 px low; the second pass puts them on the lips).
 */
export async function faceLandmarks(model: AnalysisModel, image: PixelImage, faceBox: Rect): Promise<FaceLandmarks> {
  const { side, inputScale } = model.spec;
  const pass = async (box: Rect) => {
    const crop = squareAround(box, MESH_CROP_SCALE);
    const { mesh, faceflag } = await model.run(cropTensor(image, crop, side, inputScale));
    return { crop, mesh: meshInImage(mesh, crop, side), score: faceflag[0] };
  };
  const first = await pass(faceBox);
  const { crop, mesh, score } = await pass(boundsOf(first.mesh));
  return { mesh, five: fivePointsFromMesh(mesh), crop, score };
}
