/** The naive fills the classical operator is measured against, run through the same windows. */
import { nearestSites } from '../../native-helper/src/imaging/distance-transform';
import type { HoleFiller, HoleWindow } from '../../native-helper/src/tasks/inpaint';

const SIDE = 1 << 16;

/** Each hole pixel takes the colour of the nearest known pixel of its window. */
export const nearestPixelFill: HoleFiller = {
  id: 'nearest-pixel',
  workingSide: SIDE,
  minSide: 1,
  async fill({ width, height, rgb, hole }: HoleWindow) {
    const known = hole.map((h) => (h ? 0 : 1));
    const { nearest } = nearestSites(known, width, height);
    const out = new Float32Array(rgb.length);
    for (let i = 0; i < nearest.length; i++) {
      const from = nearest[i] < 0 ? i : nearest[i];
      for (let c = 0; c < 3; c++) out[i * 3 + c] = rgb[from * 3 + c];
    }
    return out;
  },
};

/** The hole takes the mean colour of the known pixels of its window. */
export const meanColorFill: HoleFiller = {
  id: 'mean-color',
  workingSide: SIDE,
  minSide: 1,
  async fill({ rgb, hole }: HoleWindow) {
    const sum = [0, 0, 0];
    let count = 0;
    for (let i = 0; i < hole.length; i++) {
      if (hole[i]) continue;
      for (let c = 0; c < 3; c++) sum[c] += rgb[i * 3 + c];
      count++;
    }
    const out = new Float32Array(rgb.length);
    for (let i = 0; i < hole.length; i++) for (let c = 0; c < 3; c++) out[i * 3 + c] = count ? sum[c] / count : 0.5;
    return out;
  },
};
