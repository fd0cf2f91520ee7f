import type { DetectedFace } from './detected-face';
import { ssdAnchors, type Anchor, type SsdAnchorOptions } from './ssd-anchors';

/** The model's square input side. */
export const BLAZEFACE_SIDE = 256;

/**
 * MediaPipe's anchor options for the 256² BlazeFace ("back camera") model: a 16×16 map of stride 16 with 2
 * anchors per cell, then three layers of stride 32 sharing an 8×8 map with 6 per cell: 512 + 384 = 896.
 */
export const BLAZEFACE_ANCHOR_OPTIONS: SsdAnchorOptions = {
  inputSize: BLAZEFACE_SIDE,
  numLayers: 4,
  minScale: 0.15625,
  maxScale: 0.75,
  strides: [16, 32, 32, 32],
  aspectRatios: [1],
  interpolatedScaleAspectRatio: 1,
  fixedAnchorSize: true,
  anchorOffset: 0.5,
};

/**
 * The tensor names of the ONNX export: NHWC RGB input in -1..1; raw scores (logits) and 16 box values per
 * anchor, split in two outputs each: the 512 anchors of the stride-16 map, then the 384 of the stride-32 map.
 */
export const BLAZEFACE_IO = {
  input: 'input:0',
  scores: ['Identity:0', 'Identity_1:0'],
  boxes: ['Identity_2:0', 'Identity_3:0'],
} as const;

/** Values per anchor in the box output: centre offset x, y, width, height, then six keypoints (x, y). */
const COORDS = 16;
const KEYPOINTS = 6;
/** MediaPipe clips logits to ±100 before the sigmoid. */
const SCORE_CLIP = 100;

let anchors: Anchor[] | undefined;

/** The model's 896 anchors (made once). */
export function blazeFaceAnchors(): Anchor[] {
  anchors ??= ssdAnchors(BLAZEFACE_ANCHOR_OPTIONS);
  return anchors;
}

/**
 * The detections of one model run that score at least `minScore`, in fractions of the model input (0..1,
 * x right, y down). As MediaPipe decodes them: offsets in input pixels from the anchor's centre, sizes in
 * input pixels, both scaled by the anchor's size (1 for BlazeFace's fixed-size anchors).
 */
export function decodeBlazeFace(scores: Float32Array, boxes: Float32Array, anchorList: readonly Anchor[], minScore: number, side = BLAZEFACE_SIDE): DetectedFace[] {
  if (scores.length !== anchorList.length || boxes.length !== anchorList.length * COORDS) {
    throw new Error(`BlazeFace answered ${scores.length} scores and ${boxes.length} box values for ${anchorList.length} anchors`);
  }
  const faces: DetectedFace[] = [];
  for (let i = 0; i < anchorList.length; i++) {
    const logit = Math.min(SCORE_CLIP, Math.max(-SCORE_CLIP, scores[i]));
    const score = 1 / (1 + Math.exp(-logit));
    if (score < minScore) continue;
    const a = anchorList[i];
    const v = i * COORDS;
    const cx = (boxes[v] / side) * a.width + a.x;
    const cy = (boxes[v + 1] / side) * a.height + a.y;
    const width = (boxes[v + 2] / side) * a.width;
    const height = (boxes[v + 3] / side) * a.height;
    const keypoints = Array.from({ length: KEYPOINTS }, (_, k) => ({
      x: (boxes[v + 4 + 2 * k] / side) * a.width + a.x,
      y: (boxes[v + 5 + 2 * k] / side) * a.height + a.y,
    }));
    faces.push({ box: { x: cx - width / 2, y: cy - height / 2, width, height }, keypoints, score });
  }
  return faces;
}
