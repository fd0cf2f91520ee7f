import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { createApp } from '../../native-helper/src/app';
import { PREPARE_CONVERT_STAGE, type JobEvent } from '../../native-helper/src/protocol';
import { startServer } from '../../native-helper/src/server/server';
import { runMend } from '../helpers/run-mend';
import { serverClient } from '../helpers/server-jobs';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'images');

async function meanOf(file: string): Promise<number> {
  const { channels } = await sharp(file).stats();
  return channels.slice(0, 3).reduce((sum, c) => sum + c.mean, 0) / 3;
}

/**
 * A MAXIM model end to end: prepared on first use from its pinned package (the 2-stage low-light one, the
 * fastest), then run by `mend restore` on a small dark photo, at its 128² export in one run.
 */
describe('MAXIM low light through the CLI', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 'mend-maxim-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('is prepared by `mend models prepare maxim-lowlight`, then brightens a dark 100×70 photo', async () => {
    const prepared = await runMend(work, 'models', 'prepare', 'maxim-lowlight', '--json');
    expect(prepared.code).toBe(0);
    const { stdout } = await runMend(work, 'models', '--json');
    expect(JSON.parse(stdout)).toContainEqual(expect.objectContaining({ id: 'maxim-lowlight', status: 'ready' }));

    const dark = path.join(work, 'dark.png');
    await sharp(path.join(FIXTURES, 'coffee.png')).resize(100, 70).linear(0.25, 0).png().toFile(dark);
    const out = path.join(work, 'lit.png');
    const restored = await runMend(work, 'restore', dark, '-o', out, '--model', 'maxim-lowlight', '--json');
    expect(restored.code).toBe(0);
    expect(JSON.parse(restored.stdout).results[0]).toMatchObject({ outputWidth: 100, outputHeight: 70, models: ['maxim-lowlight'] });
    const meta = await sharp(out).metadata();
    expect([meta.width, meta.height, meta.channels]).toEqual([100, 70, 3]);
    const [before, after] = [await meanOf(dark), await meanOf(out)];
    // Clearly brighter, and not blown out to white.
    expect(after).toBeGreaterThan(before * 1.5);
    expect(after).toBeLessThan(200);
  });

  it('is prepared inside a panel job while the server keeps answering; a cancel during the conversion leaves no file', async () => {
    const previous = process.env.MEND_MODEL_CACHE;
    const cache = path.join(work, 'onnx');
    process.env.MEND_MODEL_CACHE = cache;
    const app = await createApp({ provider: 'cpu' });
    const configDir = path.join(work, 'config');
    const server = await startServer(app, { port: 0, configDir });
    try {
      const client = serverClient(server, configDir);
      const converting = (event: JobEvent) => event.type === 'progress' && event.stage === PREPARE_CONVERT_STAGE;

      // Cancelled while its first file converts, after the server has answered meanwhile.
      const cancelled = await client.restore('maxim-lowlight', 100, 70);
      const cancelledEvents = await client.events(cancelled.id, (event) => {
        if (converting(event) && event.type === 'progress' && event.done === 0) void client.info().then(() => client.cancel(cancelled.id));
      });
      expect(cancelledEvents[cancelledEvents.length - 1].type).toBe('cancelled');
      // Stopped during its first file: nothing at all is written.
      expect(existsSync(cache) ? readdirSync(cache) : []).toEqual([]);
      expect((await client.info()).models.find((m) => m.id === 'maxim-lowlight')?.status).toBe('available');

      // Prepared in full by the next job; /v1/info is asked over and over during the conversion, and answers.
      const job = await client.restore('maxim-lowlight', 100, 70);
      let stage = '';
      const answeredWhileConverting: number[] = [];
      let asking = true;
      const ask = async () => {
        while (asking) {
          await client.info();
          if (stage === PREPARE_CONVERT_STAGE) answeredWhileConverting.push(Date.now());
        }
      };
      const asked = ask();
      const events = await client.events(job.id, (event) => {
        if (event.type === 'progress') stage = event.stage;
      });
      asking = false;
      await asked;
      expect(events[events.length - 1]).toMatchObject({ type: 'done', image: { width: 100, height: 70 } });
      expect(answeredWhileConverting.length).toBeGreaterThan(0);
      expect((await client.info()).models.find((m) => m.id === 'maxim-lowlight')?.status).toBe('ready');
    } finally {
      await server.close();
      await app.close();
      process.env.MEND_MODEL_CACHE = previous;
    }
  }, 180_000);
});
