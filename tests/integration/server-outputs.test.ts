import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp, type MendApp } from '../../native-helper/src/app';
import { createImage, type PixelImage } from '../../native-helper/src/imaging/pixel-image';
import { routes, type ErrorBody, type JobEvent, type JobOptions } from '../../native-helper/src/protocol';
import { startServer, type RunningServer } from '../../native-helper/src/server/server';
import type { ExtraOutput, TaskRunner } from '../../native-helper/src/tasks/types';
import { serverClient } from '../helpers/server-jobs';
import { standardTinyModels, writeUserModels } from '../helpers/tiny-models';
import { nearest } from '../unit/cli/fake-app';

const rgb = (width: number, height: number) => ({ width, height, channels: 3 as const, bitDepth: 8 as const, maxValue: 255 });

function gradient(width: number, height: number): PixelImage {
  const image = createImage(width, height, 3, 8);
  image.data.forEach((_, i) => (image.data[i] = (i * 13) % 256));
  return image;
}

/** `image` with `shift` added to every sample (mod 256): tells the variants apart. */
function shifted(image: PixelImage, shift: number): PixelImage {
  const out = createImage(image.width, image.height, image.channels, 8);
  image.data.forEach((v, i) => (out.data[i] = (v + shift) % 256));
  return out;
}

/**
 * Answers a compare job's variant i as the source + 10·i, and an upscale's map of invented detail as the
 * source's first channel: outputs one can tell apart, of two layouts.
 */
const outputsRunner: TaskRunner = async ({ options, image }) => {
  const extraOutputs: ExtraOutput[] =
    options.task === 'compare'
      ? options.variants.slice(1).map((_, i) => ({ kind: 'variant', label: `fake · detail ${i + 1}`, models: ['fake'], image: shifted(image, 10 * (i + 1)) }))
      : options.task === 'upscale' && options.inventedDetailMap
        ? [
            {
              kind: 'invented-detail',
              label: 'Invented detail',
              models: ['fake'],
              image: { ...createImage(image.width, image.height, 1, 8), data: image.data.filter((_, i) => i % 3 === 0) },
            },
          ]
        : [];
  const main = { kind: options.task === 'compare' ? ('variant' as const) : ('result' as const), label: 'fake · detail 0', models: ['fake'] };
  return { image: shifted(image, 0), models: ['fake'], provider: 'cpu', tiles: 1, width: image.width, height: image.height, main, extraOutputs };
};

const fakeApp: MendApp = {
  runTask: outputsRunner,
  streamTask: () => Promise.reject(new Error('the server does not stream')),
  listModels: async () => [],
  upscalerScale: () => 1,
  engineInfo: async () => ({ provider: 'cpu', available: ['cpu'] }),
  close: async () => undefined,
};

describe('helper server: jobs with several outputs', () => {
  let configDir: string;
  let server: RunningServer;
  let client: ReturnType<typeof serverClient>;

  beforeAll(async () => {
    configDir = mkdtempSync(path.join(tmpdir(), 'mend-server-outputs-'));
    server = await startServer(fakeApp, { port: 0, configDir });
    client = serverClient(server, configDir);
  });
  afterAll(async () => {
    await server.close();
    rmSync(configDir, { recursive: true, force: true });
  });

  const compare: JobOptions = {
    task: 'compare',
    variants: [
      { task: 'upscale', detail: 0 },
      { task: 'upscale', detail: 1 },
      { task: 'upscale', detail: 2 },
    ],
  };
  const errorOf = async (response: Response) => ((await response.json()) as ErrorBody).error;

  /** Runs a job to its end; answers its id and its `done` event. */
  async function finished(options: JobOptions, image: PixelImage): Promise<{ id: string } & Extract<JobEvent, { type: 'done' }>> {
    const job = await client.submit(options, image);
    const last = (await client.events(job.id)).pop();
    if (last?.type !== 'done') throw new Error(`the job ended ${JSON.stringify(last)}`);
    return { id: job.id, ...last };
  }

  it('lists every output of a compare job in its summary, main first, and serves each with ?output=i, whole or in bands', async () => {
    const image = gradient(5, 4);
    const done = await finished(compare, image);
    expect(done.image).toEqual(rgb(5, 4));
    expect(done.summary.outputs).toEqual([
      { kind: 'variant', label: 'fake · detail 0', models: ['fake'], image: rgb(5, 4) },
      { kind: 'variant', label: 'fake · detail 1', models: ['fake'], image: rgb(5, 4) },
      { kind: 'variant', label: 'fake · detail 2', models: ['fake'], image: rgb(5, 4) },
    ]);
    const second = await client.result(done.id, undefined, 1);
    expect(second.header.image).toEqual(rgb(5, 4));
    expect(Array.from(second.pixels)).toEqual(Array.from(shifted(image, 10).data));
    const third = await client.result(done.id, { top: 1, rows: 3 }, 2);
    expect(third.header.band).toEqual({ top: 1, rows: 3 });
    expect(Array.from(third.pixels)).toEqual(Array.from(shifted(image, 20).data.subarray(15)));
    expect(Array.from((await client.result(done.id)).pixels)).toEqual(Array.from(image.data));
  });

  it("serves the map of invented detail in its own layout, one channel at the result's size", async () => {
    const image = gradient(6, 2);
    const done = await finished({ task: 'upscale', inventedDetailMap: true }, image);
    expect(done.summary.outputs?.map((o) => [o.kind, o.label, o.image])).toEqual([
      ['result', 'fake · detail 0', rgb(6, 2)],
      ['invented-detail', 'Invented detail', { width: 6, height: 2, channels: 1, bitDepth: 8, maxValue: 255 }],
    ]);
    const map = await client.result(done.id, undefined, 1);
    expect(Array.from(map.pixels)).toEqual(Array.from(image.data.filter((_, i) => i % 3 === 0)));
  });

  it('refuses an output the job does not have, saying which there are', async () => {
    const many = await finished(compare, gradient(3, 3));
    const past = await client.api(routes.jobResult(many.id, undefined, 3));
    expect(past.status).toBe(400);
    expect(await errorOf(past)).toEqual({ code: 'bad_request', message: `job ${many.id} answers 3 outputs (its summary's outputs): give output=0 to 2` });
    const notANumber = await client.api(`${routes.job(many.id)}/result?output=first`);
    expect(notANumber.status).toBe(400);
    expect((await errorOf(notANumber)).message).toMatch(/output: must be the index of one of the summary’s outputs/);

    const one = await finished({ task: 'upscale' }, gradient(3, 3));
    expect(one.summary.outputs).toBeUndefined();
    const none = await client.api(routes.jobResult(one.id, undefined, 1));
    expect(none.status).toBe(400);
    expect((await errorOf(none)).message).toBe(`job ${one.id} answers one output: leave out output, or give output=0`);
  });

  it('keeps every output until each row of each has been sent, then frees them all', async () => {
    const image = gradient(4, 6);
    const done = await finished(compare, image);
    await client.result(done.id);
    // The main result went out whole, but the other variants have not: it can still be fetched.
    expect(Array.from((await client.result(done.id, { top: 0, rows: 2 })).pixels)).toEqual(Array.from(image.data.subarray(0, 24)));
    await client.result(done.id, undefined, 1);
    await client.result(done.id, { top: 3, rows: 3 }, 2);
    expect((await client.result(done.id, { top: 0, rows: 2 }, 2)).pixels).toHaveLength(24);
    // Row 2 of the last variant is the one row not sent yet.
    await client.result(done.id, { top: 2, rows: 1 }, 2);
    for (const output of [0, 1, 2]) {
      const gone = await client.api(routes.jobResult(done.id, undefined, output));
      expect(gone.status).toBe(410);
    }
  });
});

/** The real helper (queue, tasks, engine) on tiny models; the fidelity base of ×4 is the shipped esrgan-thick-x4. */
describe('helper server: detail strength, map and compare on real models', () => {
  let configDir: string;
  let app: MendApp;
  let server: RunningServer;
  let client: ReturnType<typeof serverClient>;

  beforeAll(async () => {
    configDir = mkdtempSync(path.join(tmpdir(), 'mend-server-detail-'));
    writeUserModels(configDir, standardTinyModels());
    app = await createApp({ provider: 'cpu', configDir });
    server = await startServer(app, { port: 0, configDir });
    client = serverClient(server, configDir);
  });
  afterAll(async () => {
    await server.close();
    await app.close();
    rmSync(configDir, { recursive: true, force: true });
  });

  it('upscales at detail 0.5 with the map: progress over both models, the result and a one-channel map', async () => {
    const image = gradient(24, 16);
    const job = await client.submit({ task: 'upscale', model: 'tiny-nearest-x4', detail: 0.5, inventedDetailMap: true, tile: 32 }, image);
    const events = await client.events(job.id);
    const done = events.pop();
    if (done?.type !== 'done') throw new Error(`the job ended ${JSON.stringify(done)}`);
    // Past the job's state when the socket opened (which may still read "queued"), one stage per model.
    const stages = [...new Set(events.flatMap((e) => (e.type === 'progress' && e.stage !== 'queued' ? [e.stage] : [])))];
    expect(stages).toEqual(['tiny-nearest-x4', 'esrgan-thick-x4']);
    expect(done.summary.models).toEqual(['tiny-nearest-x4', 'esrgan-thick-x4']);
    expect(done.summary.outputs?.map((o) => [o.kind, o.label, o.image.width, o.image.height, o.image.channels])).toEqual([
      ['result', 'tiny-nearest-x4 · detail 0.5', 96, 64, 3],
      ['invented-detail', 'Invented detail', 96, 64, 1],
    ]);
    const result = await client.result(job.id);
    const map = await client.result(job.id, undefined, 1);
    expect(result.pixels).toHaveLength(96 * 64 * 3);
    expect(map.pixels).toHaveLength(96 * 64);
    // Nearest-neighbour blocks are far from what the fidelity model makes: the map marks some of them.
    expect(Math.max(...map.pixels)).toBeGreaterThan(0);
  });

  it('runs a compare job on the one source sent: each model one output, in order', async () => {
    const image = gradient(20, 12);
    const job = await client.submit(
      {
        task: 'compare',
        variants: [
          { task: 'upscale', model: 'tiny-nearest-x4' },
          { task: 'upscale', model: 'tiny-shuffle-x4' },
        ],
      },
      image,
    );
    const done = (await client.events(job.id)).pop();
    if (done?.type !== 'done') throw new Error(`the job ended ${JSON.stringify(done)}`);
    expect(done.summary.outputs?.map((o) => [o.kind, o.label, o.models])).toEqual([
      ['variant', 'tiny-nearest-x4', ['tiny-nearest-x4']],
      ['variant', 'tiny-shuffle-x4', ['tiny-shuffle-x4']],
    ]);
    expect(Buffer.from((await client.result(job.id)).pixels).equals(Buffer.from(nearest(image, 4).data))).toBe(true);
    expect((await client.result(job.id, undefined, 1)).pixels).toHaveLength(80 * 48 * 3);
  });
});
