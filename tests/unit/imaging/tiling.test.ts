import { EDGE_CONTEXT, planTiles } from '../../../native-helper/src/imaging/tiling';

describe('tile planning', () => {
  it.each([
    [100, 37, 16, 8, 1, 2, EDGE_CONTEXT],
    [64, 64, 64, 10, 1, 4, 0],
    [5, 300, 7, 6, 4, 3, EDGE_CONTEXT],
  ])(
    '%i×%i, tile %i, overlap %i, multiple %i, scale %i, edge context %i: cores partition the image and blend weights sum to one',
    (width, height, tile, overlap, multipleOf, scale, edgeContext) => {
      const plan = planTiles({ width, height, tile, overlap, edgeContext, multipleOf, scale });
      for (const [axis, size] of [
        [plan.columns, width],
        [plan.rows, height],
      ] as const) {
        expect(axis[0].coreStart).toBe(0);
        expect(axis[axis.length - 1].coreEnd).toBe(size);
        const sum = new Float64Array(size * scale);
        for (const seg of axis) {
          expect(seg.inputLength % multipleOf).toBe(0);
          // every core sees `overlap` context, of which at most `edgeContext` mirrored past the image edges
          const edge = Math.min(edgeContext, overlap);
          const wanted = [Math.max(-edge, seg.coreStart - overlap), Math.min(size + edge, seg.coreEnd + overlap)];
          expect(seg.inputStart).toBeLessThanOrEqual(wanted[0]);
          expect(seg.inputStart + seg.inputLength).toBeGreaterThanOrEqual(wanted[1]);
          expect(seg.inputStart).toBeGreaterThanOrEqual(-edge);
          if (size + 2 * edge >= seg.inputLength) expect(seg.inputStart + seg.inputLength).toBeLessThanOrEqual(size + edge);
          expect(seg.inputLength).toBeLessThan(wanted[1] - wanted[0] + multipleOf);
          expect(seg.coreEnd - seg.coreStart).toBeLessThanOrEqual(tile);
          // output used lies inside what the model produced
          expect(seg.outputStart).toBeGreaterThanOrEqual(seg.inputStart * scale);
          expect(seg.outputEnd).toBeLessThanOrEqual((seg.inputStart + seg.inputLength) * scale);
          seg.weights.forEach((w, i) => (sum[seg.outputStart + i] += w));
        }
        sum.forEach((s) => expect(s).toBeCloseTo(1, 6));
      }
      expect(plan.tiles.length).toBe(plan.columns.length * plan.rows.length);
    },
  );

  it('reads only EDGE_CONTEXT mirrored pixels past the image edges: a 512² image in 256² tiles with overlap 16 reads 276² inputs', () => {
    expect(EDGE_CONTEXT).toBe(4);
    const plan = planTiles({ width: 512, height: 512, tile: 256, overlap: 16, edgeContext: EDGE_CONTEXT, multipleOf: 1, scale: 2 });
    expect(plan.tiles.map((t) => t.input)).toEqual([
      { x: -4, y: -4, width: 276, height: 276 },
      { x: 240, y: -4, width: 276, height: 276 },
      { x: -4, y: 240, width: 276, height: 276 },
      { x: 240, y: 240, width: 276, height: 276 },
    ]);
    // a model that pads its borders itself, or wants no context at all, gets no mirrored pixels
    for (const [overlap, edgeContext] of [
      [16, 0],
      [0, EDGE_CONTEXT],
    ]) {
      expect(planTiles({ width: 64, height: 64, tile: 64, overlap, edgeContext, multipleOf: 1, scale: 1 }).tiles[0].input).toEqual({ x: 0, y: 0, width: 64, height: 64 });
    }
  });

  it('grows an input to the size the model needs with real pixels first, and mirrors more only past a too-small image', () => {
    const wide = planTiles({ width: 101, height: 20, tile: 64, overlap: 8, edgeContext: EDGE_CONTEXT, multipleOf: 4, minSize: 32, scale: 2 });
    expect(wide.columns.map((c) => [c.inputStart, c.inputLength])).toEqual([
      [-4, 64],
      [41, 64],
    ]);
    expect(wide.rows.map((r) => [r.inputStart, r.inputLength])).toEqual([[-4, 32]]);
  });
});
