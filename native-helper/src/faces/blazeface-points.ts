import type { DetectedFace } from './detected-face';
import { FFHQ_TEMPLATE_512 } from './face-template';
import type { Point } from './similarity';

const [LEFT_EYE, RIGHT_EYE, , LEFT_MOUTH, RIGHT_MOUTH] = FFHQ_TEMPLATE_512;
/** The template's mouth width over its eye distance (111.8 / 125.9 px at 512 = 0.888). */
const MOUTH_PER_EYES = Math.hypot(RIGHT_MOUTH.x - LEFT_MOUTH.x, RIGHT_MOUTH.y - LEFT_MOUTH.y) / Math.hypot(RIGHT_EYE.x - LEFT_EYE.x, RIGHT_EYE.y - LEFT_EYE.y);

/**
 * The five template points from BlazeFace's keypoints, for when FaceMesh is not available. BlazeFace
 * gives both eyes, the nose tip and the mouth's centre, no corners: they are placed on either side of the
 * mouth's centre along the eye line, as far apart as the template's mouth is wide for these eyes (0.888
 * of the eye distance). A wide smile or an open mouth is then aligned a little off; FaceMesh finds the
 * real corners. BlazeFace's coordinates have pixel centres at i + 0.5; these are at i, as alignment's.
 */
export function fivePointsFromBlazeFace(face: DetectedFace): Point[] {
  const [rightEye, leftEye, noseTip, mouth] = face.keypoints.map((p) => ({ x: p.x - 0.5, y: p.y - 0.5 }));
  // The person's right eye is the image's left one: the template's first point.
  const half = { x: ((leftEye.x - rightEye.x) * MOUTH_PER_EYES) / 2, y: ((leftEye.y - rightEye.y) * MOUTH_PER_EYES) / 2 };
  return [rightEye, leftEye, noseTip, { x: mouth.x - half.x, y: mouth.y - half.y }, { x: mouth.x + half.x, y: mouth.y + half.y }];
}
