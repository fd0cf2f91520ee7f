import type { GraphSession, NamedTensor } from '../../../native-helper/src/engine/inference-engine';
import { BLAZEFACE_IO } from '../../../native-helper/src/faces/blazeface';
import { detectFaces, windowTensor } from '../../../native-helper/src/faces/detect-faces';
import { createImage, type PixelImage } from '../../../native-helper/src/imaging/pixel-image';

const SIDE = 256;

/**
 * A stand-in for BlazeFace that "sees" a white square on black: when the window holds one whole (not touching
 * the window's edge), it answers anchor 0 (centred at 8, 8 px) with that square's box and centre as keypoints.
 */
function squareFinder(windowsSeen: Array<Float32Array>): GraphSession {
  return {
    async run(inputs: Record<string, NamedTensor>) {
      const pixels = inputs[BLAZEFACE_IO.input].data as Float32Array;
      windowsSeen.push(pixels);
      let [left, top, right, bottom] = [SIDE, SIDE, -1, -1];
      for (let y = 0; y < SIDE; y++) {
        for (let x = 0; x < SIDE; x++) {
          if (pixels[(y * SIDE + x) * 3] <= 0) continue;
          if (x < left) left = x;
          if (x > right) right = x;
          if (y < top) top = y;
          bottom = y;
        }
      }
      const scores = new Float32Array(896).fill(-20);
      const boxes = new Float32Array(896 * 16);
      if (right >= 0 && left > 0 && top > 0 && right < SIDE - 1 && bottom < SIDE - 1) {
        const [cx, cy] = [(left + right + 1) / 2, (top + bottom + 1) / 2];
        scores[0] = 4;
        boxes.set([cx - 8, cy - 8, right + 1 - left, bottom + 1 - top]);
        for (let k = 0; k < 6; k++) boxes.set([cx - 8, cy - 8], 4 + 2 * k);
      }
      const tensor = (data: Float32Array, rows: number, columns: number): NamedTensor => ({ type: 'float32', data, dims: [1, rows, columns] });
      return {
        [BLAZEFACE_IO.scores[0]]: tensor(scores.slice(0, 512), 512, 1),
        [BLAZEFACE_IO.scores[1]]: tensor(scores.slice(512), 384, 1),
        [BLAZEFACE_IO.boxes[0]]: tensor(boxes.slice(0, 512 * 16), 512, 16),
        [BLAZEFACE_IO.boxes[1]]: tensor(boxes.slice(512 * 16), 384, 16),
      };
    },
  };
}

function blackWithSquare(width: number, height: number, square: { x: number; y: number; side: number }): PixelImage {
  const image = createImage(width, height, 3, 8);
  for (let y = square.y; y < square.y + square.side; y++) image.data.fill(255, (y * width + square.x) * 3, (y * width + square.x + square.side) * 3);
  return image;
}

describe('face detection over the pyramid', () => {
  it.each([
    ['a small face, found on the enlarged finest level', { x: 613, y: 421, side: 30 }],
    ['a face seen whole on two levels, merged into one', { x: 180, y: 95, side: 80 }],
    ['a face of most of the frame, found on the whole-frame level', { x: 200, y: 50, side: 600 }],
  ])('finds %s, in image pixels', async (_, square) => {
    const faces = await detectFaces(squareFinder([]), blackWithSquare(1000, 700, square));
    expect(faces).toHaveLength(1);
    const { box, keypoints } = faces[0];
    // Sampling at another scale blurs the square's edges by about a pixel of the level it was found on.
    const tolerance = square.side < 100 ? 1.5 : 6;
    expect(Math.abs(box.x - square.x)).toBeLessThanOrEqual(tolerance);
    expect(Math.abs(box.y - square.y)).toBeLessThanOrEqual(tolerance);
    expect(Math.abs(box.width - square.side)).toBeLessThanOrEqual(2 * tolerance);
    expect(Math.abs(keypoints[0].x - (square.x + square.side / 2))).toBeLessThanOrEqual(tolerance);
    expect(faces[0].score).toBeCloseTo(1 / (1 + Math.exp(-4)));
  });

  it('finds nothing in an image without a face, and stops when cancelled', async () => {
    const windows: Float32Array[] = [];
    expect(await detectFaces(squareFinder(windows), createImage(1000, 700, 3, 8))).toEqual([]);
    // 1500×1050 at the finest level: 11 × 8 windows; then 375×262: 2 × 2; then the whole frame.
    expect(windows).toHaveLength(88 + 4 + 1);
    const controller = new AbortController();
    controller.abort();
    await expect(detectFaces(squareFinder([]), createImage(100, 100, 3, 8), { signal: controller.signal })).rejects.toThrow(/cancelled/);
  });
});

describe('window tensor', () => {
  it('gives RGB in -1..1, black past the level, gray repeated, any bit depth', () => {
    const rgb = createImage(2, 1, 3, 8);
    rgb.data.set([255, 0, 51, 0, 255, 102]);
    const t = windowTensor(rgb, 1, 0, 0, 4, 2, 1);
    expect(Array.from(t.subarray(0, 6))).toEqual([1, -1, expect.closeTo(-0.6), -1, 1, expect.closeTo(-0.2)]);
    expect(Array.from(t.subarray(6, 12))).toEqual([-1, -1, -1, -1, -1, -1]);
    expect(t.subarray(12).every((v) => v === -1)).toBe(true);

    const gray = createImage(1, 1, 2, 16);
    gray.data.set([65535, 0]);
    expect(Array.from(windowTensor(gray, 1, 0, 0, 2, 1, 1).subarray(0, 3))).toEqual([1, 1, 1]);
  });

  it('samples an enlarged level bilinearly between the image pixels', () => {
    const ramp = createImage(2, 1, 1, 8);
    ramp.data.set([0, 255]);
    // At scale 2, level pixel 1 lies at image x = 1.5 / 2 - 0.5 = 0.25; pixel 0 is clamped to the edge.
    const t = windowTensor(ramp, 2, 0, 0, 4, 4, 2);
    expect([t[0], t[3], t[6], t[9]]).toEqual([-1, expect.closeTo(-0.5), expect.closeTo(0.5), 1]);
    // Row 1 repeats row 0 (one image row).
    expect(t[12 + 3]).toBeCloseTo(-0.5);
  });
});
