export interface Point {
  x: number;
  y: number;
}

/**
 * BlazeFace's six keypoints, in its output order. "Right" and "left" are the person's own: in a face
 * looking at the camera, the right eye is on the image's left.
 */
export const FACE_KEYPOINTS = ['rightEye', 'leftEye', 'noseTip', 'mouth', 'rightEar', 'leftEar'] as const;
export type FaceKeypointName = (typeof FACE_KEYPOINTS)[number];

/** A face found in an image, in that image's pixel coordinates (x right, y down, origin at the top-left corner). */
export interface DetectedFace {
  /** The face's box: BlazeFace's square from the brows to the chin. */
  box: { x: number; y: number; width: number; height: number };
  /** The keypoints in `FACE_KEYPOINTS` order. */
  keypoints: Point[];
  /** The detector's confidence, 0..1. */
  score: number;
}
