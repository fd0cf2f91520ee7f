import path from 'node:path';
import { modelCacheDir } from '../../native-helper/src/app';
import { decodeImageFile } from '../../native-helper/src/codecs/image-file';
import { Engine } from '../../native-helper/src/engine/engine';
import { jpegRoundTrip } from '../../native-helper/src/eval/degradations';
import { type AnalysisModel, loadAnalysisModel } from '../../native-helper/src/faces/analysis-model';
import { FACE_DESCRIPTION, FACE_MESH } from '../../native-helper/src/faces/analysis-models';
import { readyFaceModel } from '../../native-helper/src/faces/face-models';
import { faceEmbedding } from '../../native-helper/src/faces/embedding';
import { IDENTITY_THRESHOLD, identitySimilarity } from '../../native-helper/src/faces/identity';
import { faceLandmarks } from '../../native-helper/src/faces/landmarks';
import type { PixelImage } from '../../native-helper/src/imaging/pixel-image';
import type { Rect } from '../../native-helper/src/imaging/rect';
import { resampleImage } from '../../native-helper/src/imaging/resample';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'images');
/** A loose box around astronaut.png's face, reaching down to the collar as a detector's might. */
const ASTRONAUT_BOX: Rect = { x: 170, y: 70, width: 120, height: 140 };
const CAMERA_BOX: Rect = { x: 185, y: 100, width: 75, height: 100 };

/** Where the features are in astronaut.png, placed by eye on the photo at 3× (pupils, nose tip, lip corners). */
const ASTRONAUT_FEATURES = {
  leftEye: { x: 203, y: 101 },
  rightEye: { x: 248, y: 103 },
  nose: { x: 222, y: 131 },
  leftMouth: { x: 200, y: 139 },
  rightMouth: { x: 247, y: 141 },
};

describe('face landmarks and identity embedding (FaceMesh, FaceRes)', () => {
  const engine = new Engine({ provider: 'cpu' });
  let mesh: AnalysisModel;
  let description: AnalysisModel;
  let astronaut: PixelImage;

  beforeAll(async () => {
    // Built by `mend models prepare` (as `npm test` runs it), or here on first use.
    mesh = await loadAnalysisModel(engine, FACE_MESH, await readyFaceModel('face-mesh', modelCacheDir()));
    description = await loadAnalysisModel(engine, FACE_DESCRIPTION, await readyFaceModel('face-description', modelCacheDir()));
    astronaut = (await decodeImageFile(path.join(FIXTURES, 'astronaut.png'))).image;
  }, 600_000);
  afterAll(() => engine.close());

  it("puts the 468 points on astronaut.png's face and the five points on its eyes, nose and mouth", async () => {
    const { mesh: points, five, score } = await faceLandmarks(mesh, astronaut, ASTRONAUT_BOX);
    expect(points).toHaveLength(468);
    expect(score).toBeGreaterThan(0.9);
    // The mesh reaches a little above the box, to the hairline.
    const inside = points.filter(
      (p) => p.x >= ASTRONAUT_BOX.x && p.x <= ASTRONAUT_BOX.x + ASTRONAUT_BOX.width && p.y >= ASTRONAUT_BOX.y - 10 && p.y <= ASTRONAUT_BOX.y + ASTRONAUT_BOX.height,
    );
    expect(inside).toHaveLength(468);
    expect(Math.max(five.leftEye.y, five.rightEye.y)).toBeLessThan(five.nose.y);
    expect(five.nose.y).toBeLessThan(Math.min(five.leftMouth.y, five.rightMouth.y));
    expect(five.leftEye.x).toBeLessThan(five.rightEye.x);
    expect(five.leftMouth.x).toBeLessThan(five.rightMouth.x);
    const off = Object.fromEntries(
      Object.entries(ASTRONAUT_FEATURES).map(([key, p]) => [key, Math.hypot(five[key as keyof typeof five].x - p.x, five[key as keyof typeof five].y - p.y)]),
    );
    for (const distance of Object.values(off)) expect(distance).toBeLessThan(4);
  });

  it('finds the same points on a copy shrunk ×2, in the copy’s own coordinates', async () => {
    const half = resampleImage(astronaut, 256, 256);
    const full = await faceLandmarks(mesh, astronaut, ASTRONAUT_BOX);
    const small = await faceLandmarks(mesh, half, { x: 85, y: 35, width: 60, height: 70 });
    for (const key of ['leftEye', 'rightEye', 'nose'] as const) {
      // Pixel centres at integers: x in the copy is (x + ½)·2 − ½ in the original.
      expect(Math.hypot((small.five[key].x + 0.5) * 2 - 0.5 - full.five[key].x, (small.five[key].y + 0.5) * 2 - 0.5 - full.five[key].y)).toBeLessThan(4);
    }
  });

  it('rates the face against its JPEG copy as the same person, and against another face as not', async () => {
    const landmarks = await faceLandmarks(mesh, astronaut, ASTRONAUT_BOX);
    const clean = await faceEmbedding(description, astronaut, landmarks);
    const compressed = await faceEmbedding(description, await jpegRoundTrip(astronaut, 30), landmarks);
    const camera = (await decodeImageFile(path.join(FIXTURES, 'camera.png'))).image;
    const other = await faceEmbedding(description, camera, await faceLandmarks(mesh, camera, CAMERA_BOX));
    expect(clean).toHaveLength(1024);
    expect(Math.hypot(...clean)).toBeCloseTo(1, 5);
    const same = identitySimilarity(clean, compressed);
    const different = identitySimilarity(clean, other);
    expect(same).toBeGreaterThan(IDENTITY_THRESHOLD);
    expect(different).toBeLessThan(IDENTITY_THRESHOLD);
    expect(same).toBeGreaterThan(different);
  });
});
