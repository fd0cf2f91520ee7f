import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { createApp, type MendApp } from '../../native-helper/src/app';
import { startServer, type RunningServer } from '../../native-helper/src/server/server';
import { HelperClient, HelperError, type SocketFactory } from '../../plugin/src/helper-client/helper-client';
import { convUpscaleModel, writeUserModels } from '../helpers/tiny-models';

/** The panel's protocol client against a real helper (server, queue, engine, catalog) running tiny models. */
describe('panel helper client against a real helper', () => {
  let configDir: string;
  let app: MendApp;
  let server: RunningServer;
  const sockets: SocketFactory = (url) => new WebSocket(url) as unknown as ReturnType<SocketFactory>;

  beforeAll(async () => {
    configDir = mkdtempSync(path.join(tmpdir(), 'mend-client-'));
    writeUserModels(configDir, [{ id: 'tiny-conv5-x2', task: 'upscale', scale: 2, bytes: convUpscaleModel(2), overlap: 4 }]);
    app = await createApp({ provider: 'cpu', configDir });
    server = await startServer(app, { port: 0, configDir });
  });
  afterAll(async () => {
    await server.close();
    await app.close();
    rmSync(configDir, { recursive: true, force: true });
  });

  const image = (w: number, h: number) => Uint8Array.from({ length: w * h * 4 }, (_, i) => (i % 4 === 3 ? 255 : (i * 37) % 256));
  const header = (w: number, h: number, tile = 32) => ({
    options: { task: 'upscale' as const, model: 'tiny-conv5-x2', tile },
    image: { width: w, height: h, channels: 4 as const, bitDepth: 8 as const, maxValue: 255 },
  });

  it('pairs with the printed code, then runs a job with progress and gets the pixels back', async () => {
    const client = new HelperClient(server.url, undefined, sockets);
    await expect(client.info()).rejects.toMatchObject({ code: 'not_paired' });
    await client.pair(server.pairingCode);
    expect((await client.info()).provider.name).toBe('cpu');

    const progress: number[] = [];
    const result = await client.runJob(header(70, 50), image(70, 50), undefined, { onProgress: (p) => progress.push(p.done) });
    expect(result.header.image).toMatchObject({ width: 140, height: 100, channels: 4, bitDepth: 8 });
    expect(result.pixels.byteLength).toBe(140 * 100 * 4);
    expect(result.pixels[3]).toBe(255);
    expect(progress[progress.length - 1]).toBe(6);
    expect(result.header.summary.models).toEqual(['tiny-conv5-x2']);
  });

  it('cancels a running job when the panel aborts', async () => {
    const client = new HelperClient(server.url, undefined, sockets);
    await client.pair(server.pairingCode);
    const controller = new AbortController();
    const job = client.runJob(header(600, 400), image(600, 400), undefined, {
      signal: controller.signal,
      onProgress: ({ done }) => done >= 1 && controller.abort(),
    });
    await expect(job).rejects.toMatchObject({ code: 'cancelled' });
    // The helper is free again for the next job.
    await expect(client.runJob(header(20, 20), image(20, 20), undefined)).resolves.toBeDefined();
  });

  it('says how to start the helper when it is not running, and reports a job failure in words', async () => {
    const offline = new HelperClient('http://127.0.0.1:9', 'token', sockets);
    const error = (await offline.info().catch((e: unknown) => e)) as HelperError;
    expect(error.code).toBe('not_running');
    expect(error.message).toMatch(/npm start|mend serve/);

    const client = new HelperClient(server.url, undefined, sockets);
    await client.pair(server.pairingCode);
    const missing = { ...header(8, 8), options: { task: 'upscale' as const, model: 'no-such-model' } };
    await expect(client.runJob(missing, image(8, 8), undefined)).rejects.toMatchObject({ code: 'job_failed', message: expect.stringMatching(/no model "no-such-model"/) });
  });
});
