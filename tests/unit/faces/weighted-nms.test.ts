import type { DetectedFace } from '../../../native-helper/src/faces/detected-face';
import { intersectionOverUnion, weightedNms } from '../../../native-helper/src/faces/weighted-nms';

function face(x: number, y: number, side: number, score: number): DetectedFace {
  return { box: { x, y, width: side, height: side }, keypoints: [{ x: x + side / 2, y: y + side / 2 }], score };
}

describe('weighted non-maximum suppression', () => {
  it('measures overlap as intersection over union', () => {
    expect(intersectionOverUnion(face(0, 0, 10, 1).box, face(5, 0, 10, 1).box)).toBeCloseTo(50 / 150);
    expect(intersectionOverUnion(face(0, 0, 10, 1).box, face(10, 0, 10, 1).box)).toBe(0);
  });

  it('merges overlapping detections into one, their geometry weighted by score, with the best score', () => {
    const [merged, ...rest] = weightedNms([face(10, 10, 20, 0.6), face(12, 10, 20, 0.9), face(11, 11, 22, 0.3)], 0.3);
    expect(rest).toHaveLength(0);
    expect(merged.score).toBe(0.9);
    const left = (10 * 0.6 + 12 * 0.9 + 11 * 0.3) / 1.8;
    const right = (30 * 0.6 + 32 * 0.9 + 33 * 0.3) / 1.8;
    expect(merged.box.x).toBeCloseTo(left);
    expect(merged.box.width).toBeCloseTo(right - left);
    expect(merged.keypoints[0].x).toBeCloseTo((20 * 0.6 + 22 * 0.9 + 22 * 0.3) / 1.8);
  });

  it('keeps separate faces apart, best first, and a slight overlap does not merge them', () => {
    const faces = weightedNms([face(0, 0, 10, 0.7), face(100, 100, 30, 0.8), face(8, 0, 10, 0.9)], 0.3);
    expect(faces.map((f) => [f.box.x, f.score])).toEqual([
      [8, 0.9],
      [100, 0.8],
      [0, 0.7],
    ]);
  });
});
