import { fivePointsFromMesh, MESH_INDICES, MESH_POINTS, templateOrder } from '../../../native-helper/src/faces/five-points';
import type { Point } from '../../../native-helper/src/faces/similarity';

/** A mesh whose every point is far away, except the ones the five points are read from. */
function meshWith(placed: Record<number, Point>): Point[] {
  return Array.from({ length: MESH_POINTS }, (_v, i) => placed[i] ?? { x: 1e6, y: -1e6 });
}

describe('fivePointsFromMesh', () => {
  it('puts each eye at the mean of its contour and reads nose and mouth corners from their indices', () => {
    const placed: Record<number, Point> = {};
    // Each eye's contour on a circle of radius 5 around its centre.
    const ring = (indices: readonly number[], cx: number, cy: number) =>
      indices.forEach((index, k) => {
        const angle = (2 * Math.PI * k) / indices.length;
        placed[index] = { x: cx + 5 * Math.cos(angle), y: cy + 5 * Math.sin(angle) };
      });
    ring(MESH_INDICES.leftEyeContour, 100, 120);
    ring(MESH_INDICES.rightEyeContour, 160, 118);
    placed[MESH_INDICES.nose] = { x: 131, y: 150 };
    placed[MESH_INDICES.leftMouth] = { x: 108, y: 178 };
    placed[MESH_INDICES.rightMouth] = { x: 152, y: 177 };
    const five = fivePointsFromMesh(meshWith(placed));
    expect(five.leftEye.x).toBeCloseTo(100, 9);
    expect(five.leftEye.y).toBeCloseTo(120, 9);
    expect(five.rightEye.x).toBeCloseTo(160, 9);
    expect(five.rightEye.y).toBeCloseTo(118, 9);
    expect(five.nose).toEqual({ x: 131, y: 150 });
    expect(five.leftMouth).toEqual({ x: 108, y: 178 });
    expect(five.rightMouth).toEqual({ x: 152, y: 177 });
    expect(templateOrder(five)).toEqual([five.leftEye, five.rightEye, five.nose, five.leftMouth, five.rightMouth]);
  });

  it('uses 16 distinct contour points per eye, none shared with the other points', () => {
    const all = [...MESH_INDICES.leftEyeContour, ...MESH_INDICES.rightEyeContour, MESH_INDICES.nose, MESH_INDICES.leftMouth, MESH_INDICES.rightMouth];
    expect(MESH_INDICES.leftEyeContour).toHaveLength(16);
    expect(MESH_INDICES.rightEyeContour).toHaveLength(16);
    expect(new Set(all).size).toBe(all.length);
    expect(Math.max(...all)).toBeLessThan(MESH_POINTS);
  });

  it('refuses a mesh of another size', () => {
    expect(() => fivePointsFromMesh([{ x: 0, y: 0 }])).toThrow('a face mesh has 468 points, not 1');
  });
});
