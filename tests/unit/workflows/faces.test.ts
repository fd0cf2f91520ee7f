import type { JobFace } from '../../../native-helper/src/protocol';
import { findFaces, restoreFaces } from '../../../plugin/src/workflows/faces';
import type { JobRunner } from '../../../plugin/src/workflows/run-operation';
import { gather } from '../../helpers/banded-pixels';
import { recordingHost, rgb } from '../../helpers/recording-host';
import { standInHelper, type StandInOutput } from '../../helpers/stand-in-helper';

const base = { documentId: 1, documentTitle: 'portrait.tif', documentWidth: 40, documentHeight: 30, layerId: 7, layerName: 'Photo' };
const FACES: JobFace[] = [
  { box: { x: 1, y: 1, width: 2, height: 2 }, score: 0.9 },
  { box: { x: 4, y: 0, width: 2, height: 2 }, score: 0.8 },
];

/** The stand-in helper, its summaries listing `faces` as the real helper's do. */
function withFaces(stand: ReturnType<typeof standInHelper>, faces: JobFace[]): JobRunner {
  return {
    startJob: stand.helper.startJob,
    awaitResult: async (id, callbacks) => {
      const job = await stand.helper.awaitResult(id, callbacks);
      return { ...job, summary: { ...job.summary, faces } };
    },
  };
}

const thumb = (value: number): StandInOutput => ({
  kind: 'face-thumbnail',
  label: 'Face',
  layout: { width: 2, height: 2, channels: 3, bitDepth: 8, maxValue: 255 },
  bytes: new Uint8Array(12).fill(value),
});

describe('findFaces', () => {
  it('asks for the faces and answers each with its box, score and thumbnail, writing nothing', async () => {
    const { host, writes } = recordingHost({ ...base, pixels: rgb(8, 4), at: { left: 0, top: 0 } });
    const stand = standInHelper(() => [thumb(10), thumb(20)]);
    const found = await findFaces({ host, helper: withFaces(stand, FACES) }, 'layer');
    expect(stand.options).toEqual([{ task: 'find-faces' }]);
    expect(found.map((f) => [f.box, f.score, f.thumbnail.width, f.thumbnail.data[0]])).toEqual([
      [FACES[0].box, 0.9, 2, 10],
      [FACES[1].box, 0.8, 2, 20],
    ]);
    expect(writes.layer).toEqual([]);
  });
});

describe('restoreFaces', () => {
  /** Answers the source + 50 as the pasted image and a mask showing columns 1..2 only. */
  function facesHelper() {
    return standInHelper((image, layout) => [
      { kind: 'result', label: 'no face model installed: general detail', layout, bytes: image.map((v) => v + 50) },
      {
        kind: 'face-mask',
        label: 'Face regions',
        layout: { ...layout, channels: 1 },
        bytes: Uint8Array.from({ length: layout.width * layout.height }, (_, i) => (i % layout.width >= 1 && i % layout.width <= 2 ? 255 : 0)),
      },
    ]);
  }

  it('restores the chosen faces into ONE layer masked to the face regions, named by the restorer, in one write', async () => {
    const { host, writes } = recordingHost({ ...base, pixels: rgb(4, 3), at: { left: 8, top: 2 } });
    const stand = facesHelper();
    const reported = [{ ...FACES[0], identity: 0.5, mayNotLookLikeSamePerson: true }];
    const result = await restoreFaces(
      { host, helper: withFaces(stand, reported) },
      { source: 'layer', faces: [FACES[0].box], strength: 0.7, grow: 4, feather: 0.1, opacity: 100, blendMode: 'normal' },
    );
    expect(stand.options).toEqual([{ task: 'restore-faces', faces: [FACES[0].box], strength: 0.7 }]);
    expect(writes.layer).toHaveLength(1);
    const [write] = writes.layer;
    expect(write).toMatchObject({ name: 'Faces · no face model installed: general detail', historyName: 'Mend Faces', aboveLayerId: 7, at: { left: 8, top: 2 } });
    expect(write.layersAbove).toBeUndefined();
    if (write.mask === 'reveal-all') throw new Error('the face layer must be masked');
    expect(write.mask.bounds).toEqual({ left: 8, top: 2, right: 12, bottom: 5 });
    expect(Array.from(write.mask.data.subarray(0, 4))).toEqual([0, 255, 255, 0]);
    expect((await gather(write.pixels)).data[0]).toBe(150);
    expect(result).toMatchObject({ name: 'Faces · no face model installed: general detail', restorer: 'no face model installed: general detail', faces: reported });
  });

  it('keeps the face mask within the selection', async () => {
    const selection = { bounds: { left: 8, top: 2, right: 12, bottom: 5 }, data: Uint8Array.from({ length: 12 }, (_, i) => (i % 4 < 2 ? 255 : 0)) };
    const { host, writes } = recordingHost({ ...base, pixels: rgb(4, 3), at: { left: 8, top: 2 }, selection });
    await restoreFaces(
      { host, helper: withFaces(facesHelper(), FACES) },
      { source: 'layer', faces: [FACES[0].box], strength: 1, grow: 0, feather: 0, opacity: 100, blendMode: 'normal' },
    );
    const [write] = writes.layer;
    if (write.mask === 'reveal-all') throw new Error('the face layer must be masked');
    expect(Array.from(write.mask.data.subarray(0, 4))).toEqual([0, 255, 0, 0]);
  });
});
