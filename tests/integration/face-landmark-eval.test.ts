import path from 'node:path';
import { modelCacheDir } from '../../native-helper/src/app';
import { decodeImageFile } from '../../native-helper/src/codecs/image-file';
import { Engine } from '../../native-helper/src/engine/engine';
import type { GraphSession } from '../../native-helper/src/engine/inference-engine';
import { fivePointError } from '../../native-helper/src/eval/face-landmark-error';
import { type AnalysisModel, loadAnalysisModel } from '../../native-helper/src/faces/analysis-model';
import { FACE_MESH } from '../../native-helper/src/faces/analysis-models';
import { loadFaceDetector } from '../../native-helper/src/faces/detect-faces';
import { readyFaceModel } from '../../native-helper/src/faces/face-models';
import { applySimilarity, type Point } from '../../native-helper/src/faces/similarity';
import type { PixelImage } from '../../native-helper/src/imaging/pixel-image';
import { alignmentPoints, COPIES } from '../../models/scripts/eval-face-landmarks';

const FACE_NEAR: Point = { x: 225, y: 125 };

describe('landmark error after alignment (models/scripts/eval-face-landmarks.ts)', () => {
  const engine = new Engine({ provider: 'cpu' });
  let detector: GraphSession;
  let mesh: AnalysisModel;
  let astronaut: PixelImage;
  let reference: Point[];

  beforeAll(async () => {
    detector = await loadFaceDetector(engine, await readyFaceModel('blazeface-256', modelCacheDir()));
    mesh = await loadAnalysisModel(engine, FACE_MESH, await readyFaceModel('face-mesh', modelCacheDir()));
    astronaut = (await decodeImageFile(path.join(__dirname, '..', 'fixtures', 'images', 'astronaut.png'))).image;
    reference = (await alignmentPoints(detector, mesh, astronaut, FACE_NEAR)) as Point[];
  }, 600_000);
  afterAll(() => engine.close());

  it.each(['rotate 10°', '×2 smaller'])("finds astronaut's five points on a copy (%s) where the known transform put them, within 5 %% of the eye distance", async (id) => {
    const copy = COPIES.find((c) => c.id === id);
    if (!copy) throw new Error(`no copy ${id}`);
    const { image, applied } = await copy.make(astronaut, FACE_NEAR);
    const found = await alignmentPoints(detector, mesh, image, applySimilarity(applied, FACE_NEAR));
    expect(found).toHaveLength(5);
    expect(fivePointError(found as Point[], reference, applied).meanShare).toBeLessThan(0.05);
  });
});
