import type { GraphSession, NamedTensor } from '../../../native-helper/src/engine/inference-engine';
import { BLAZEFACE_IO, blazeFaceAnchors } from '../../../native-helper/src/faces/blazeface';
import type { CropRestorer } from '../../../native-helper/src/faces/restore-faces';
import { createImage, type PixelImage } from '../../../native-helper/src/imaging/pixel-image';
import { FACE_THUMBNAIL_SIDE, jobOptionsSchema, type JobOptions } from '../../../native-helper/src/protocol';
import { collectingOutput, createTaskStreamer } from '../../../native-helper/src/tasks/runner';
import type { FaceTools, TaskContext } from '../../../native-helper/src/tasks/types';

const SIDE = 200;
/** The face the fake detector sees, in the 256² window's pixels: centred on an anchor, 80 px across. */
const FACE_SIDE = 80;

/** The stride-16 anchor nearest the window's centre: the fake's face sits on it. */
function centreAnchor(): number {
  const anchors = blazeFaceAnchors();
  let best = 0;
  for (let i = 0; i < 512; i++) if (Math.hypot(anchors[i].x - 0.4, anchors[i].y - 0.4) < Math.hypot(anchors[best].x - 0.4, anchors[best].y - 0.4)) best = i;
  return best;
}

/** A BlazeFace stand-in that sees one face, on the centre anchor of every window it is shown: keypoints of a frontal face. */
function fakeDetector(sees: boolean): GraphSession {
  const face = centreAnchor();
  return {
    run: async () => {
      const scores = new Float32Array(896).fill(-100);
      const boxes = new Float32Array(896 * 16);
      if (sees) {
        scores[face] = 10;
        const s = FACE_SIDE;
        // Box offsets 0 (centred on the anchor), size, then right eye, left eye, nose, mouth, ears (offsets from the centre).
        boxes.set([0, 0, s, s, -0.2 * s, -0.15 * s, 0.2 * s, -0.15 * s, 0, 0.05 * s, 0, 0.25 * s, -0.45 * s, 0, 0.45 * s, 0], face * 16);
      }
      const out = (data: Float32Array, dims: number[]): NamedTensor => ({ type: 'float32', data, dims });
      return {
        [BLAZEFACE_IO.scores[0]]: out(scores.subarray(0, 512), [1, 512, 1]),
        [BLAZEFACE_IO.scores[1]]: out(scores.subarray(512), [1, 384, 1]),
        [BLAZEFACE_IO.boxes[0]]: out(boxes.subarray(0, 512 * 16), [1, 512, 16]),
        [BLAZEFACE_IO.boxes[1]]: out(boxes.subarray(512 * 16), [1, 384, 16]),
      };
    },
  };
}

/** A restorer that answers a flat mid-gray crop: every pasted pixel changes visibly. */
const grayRestorer: CropRestorer = {
  label: 'no face model installed: general detail',
  sideFor: () => 64,
  restore: async () => {
    const crop = createImage(64, 64, 3, 32, 1);
    crop.data.fill(0.5);
    return crop;
  },
};

function tools(sees: boolean): FaceTools {
  return {
    analysis: async () => ({ detector: fakeDetector(sees) }),
    restorer: async () => ({ restorer: grayRestorer, models: ['fake-denoise', 'fake-x4'] }),
    provider: () => 'cpu',
  };
}

function photo(): PixelImage {
  const image = createImage(SIDE, SIDE, 3, 8);
  for (let i = 0; i < image.data.length; i++) image.data[i] = (i * 7) % 200;
  return image;
}

const context: TaskContext = { signal: new AbortController().signal, onProgress: () => undefined };

function run(options: JobOptions, sees = true) {
  const runTask = collectingOutput(createTaskStreamer({ catalog: undefined as never, engine: undefined as never, faces: tools(sees) }));
  return runTask({ options: jobOptionsSchema.parse(options), image: photo() }, context);
}

describe('find-faces job', () => {
  it('lists the face with its box and score and answers its thumbnail', async () => {
    const out = await run({ task: 'find-faces' });
    expect(out.faces).toHaveLength(1);
    const [face] = out.faces ?? [];
    expect(face.score).toBeGreaterThan(0.9);
    expect(face.box.width).toBeGreaterThan(20);
    expect(out.image).toMatchObject({ width: FACE_THUMBNAIL_SIDE, height: FACE_THUMBNAIL_SIDE, channels: 3, bitDepth: 8 });
    expect(out.main).toMatchObject({ kind: 'face-thumbnail', label: 'Face 1' });
    expect(out.extraOutputs).toEqual([]);
  });

  it('fails with a message saying no face was found', async () => {
    await expect(run({ task: 'find-faces' }, false)).rejects.toThrow(/no face was found/);
  });
});

describe('restore-faces job', () => {
  it('answers the pasted image named by its restorer and the mask of the face region; pixels outside the mask keep their samples', async () => {
    const out = await run({ task: 'restore-faces', strength: 1 });
    expect(out.main).toEqual({ kind: 'result', label: 'no face model installed: general detail', models: ['fake-denoise', 'fake-x4'] });
    const [mask] = out.extraOutputs ?? [];
    expect(mask).toMatchObject({ kind: 'face-mask', label: 'Face regions' });
    expect(mask.image).toMatchObject({ width: SIDE, height: SIDE, channels: 1, bitDepth: 8 });
    const source = photo();
    let masked = 0;
    let changedOutside = 0;
    let changedInside = 0;
    for (let p = 0; p < SIDE * SIDE; p++) {
      const changed = [0, 1, 2].some((c) => out.image.data[p * 3 + c] !== source.data[p * 3 + c]);
      if (mask.image.data[p] === 255) {
        masked++;
        if (changed) changedInside++;
      } else {
        expect(mask.image.data[p]).toBe(0);
        if (changed) changedOutside++;
      }
    }
    expect(changedOutside).toBe(0);
    expect(masked).toBeGreaterThan(500);
    expect(changedInside).toBeGreaterThan(masked / 2);
    // Without FaceMesh and FaceRes there is no identity check to report.
    expect(out.faces).toEqual([{ box: expect.any(Object), score: expect.any(Number) }]);
  });

  it('restores only the chosen faces, and refuses a box where no face is', async () => {
    const [face] = (await run({ task: 'find-faces' })).faces ?? [];
    const chosen = await run({ task: 'restore-faces', faces: [face.box], strength: 1 });
    expect(chosen.faces).toHaveLength(1);
    await expect(run({ task: 'restore-faces', faces: [{ x: 0, y: 150, width: 30, height: 30 }], strength: 1 })).rejects.toThrow(
      /no face was found at 0,150 30×30: find the faces again/,
    );
  });

  it('at strength 0 answers the image unchanged', async () => {
    const out = await run({ task: 'restore-faces', strength: 0 });
    expect(Buffer.from(out.image.data).equals(Buffer.from(photo().data))).toBe(true);
  });
});
