import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { modelCacheDir } from '../../native-helper/src/app';
import type { FaceJson } from '../../native-helper/src/cli/faces-command';
import { Engine } from '../../native-helper/src/engine/engine';
import { detectFaces, loadFaceDetector } from '../../native-helper/src/faces/detect-faces';
import { readyFaceModel } from '../../native-helper/src/faces/face-models';
import { FACE_SOURCES, pasteFaces } from '../../models/scripts/pasted-faces';
import { runMend } from '../helpers/run-mend';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'images');

/** BlazeFace (built by `mend models prepare`, else on first use) on the fixtures' faces and on faces pasted at known places. */
describe('mend faces', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 'mend-faces-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  async function facesIn(photo: string): Promise<FaceJson[]> {
    const result = await runMend(work, 'faces', path.join(FIXTURES, photo), '--json');
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout).faces;
  }

  it("finds the astronaut's face where it is, with eyes above the nose above the mouth", async () => {
    const faces = await facesIn('astronaut.png');
    expect(faces).toHaveLength(1);
    const [{ box, keypoints: k, score }] = faces;
    // Her face spans about x 175–280, y 70–180 of the 512² photo.
    expect(box.x + box.width / 2).toBeGreaterThan(210);
    expect(box.x + box.width / 2).toBeLessThan(240);
    expect(box.y + box.height / 2).toBeGreaterThan(110);
    expect(box.y + box.height / 2).toBeLessThan(140);
    expect(box.width).toBeGreaterThan(85);
    expect(box.width).toBeLessThan(130);
    expect(score).toBeGreaterThan(0.8);
    // Her right eye is on the image's left.
    expect(k.rightEye.x).toBeLessThan(k.leftEye.x - 30);
    expect(Math.max(k.rightEye.y, k.leftEye.y)).toBeLessThan(k.noseTip.y);
    expect(k.noseTip.y).toBeLessThan(k.mouth.y);
  });

  it('finds the cameraman, and no face among tulips or on a coffee table', async () => {
    const [man, ...others] = await facesIn('camera.png');
    expect(others).toHaveLength(0);
    expect(Math.abs(man.box.x + man.box.width / 2 - 221)).toBeLessThan(15);
    expect(Math.abs(man.box.y + man.box.height / 2 - 161)).toBeLessThan(15);
    expect(await facesIn('portrait_alpha.png')).toEqual([]);
    expect(await facesIn('coffee.png')).toEqual([]);
  });

  it('prints each face readably without --json', async () => {
    const result = await runMend(work, 'faces', path.join(FIXTURES, 'astronaut.png'));
    expect(result.stdout).toMatch(/^astronaut\.png \(512×512\): 1 face\n {2}1\. box \d+,\d+ \d+×\d+ {2}score 0\.\d\d\n {5}eyes \(\d+, \d+\) \(\d+, \d+\) {2}nose/);
  });

  it('says what is wrong with a missing file or one that is not an image', async () => {
    const missing = await runMend(work, 'faces', path.join(work, 'nope.png'));
    expect([missing.code, missing.stderr]).toEqual([3, expect.stringMatching(/nope\.png: no such file/)]);
    writeFileSync(path.join(work, 'notes.png'), 'not a picture');
    const text = await runMend(work, 'faces', path.join(work, 'notes.png'));
    expect([text.code, text.stderr]).toEqual([3, expect.stringMatching(/notes\.png: not a readable PNG or JPEG image/)]);
  });

  it('finds a 28 px face and a 400 px face pasted into a photo, where they were pasted', async () => {
    const engine = new Engine({ provider: 'cpu' });
    try {
      const detector = await loadFaceDetector(engine, await readyFaceModel('blazeface-256', modelCacheDir()));
      const small = { source: FACE_SOURCES[0], mirrored: false, side: 28, x: 700, y: 150 };
      const large = { source: FACE_SOURCES[0], mirrored: true, side: 400, x: 150, y: 240 };
      const faces = await detectFaces(detector, await pasteFaces('street_500.png', 1024, 768, [small, large]));
      expect(faces).toHaveLength(2);
      for (const pasted of [small, large]) {
        const found = faces.find((f) => Math.abs(f.box.x + f.box.width / 2 - (pasted.x + pasted.side / 2)) < pasted.side * 0.15);
        expect(found?.box.width).toBeGreaterThan(pasted.side * 0.8);
        expect(found?.box.width).toBeLessThan(pasted.side * 1.25);
        expect(Math.abs((found?.box.y ?? 0) + (found?.box.height ?? 0) / 2 - (pasted.y + pasted.side / 2))).toBeLessThan(pasted.side * 0.15);
      }
    } finally {
      await engine.close();
    }
  });
});
