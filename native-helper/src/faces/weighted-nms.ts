import type { DetectedFace } from './detected-face';

type Box = DetectedFace['box'];

export function intersectionOverUnion(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const inner = w * h;
  return inner / (a.width * a.height + b.width * b.height - inner);
}

/** The score-weighted mean of the cluster's corners and keypoints, with the score of its best member. */
function blend(cluster: readonly DetectedFace[]): DetectedFace {
  const total = cluster.reduce((sum, f) => sum + f.score, 0);
  const mean = (value: (f: DetectedFace) => number) => cluster.reduce((sum, f) => sum + value(f) * f.score, 0) / total;
  const left = mean((f) => f.box.x);
  const top = mean((f) => f.box.y);
  const right = mean((f) => f.box.x + f.box.width);
  const bottom = mean((f) => f.box.y + f.box.height);
  return {
    box: { x: left, y: top, width: right - left, height: bottom - top },
    keypoints: cluster[0].keypoints.map((_, k) => ({ x: mean((f) => f.keypoints[k].x), y: mean((f) => f.keypoints[k].y) })),
    score: cluster[0].score,
  };
}

/**
 * MediaPipe's weighted non-maximum suppression: the best remaining detection and every one overlapping it by
 * more than `iouThreshold` become one face, their geometry averaged by score (steadier than keeping the best
 * alone: one face fires several neighbouring anchors, and several windows of the pyramid); repeated until
 * none is left. Answers faces best first.
 */
export function weightedNms(faces: readonly DetectedFace[], iouThreshold: number): DetectedFace[] {
  let remaining = [...faces].sort((a, b) => b.score - a.score);
  const kept: DetectedFace[] = [];
  while (remaining.length) {
    const best = remaining[0];
    const cluster = [best];
    const rest: DetectedFace[] = [];
    for (const face of remaining.slice(1)) (intersectionOverUnion(best.box, face.box) > iouThreshold ? cluster : rest).push(face);
    kept.push(blend(cluster));
    remaining = rest;
  }
  return kept;
}
