import { fivePointsFromBlazeFace } from '../../../native-helper/src/faces/blazeface-points';
import { FFHQ_TEMPLATE_512 } from '../../../native-helper/src/faces/face-template';

describe('fivePointsFromBlazeFace', () => {
  it('puts the eyes, nose and mouth corners of a template face back where they were (pixel centres moved from i + ½ to i)', () => {
    const [leftEye, rightEye, nose, leftMouth, rightMouth] = FFHQ_TEMPLATE_512;
    const mouth = { x: (leftMouth.x + rightMouth.x) / 2, y: (leftMouth.y + rightMouth.y) / 2 };
    const edge = (p: { x: number; y: number }) => ({ x: p.x + 0.5, y: p.y + 0.5 });
    // BlazeFace's order: the person's right eye (image left) first, then left eye, nose tip, mouth, ears.
    const face = { box: { x: 0, y: 0, width: 512, height: 512 }, keypoints: [leftEye, rightEye, nose, mouth, leftEye, rightEye].map(edge), score: 0.9 };
    fivePointsFromBlazeFace(face).forEach((p, i) => {
      // The template's mouth is level with its eyes to 0.3 px: its corners come back within that.
      expect(Math.hypot(p.x - FFHQ_TEMPLATE_512[i].x, p.y - FFHQ_TEMPLATE_512[i].y)).toBeLessThan(0.5);
    });
  });
});
