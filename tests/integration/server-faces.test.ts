import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp, type MendApp } from '../../native-helper/src/app';
import { decodeImageFile } from '../../native-helper/src/codecs/image-file';
import type { PixelImage } from '../../native-helper/src/imaging/pixel-image';
import { FACE_THUMBNAIL_SIDE, type JobEvent, type JobOptions } from '../../native-helper/src/protocol';
import { startServer, type RunningServer } from '../../native-helper/src/server/server';
import { runMend } from '../helpers/run-mend';
import { serverClient } from '../helpers/server-jobs';
import { faceRestorerLikeModel } from '../helpers/tiny-models';

const fixture = (name: string) => path.resolve('tests/fixtures/images', name);

/** find-faces and restore-faces through `mend serve`'s routes: the real queue, BlazeFace, FaceMesh, FaceRes and a tiny face model. */
describe('helper server: face jobs', () => {
  let configDir: string;
  let app: MendApp;
  let server: RunningServer;
  let client: ReturnType<typeof serverClient>;
  let astronaut: PixelImage;

  beforeAll(async () => {
    configDir = mkdtempSync(path.join(tmpdir(), 'mend-server-faces-'));
    writeFileSync(path.join(configDir, 'gfpgan.onnx'), faceRestorerLikeModel({ side: 512 }));
    expect((await runMend(configDir, 'models', 'add', path.join(configDir, 'gfpgan.onnx'), '--task', 'face', '--id', 'tiny-gfpgan')).code).toBe(0);
    app = await createApp({ provider: 'cpu', configDir });
    server = await startServer(app, { port: 0, configDir });
    client = serverClient(server, configDir);
    astronaut = (await decodeImageFile(fixture('astronaut.png'))).image;
  });
  afterAll(async () => {
    await server.close();
    await app.close();
    rmSync(configDir, { recursive: true, force: true });
  });

  async function ended(options: JobOptions, image: PixelImage): Promise<{ id: string; last: JobEvent | undefined }> {
    const job = await client.submit(options, image);
    return { id: job.id, last: (await client.events(job.id)).pop() };
  }

  it('finds the astronaut’s face, answers its thumbnail, then restores the chosen face: the pasted image and its mask, identity reported', async () => {
    const found = await ended({ task: 'find-faces' }, astronaut);
    if (found.last?.type !== 'done') throw new Error(`find-faces ended ${JSON.stringify(found.last)}`);
    const faces = found.last.summary.faces ?? [];
    expect(faces).toHaveLength(1);
    expect(faces[0].box.x + faces[0].box.width / 2).toBeGreaterThan(200);
    expect(faces[0].box.x + faces[0].box.width / 2).toBeLessThan(250);
    const thumbnail = await client.result(found.id);
    expect(thumbnail.header.image).toEqual({ width: FACE_THUMBNAIL_SIDE, height: FACE_THUMBNAIL_SIDE, channels: 3, bitDepth: 8, maxValue: 255 });
    expect(Math.max(...thumbnail.pixels) - Math.min(...thumbnail.pixels)).toBeGreaterThan(100);

    const restored = await ended({ task: 'restore-faces', faces: [faces[0].box], strength: 1 }, astronaut);
    if (restored.last?.type !== 'done') throw new Error(`restore-faces ended ${JSON.stringify(restored.last)}`);
    const { summary } = restored.last;
    expect(summary.outputs?.map((o) => [o.kind, o.label, o.image.channels])).toEqual([
      ['result', 'tiny-gfpgan', astronaut.channels],
      ['face-mask', 'Face regions', 1],
    ]);
    expect(summary.faces).toEqual([{ box: faces[0].box, score: faces[0].score, identity: expect.any(Number), mayNotLookLikeSamePerson: expect.any(Boolean) }]);
    const image = (await client.result(restored.id)).pixels;
    const mask = (await client.result(restored.id, undefined, 1)).pixels;
    let inMask = 0;
    let changedInMask = 0;
    const { channels } = astronaut;
    for (let p = 0; p < mask.length; p++) {
      const changed = [...Array(channels).keys()].some((c) => image[p * channels + c] !== astronaut.data[p * channels + c]);
      if (mask[p] === 255) {
        inMask++;
        if (changed) changedInMask++;
      } else if (changed) throw new Error(`pixel ${p} changed outside the face mask`);
    }
    expect(inMask).toBeGreaterThan(2000);
    expect(changedInMask).toBeGreaterThan(inMask / 2);
  });

  it('fails a find-faces job on a photo without a face, saying so', async () => {
    const tulips = (await decodeImageFile(fixture('portrait_alpha.png'))).image;
    const { last } = await ended({ task: 'find-faces' }, tulips);
    expect(last).toEqual({ type: 'failed', error: { code: 'bad_input', message: expect.stringMatching(/^no face was found/) } });
  });
});
