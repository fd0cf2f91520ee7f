import type { Point } from './similarity';

/**
 * The five points face restorers align by (GFPGAN's and CodeFormer's 512² template, in this order):
 * eye centres, nose tip, mouth corners. "Left" is the side on the image's left for an upright,
 * unmirrored face: the person's right eye and mouth corner.
 */
export interface FivePoints {
  leftEye: Point;
  rightEye: Point;
  nose: Point;
  leftMouth: Point;
  rightMouth: Point;
}

/**
 * FaceMesh's indices for them (MediaPipe's canonical 468-point mesh): each eye's 16-point contour,
 * whose mean is the eye's centre; the nose tip; the outer mouth corners. Index 33 is the person's right
 * eye's outer corner, which is on the image's left.
 */
export const MESH_INDICES = {
  leftEyeContour: [33, 7, 163, 144, 145, 153, 154, 155, 133, 173, 157, 158, 159, 160, 161, 246],
  rightEyeContour: [263, 249, 390, 373, 374, 380, 381, 382, 362, 398, 384, 385, 386, 387, 388, 466],
  nose: 1,
  leftMouth: 61,
  rightMouth: 291,
} as const;

export const MESH_POINTS = 468;

function mean(mesh: readonly Point[], indices: readonly number[]): Point {
  let x = 0;
  let y = 0;
  for (const i of indices) {
    x += mesh[i].x;
    y += mesh[i].y;
  }
  return { x: x / indices.length, y: y / indices.length };
}

/** The five points in the order of the restorers' template (face-template.ts), as alignFace takes them. */
export function templateOrder(five: FivePoints): Point[] {
  return [five.leftEye, five.rightEye, five.nose, five.leftMouth, five.rightMouth];
}

/** The five alignment points of a FaceMesh result. */
export function fivePointsFromMesh(mesh: readonly Point[]): FivePoints {
  if (mesh.length !== MESH_POINTS) throw new Error(`a face mesh has ${MESH_POINTS} points, not ${mesh.length}`);
  const at = (i: number): Point => ({ x: mesh[i].x, y: mesh[i].y });
  return {
    leftEye: mean(mesh, MESH_INDICES.leftEyeContour),
    rightEye: mean(mesh, MESH_INDICES.rightEyeContour),
    nose: at(MESH_INDICES.nose),
    leftMouth: at(MESH_INDICES.leftMouth),
    rightMouth: at(MESH_INDICES.rightMouth),
  };
}
