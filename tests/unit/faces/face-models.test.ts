import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sourceDir } from '../../../native-helper/src/catalog/sources';
import { FACE_MODELS, faceModelStatus, prepareFaceModel, readyFaceModel } from '../../../native-helper/src/faces/face-models';

/** A source package already unpacked and marked verified in a scratch sources cache, so nothing is downloaded. */
describe('face model registry', () => {
  const model = FACE_MODELS['blazeface-256'];
  const spec = model.source.package;
  const pins = { [spec]: { integrity: 'sha512-test', license: 'test', use: 'test' } };
  let work: string;
  let sourcesDir: string;
  let cacheDir: string;

  function unpack(files: Record<string, string>): void {
    const dir = sourceDir(spec, sourcesDir);
    mkdirSync(path.join(dir, 'ONNX'), { recursive: true });
    writeFileSync(path.join(dir, '.mend-verified'), 'sha512-test');
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  }

  beforeEach(() => {
    work = mkdtempSync(path.join(tmpdir(), 'mend-face-models-'));
    sourcesDir = path.join(work, 'sources');
    cacheDir = path.join(work, 'onnx');
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  it('refuses a file whose sha256 is not the pinned one, and writes nothing', async () => {
    unpack({ [model.source.file]: 'not the model' });
    await expect(prepareFaceModel(model, cacheDir, { pins, sourcesDir })).rejects.toThrow(
      /blazeface-256\.onnx gave sha256 [0-9a-f]{64}, but faces\/face-models\.ts pins 427cbbe0.*refusing/,
    );
    expect(await faceModelStatus(model, cacheDir)).toBe('not-built');
    expect(readdirSync(work)).toEqual(['sources']);
  });

  it('says which file the package lacks, and on first use what to run', async () => {
    unpack({});
    await expect(readyFaceModel('blazeface-256', cacheDir, { pins, sourcesDir })).rejects.toMatchObject({
      code: 'model_missing',
      message: expect.stringMatching(/blazeface-256 is not built.*has no ONNX\/face_detection_back_256x256_barracuda\.onnx.*run `mend models prepare`/),
    });
  });

  it("says which TF.js graph a converted model's package lacks", async () => {
    const mesh = FACE_MODELS['face-mesh'];
    const meshPins = { [mesh.source.package]: { integrity: 'sha512-test', license: 'test', use: 'test' } };
    const dir = sourceDir(mesh.source.package, sourcesDir);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, '.mend-verified'), 'sha512-test');
    await expect(readyFaceModel('face-mesh', cacheDir, { pins: meshPins, sourcesDir })).rejects.toMatchObject({
      code: 'model_missing',
      message: expect.stringMatching(/face-mesh is not built.*models\/facemesh\.json/),
    });
  });

  it('tells a damaged cached file from a missing one', async () => {
    expect(await faceModelStatus(model, cacheDir)).toBe('not-built');
    mkdirSync(cacheDir);
    writeFileSync(path.join(cacheDir, model.file), 'damaged');
    expect(await faceModelStatus(model, cacheDir)).toBe('corrupt');
  });
});
