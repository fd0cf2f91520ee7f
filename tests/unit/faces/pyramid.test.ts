import { LEVEL_RATIO, planPyramid, type PyramidLevel } from '../../../native-helper/src/faces/pyramid';

/** How many windows' cores hold the level pixel (x, y). */
function coresHolding(level: PyramidLevel, x: number, y: number): number {
  return level.windows.filter(({ core }) => x >= core.left && x < core.right && y >= core.top && y < core.bottom).length;
}

describe('detection pyramid', () => {
  it('runs a small image as one window at its own size (never upscaled)', () => {
    expect(planPyramid(200, 120, 256)).toEqual([{ scale: 1, width: 200, height: 120, windows: [{ x: 0, y: 0, core: { left: 0, top: 0, right: 200, bottom: 120 } }] }]);
  });

  it('tiles the image at its own size, then ends with the whole frame in one window', () => {
    const levels = planPyramid(512, 512, 256);
    expect(levels.map((l) => [l.scale, l.width, l.height, l.windows.length])).toEqual([
      [1, 512, 512, 9],
      [0.5, 256, 256, 1],
    ]);
    expect(levels[0].windows.map((w) => w.x).slice(0, 3)).toEqual([0, 128, 256]);
  });

  it('shrinks by at most LEVEL_RATIO per level, and the windows of each level overlap by half with cores tiling it', () => {
    const levels = planPyramid(6000, 4000, 256);
    expect(levels.map((l) => l.scale)).toEqual([1, 1 / 4, 1 / 16, 256 / 6000]);
    for (const [i, level] of levels.entries()) {
      if (i > 0) expect(levels[i - 1].scale / level.scale).toBeLessThanOrEqual(LEVEL_RATIO);
      for (const window of level.windows) {
        // A face of up to half the side, centred anywhere in the core, lies inside the window (or runs off the image).
        const { core } = window;
        if (core.left > 0) expect(core.left - 64).toBeGreaterThanOrEqual(window.x - 0.5);
        if (core.right < level.width) expect(core.right + 64).toBeLessThanOrEqual(window.x + 256 + 0.5);
        if (core.top > 0) expect(core.top - 64).toBeGreaterThanOrEqual(window.y - 0.5);
        if (core.bottom < level.height) expect(core.bottom + 64).toBeLessThanOrEqual(window.y + 256 + 0.5);
      }
      for (const [x, y] of [
        [0, 0],
        [level.width - 1, level.height - 1],
        [level.width / 2, level.height / 3],
        [191.5, 127],
      ]) {
        expect(coresHolding(level, x, y)).toBe(1);
      }
    }
    expect(levels.at(-1)?.windows).toHaveLength(1);
    expect([levels.at(-1)?.width, levels.at(-1)?.height]).toEqual([256, 171]);
  });
});
