import { planTiles } from '../../../native-helper/src/imaging/tiling';

describe('tile planning', () => {
  it.each([
    [100, 37, 16, 8, 1, 2],
    [64, 64, 64, 10, 1, 4],
    [5, 300, 7, 6, 4, 3],
  ])('%i×%i, tile %i, overlap %i, multiple %i, scale %i: cores partition the image and blend weights sum to one', (width, height, tile, overlap, multipleOf, scale) => {
    const plan = planTiles({ width, height, tile, overlap, multipleOf, scale });
    for (const [axis, size] of [
      [plan.columns, width],
      [plan.rows, height],
    ] as const) {
      expect(axis[0].coreStart).toBe(0);
      expect(axis[axis.length - 1].coreEnd).toBe(size);
      const sum = new Float64Array(size * scale);
      for (const seg of axis) {
        expect(seg.inputLength % multipleOf).toBe(0);
        expect(seg.inputStart).toBe(seg.coreStart - overlap);
        expect(seg.coreEnd - seg.coreStart).toBeLessThanOrEqual(tile);
        // output used lies inside what the model produced
        expect(seg.outputStart).toBeGreaterThanOrEqual(seg.inputStart * scale);
        expect(seg.outputEnd).toBeLessThanOrEqual((seg.inputStart + seg.inputLength) * scale);
        seg.weights.forEach((w, i) => (sum[seg.outputStart + i] += w));
      }
      sum.forEach((s) => expect(s).toBeCloseTo(1, 6));
    }
    expect(plan.tiles.length).toBe(plan.columns.length * plan.rows.length);
  });
});
