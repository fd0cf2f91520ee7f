import { BLAZEFACE_ANCHOR_OPTIONS, blazeFaceAnchors } from '../../../native-helper/src/faces/blazeface';
import { ssdAnchors } from '../../../native-helper/src/faces/ssd-anchors';

describe('SSD anchors', () => {
  it('gives BlazeFace 896 anchors: 2 per cell of a 16×16 map, then 6 per cell of an 8×8 map', () => {
    const anchors = blazeFaceAnchors();
    expect(anchors).toHaveLength(896);
    // Stride 16: cell (x, y) holds anchors 2·(16y + x) and the next, centred in the cell.
    expect(anchors[0]).toEqual({ x: 0.5 / 16, y: 0.5 / 16, width: 1, height: 1 });
    expect(anchors[1]).toEqual(anchors[0]);
    expect(anchors[2 * (16 * 3 + 5)]).toMatchObject({ x: 5.5 / 16, y: 3.5 / 16 });
    expect(anchors[511]).toMatchObject({ x: 15.5 / 16, y: 15.5 / 16 });
    // Stride 32: the three layers share one map, 6 anchors per cell.
    expect(anchors[512]).toMatchObject({ x: 0.5 / 8, y: 0.5 / 8 });
    expect(anchors[517]).toMatchObject({ x: 0.5 / 8, y: 0.5 / 8 });
    expect(anchors[518]).toMatchObject({ x: 1.5 / 8, y: 0.5 / 8 });
    expect(anchors[512 + 6 * (8 * 2 + 7)]).toMatchObject({ x: 7.5 / 8, y: 2.5 / 8 });
    expect(anchors[895]).toMatchObject({ x: 7.5 / 8, y: 7.5 / 8 });
  });

  it('sizes anchors by layer scale and aspect ratio when they are not fixed', () => {
    const anchors = ssdAnchors({ ...BLAZEFACE_ANCHOR_OPTIONS, fixedAnchorSize: false, aspectRatios: [1, 4] });
    // Layer 0 (scale 0.15625): ratio 1, ratio 4 (twice as wide, half as high), then the interpolated one at √(0.15625 · 0.353…).
    const next = 0.15625 + (0.75 - 0.15625) / 3;
    expect(anchors[0].width).toBeCloseTo(0.15625);
    expect([anchors[1].width, anchors[1].height]).toEqual([expect.closeTo(0.3125), expect.closeTo(0.078125)]);
    expect(anchors[2].width).toBeCloseTo(Math.sqrt(0.15625 * next));
    expect(anchors[3]).toMatchObject({ x: 1.5 / 16, width: expect.closeTo(0.15625) });
    // 3 per cell on the 16×16 map, 9 per cell on the 8×8 one; the last layer's interpolated anchor uses scale 1 as its next.
    expect(anchors).toHaveLength(16 * 16 * 3 + 8 * 8 * 9);
    expect(anchors.at(-1)?.width).toBeCloseTo(Math.sqrt(0.75));
  });
});
