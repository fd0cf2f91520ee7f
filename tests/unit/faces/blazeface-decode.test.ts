import { blazeFaceAnchors, decodeBlazeFace } from '../../../native-helper/src/faces/blazeface';

describe('BlazeFace decoding', () => {
  const anchors = blazeFaceAnchors();
  const logit = (p: number) => Math.log(p / (1 - p));

  function tensors() {
    return { scores: new Float32Array(896).fill(-20), boxes: new Float32Array(896 * 16) };
  }

  it('turns an anchor offset in input pixels into a box and keypoints in fractions of the input', () => {
    const { scores, boxes } = tensors();
    // Anchor 2·(16·4 + 10) is centred at (10.5/16, 4.5/16) = (168, 72) px of 256.
    const i = 2 * (16 * 4 + 10);
    scores[i] = logit(0.9);
    boxes.set([8, -4, 64, 48, -20, -10, 20, -10, 0, 5, 0, 20, -30, 0, 30, 0], i * 16);
    const [face, ...others] = decodeBlazeFace(scores, boxes, anchors, 0.5);
    expect(others).toHaveLength(0);
    expect(face.score).toBeCloseTo(0.9);
    expect(face.box.x * 256).toBeCloseTo(168 + 8 - 32, 3);
    expect(face.box.y * 256).toBeCloseTo(72 - 4 - 24, 3);
    expect(face.box.width * 256).toBeCloseTo(64, 3);
    expect(face.box.height * 256).toBeCloseTo(48, 3);
    const px = face.keypoints.map((p) => [Math.round(p.x * 256), Math.round(p.y * 256)]);
    expect(px).toEqual([
      [148, 62],
      [188, 62],
      [168, 77],
      [168, 92],
      [138, 72],
      [198, 72],
    ]);
  });

  it('keeps only anchors scoring at least the threshold, from both feature maps', () => {
    const { scores, boxes } = tensors();
    scores[3] = logit(0.7);
    scores[700] = logit(0.95);
    scores[800] = logit(0.4);
    const faces = decodeBlazeFace(scores, boxes, anchors, 0.5);
    expect(faces.map((f) => f.score)).toEqual([expect.closeTo(0.7), expect.closeTo(0.95)]);
    expect(faces[1].box.x + faces[1].box.width / 2).toBeCloseTo(anchors[700].x);
  });

  it('refuses outputs of another shape', () => {
    expect(() => decodeBlazeFace(new Float32Array(512), new Float32Array(512 * 16), anchors, 0.5)).toThrow(/512 scores/);
  });
});
