import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import type { MendApp } from '../../native-helper/src/app';
import { MendError, throwIfCancelled } from '../../native-helper/src/errors';
import { createImage } from '../../native-helper/src/imaging/pixel-image';
import {
  BAND_CONTENT_TYPE,
  FRAME_CONTENT_TYPE,
  bearer,
  decodeFrameHeader,
  encodeFrameHeader,
  jobResultHeaderSchema,
  routes,
  type ErrorBody,
  type JobEvent,
  type JobRequestHeader,
  type JobResultHeader,
  type JobStatus,
} from '../../native-helper/src/protocol';
import { startServer, type RunningServer } from '../../native-helper/src/server/server';
import type { TaskRunner } from '../../native-helper/src/tasks/types';

const TILES = 5;
const started: string[] = [];

/** Where a job of the model "gated" waits before its tiles; `closeGate` closes it and returns what opens it. */
let gate = Promise.resolve();
function closeGate(): () => void {
  let open!: () => void;
  gate = new Promise<void>((resolve) => (open = resolve));
  return open;
}

/**
 * Inverts 8-bit pixels "tile by tile"; model "fail" throws, "boom" crashes, "hold" runs one tile and waits for a
 * cancel, "gated" waits for the test's gate before its tiles.
 */
const fakeRunner: TaskRunner = async (input, context) => {
  const model = 'model' in input.options ? input.options.model : undefined;
  started.push(model ?? '');
  if (model === 'fail') throw new MendError('model_missing', 'the model fail is not built yet');
  if (model === 'boom') throw new TypeError('cannot read properties of undefined');
  if (model === 'hold') {
    context.onProgress({ done: 1, total: TILES, stage: 'fake' });
    await new Promise((resolve) => context.signal.addEventListener('abort', resolve));
    throwIfCancelled(context.signal);
  }
  if (model === 'gated') await gate;
  for (let done = 0; done < TILES; done++) {
    throwIfCancelled(context.signal);
    context.onProgress({ done: done + 1, total: TILES, stage: 'fake' });
  }
  const image = createImage(input.image.width, input.image.height, input.image.channels, 8);
  input.image.data.forEach((v, i) => (image.data[i] = 255 - v));
  return { image, models: [model ?? 'fake'], provider: 'cpu', tiles: TILES, width: image.width, height: image.height };
};

const fakeApp: MendApp = {
  runTask: fakeRunner,
  streamTask: () => Promise.reject(new Error('the server does not stream')),
  // The catalog's default upscaler is ×4: an upscale job without a scale makes ×4 results.
  listModels: async () => [{ id: 'fake-x4', task: 'upscale', scale: 4, path: '', sha256: '', status: 'ready', domain: 'photo', default: true }],
  upscalerScale: (model) => (model === undefined || model === 'fake-x4' ? 4 : undefined),
  engineInfo: async () => ({ provider: 'cpu', available: ['cpu'] }),
  close: async () => undefined,
};

function jobBody(model = 'fake', width = 4, height = 3): Uint8Array<ArrayBuffer> {
  const header: JobRequestHeader = { options: { task: 'restore', model }, image: { width, height, channels: 3, bitDepth: 8, maxValue: 255 } };
  const head = encodeFrameHeader(header);
  const body = new Uint8Array(head.byteLength + width * height * 3);
  body.set(head);
  for (let i = head.byteLength; i < body.length; i++) body[i] = i % 256;
  return body;
}

const rgb = (width: number, height: number) => ({ width, height, channels: 3 as const, bitDepth: 8 as const, maxValue: 255 });

/** Sends the whole request before reading anything, as a simple blocking client does; answers the status, or the socket error. */
function sendThenRead(port: number, head: string, bodyBytes: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.pause();
    let received = '';
    const done = (why: string) => resolve(received.match(/^HTTP\/1\.1 (\d+)/)?.[1] ?? why);
    socket.on('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
    socket.on('close', () => done('closed without an answer'));
    socket.on('connect', () => {
      socket.write(`${head}Content-Length: ${bodyBytes}\r\n\r\n`);
      socket.write(Buffer.alloc(bodyBytes, 7), () => {
        socket.on('data', (data: Buffer) => {
          received += data.toString('latin1');
          if (/\r\n\r\n.*\}$/s.test(received)) {
            socket.destroy();
            done('');
          }
        });
        socket.resume();
      });
    });
  });
}

describe('helper server', () => {
  let configDir: string;
  let server: RunningServer;
  let token: string;
  const logged: string[] = [];

  const api = (route: string, init: RequestInit = {}, withToken = true) =>
    fetch(`${server.url}${route}`, { ...init, headers: { ...(withToken ? { authorization: bearer(token) } : {}), ...(init.headers as Record<string, string>) } });

  async function submit(model = 'fake'): Promise<JobStatus> {
    const response = await api(routes.jobs, { method: 'POST', body: jobBody(model), headers: { 'content-type': FRAME_CONTENT_TYPE } });
    expect(response.status).toBe(202);
    return (await response.json()) as JobStatus;
  }

  function events(id: string): Promise<JobEvent[]> {
    return new Promise((resolve, reject) => {
      const seen: JobEvent[] = [];
      const socket = new WebSocket(`${server.url.replace('http', 'ws')}${routes.jobEvents(id)}?token=${token}`);
      socket.on('message', (data) => seen.push(JSON.parse(String(data)) as JobEvent));
      socket.on('close', () => resolve(seen));
      socket.on('error', reject);
    });
  }

  beforeAll(async () => {
    configDir = mkdtempSync(path.join(tmpdir(), 'mend-server-'));
    server = await startServer(fakeApp, { port: 0, configDir, bodyLimit: 64 * 1024, log: (line) => logged.push(line) });
    token = readFileSync(path.join(configDir, 'token'), 'utf8').trim();
  });
  afterAll(async () => {
    await server.close();
    rmSync(configDir, { recursive: true, force: true });
  });

  it('keeps its token in a file only the user can read, and reuses it', async () => {
    expect(statSync(path.join(configDir, 'token')).mode & 0o777).toBe(0o600);
    const again = await startServer(fakeApp, { port: 0, configDir });
    await again.close();
    expect(readFileSync(path.join(configDir, 'token'), 'utf8').trim()).toBe(token);
  });

  it('runs a job: progress events in order, then the result pixels', async () => {
    const open = closeGate();
    const job = await submit('gated');
    const listening = await listen(job.id);
    open();
    const seen = await listening.closed;
    // The job's state when the socket opened (running, no tile done), then each tile.
    const progress = seen.filter((e) => e.type === 'progress').map((e) => (e.type === 'progress' ? e.done : -1));
    expect(progress).toEqual([0, 1, 2, 3, 4, 5]);
    expect(seen[seen.length - 1].type).toBe('done');

    const response = await api(routes.jobResult(job.id));
    expect(response.headers.get('content-type')).toBe(FRAME_CONTENT_TYPE);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const { header, bodyOffset } = decodeFrameHeader(bytes, jobResultHeaderSchema);
    expect(header.image).toMatchObject({ width: 4, height: 3, channels: 3, bitDepth: 8 });
    expect(header.band).toBeUndefined();
    expect(header.summary.models).toEqual(['gated']);
    expect(seen[seen.length - 1]).toMatchObject({ type: 'done', image: header.image });
    expect(((await (await api(routes.job(job.id))).json()) as JobStatus).result).toEqual(header.image);
    const sent = jobBody('gated');
    const sentPixels = sent.subarray(sent.byteLength - 36);
    expect(Array.from(bytes.subarray(bodyOffset))).toEqual(Array.from(sentPixels, (v) => 255 - v));

    // Sent whole, the result is freed; the job stays done.
    const again = await api(routes.jobResult(job.id));
    expect(again.status).toBe(410);
    expect(((await again.json()) as ErrorBody).error).toEqual({ code: 'gone', message: expect.stringContaining('run the operation again') });
    expect(((await (await api(routes.job(job.id))).json()) as JobStatus).state).toBe('done');
  });

  it('runs jobs first in, first out; cancels a queued job at once and a running one between tiles', async () => {
    started.length = 0;
    const first = await submit('hold');
    const second = await submit('second');
    const third = await submit('third');
    expect(second.state).toBe('queued');
    const cancelledQueued = (await (await api(routes.job(second.id), { method: 'DELETE' })).json()) as JobStatus;
    expect(cancelledQueued.state).toBe('cancelled');
    const cancelledRunning = await api(routes.job(first.id), { method: 'DELETE' });
    expect(cancelledRunning.status).toBe(200);
    const firstEvents = await events(first.id);
    expect(firstEvents[firstEvents.length - 1].type).toBe('cancelled');
    const status = (await (await api(routes.job(first.id))).json()) as JobStatus;
    expect(status.progress.done).toBeLessThan(TILES);
    await events(third.id);
    expect(started).toEqual(['hold', 'third']);
    expect((await api(routes.jobResult(first.id))).status).toBe(409);
  });

  it('reports a failing job with its message and keeps serving', async () => {
    const failing = await submit('fail');
    const seen = await events(failing.id);
    expect(seen[seen.length - 1]).toEqual({ type: 'failed', error: { code: 'model_missing', message: 'the model fail is not built yet' } });
    const crashing = await submit('boom');
    const crash = await events(crashing.id);
    expect(crash[crash.length - 1]).toMatchObject({ type: 'failed', error: { code: 'internal' } });
    const ok = await submit();
    expect((await events(ok.id)).pop()?.type).toBe('done');
  });

  it('refuses a missing or wrong token', async () => {
    const none = await api(routes.info, {}, false);
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { message: string } }).error.message).toMatch(/pair/);
    expect((await api(routes.info, { headers: { authorization: 'Bearer nope' } }, false)).status).toBe(401);
    expect((await api(routes.info)).status).toBe(200);
  });

  it('refuses web-page origins and a non-loopback Host; accepts what a UXP panel may send, and logs each refused origin once', async () => {
    for (const origin of ['https://evil.example', 'http://127.0.0.1:8080', 'https://evil.example']) {
      expect((await api(routes.info, { headers: { origin } })).status).toBe(403);
    }
    expect(logged.filter((line) => line.includes('https://evil.example'))).toHaveLength(1);
    expect(logged.filter((line) => line.includes('http://127.0.0.1:8080'))).toEqual([expect.stringMatching(/web page.*report this Origin/)]);
    for (const origin of ['null', 'uxp://mend.panel', 'file://']) {
      expect((await api(routes.info, { headers: { origin } })).status).toBe(200);
    }
    const status = await new Promise<number>((resolve, reject) => {
      const request = http.request(`${server.url}${routes.info}`, { headers: { host: `evil.example:${server.port}`, authorization: `Bearer ${token}` } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', reject);
      request.end();
    });
    expect(status).toBe(403);
  });

  it('answers 413 to an oversized payload and 400 with a reason to malformed ones', async () => {
    const post = (body: Uint8Array<ArrayBuffer>) => api(routes.jobs, { method: 'POST', body, headers: { 'content-type': FRAME_CONTENT_TYPE } });
    expect((await post(jobBody('fake', 200, 200))).status).toBe(413);
    const garbage = await post(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));
    expect(garbage.status).toBe(400);
    expect(((await garbage.json()) as { error: { message: string } }).error.message).toMatch(/frame header/);
    const short = await post(jobBody().subarray(0, jobBody().byteLength - 5));
    expect(short.status).toBe(400);
    expect(((await short.json()) as { error: { message: string } }).error.message).toMatch(/needs 36/);
    const badOptions = encodeFrameHeader({ options: { task: 'sharpen' }, image: { width: 1, height: 1, channels: 3, bitDepth: 8, maxValue: 255 } });
    const wrongTask = await post(new Uint8Array([...badOptions, 0, 0, 0]));
    expect(wrongTask.status).toBe(400);
    expect(((await wrongTask.json()) as { error: { message: string } }).error.message).toMatch(/options\.task/);
  });

  it('pairs with the printed code, and not with a wrong one', async () => {
    const pair = (code: string) => api(routes.pair, { method: 'POST', body: JSON.stringify({ code }), headers: { 'content-type': 'application/json' } }, false);
    const wrong = server.pairingCode === '000000' ? '000001' : '000000';
    expect((await pair(wrong)).status).toBe(403);
    const right = await pair(server.pairingCode);
    expect(right.status).toBe(200);
    expect(await right.json()).toEqual({ token });
  });

  /** Listens to a job's events; resolves once the first one (the job's state as it is) has arrived. */
  function listen(id: string): Promise<{ seen: JobEvent[]; closed: Promise<JobEvent[]> }> {
    return new Promise((ready, reject) => {
      const seen: JobEvent[] = [];
      const socket = new WebSocket(`${server.url.replace('http', 'ws')}${routes.jobEvents(id)}?token=${token}`);
      const closed = new Promise<JobEvent[]>((resolve) => socket.on('close', () => resolve(seen)));
      socket.on('message', (data) => {
        seen.push(JSON.parse(String(data)) as JobEvent);
        if (seen.length === 1) ready({ seen, closed });
      });
      socket.on('error', reject);
    });
  }

  const postHeader = (header: unknown) => api(routes.jobs, { method: 'POST', body: encodeFrameHeader(header), headers: { 'content-type': FRAME_CONTENT_TYPE } });
  const putBand = (route: string, body: Uint8Array<ArrayBuffer>) => api(route, { method: 'PUT', body, headers: { 'content-type': BAND_CONTENT_TYPE } });
  const errorOf = async (response: Response) => ((await response.json()) as ErrorBody).error;

  async function resultBand(id: string, top: number, rows: number): Promise<{ header: JobResultHeader; pixels: Uint8Array }> {
    const response = await api(routes.jobResult(id, { top, rows }));
    expect(response.status).toBe(200);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const { header, bodyOffset } = decodeFrameHeader(bytes, jobResultHeaderSchema);
    return { header, pixels: bytes.subarray(bodyOffset) };
  }

  it('takes a job in bands (any order, a band sent again counts once), queues it once every row is there, and serves its result in bands', async () => {
    const [width, height, row] = [5, 7, 15];
    const created = await postHeader({ options: { task: 'restore', model: 'fake' }, image: rgb(width, height), pixels: 'bands' });
    expect(created.status).toBe(202);
    const job = (await created.json()) as JobStatus;
    expect(job).toMatchObject({ state: 'receiving', position: 0, progress: { done: 0, total: height, stage: 'receiving' } });
    const events = await listen(job.id);

    const pixels = Uint8Array.from({ length: width * height * 3 }, (_, i) => (i * 11) % 256);
    const put = (top: number, rows: number) => putBand(routes.jobImage(job.id, top), pixels.slice(top * row, (top + rows) * row));
    expect((await put(4, 3)).status).toBe(204);
    expect((await put(0, 2)).status).toBe(204);
    expect((await put(0, 2)).status).toBe(204);
    expect((await (await api(routes.job(job.id))).json()) as JobStatus).toMatchObject({ state: 'receiving', progress: { done: 5, total: height } });
    expect((await put(2, 2)).status).toBe(204);
    // Complete, the job takes no more bands.
    const late = await put(0, 1);
    expect(late.status).toBe(409);
    expect(await errorOf(late)).toEqual({ code: 'conflict', message: expect.stringMatching(/takes no more bands/) });

    const seen = await events.closed;
    const receiving = seen.filter((e) => e.type === 'progress' && e.stage === 'receiving').map((e) => (e.type === 'progress' ? e.done : -1));
    expect(receiving).toEqual([0, 3, 5, 5, 7]);
    expect(seen[seen.length - 1]).toEqual({ type: 'done', image: rgb(width, height), summary: expect.objectContaining({ models: ['fake'] }) });
    expect(((await (await api(routes.job(job.id))).json()) as JobStatus).result).toEqual(rgb(width, height));

    const inverted = (from: number, to: number) => Array.from(pixels.subarray(from * row, to * row), (v) => 255 - v);
    const lower = await resultBand(job.id, 3, 4);
    expect(lower.header).toMatchObject({ image: rgb(width, height), band: { top: 3, rows: 4 } });
    expect(Array.from(lower.pixels)).toEqual(inverted(3, 7));
    const past = await api(routes.jobResult(job.id, { top: 5, rows: 3 }));
    expect(past.status).toBe(400);
    expect((await errorOf(past)).message).toMatch(/run past the result's 7 rows/);
    expect(Array.from((await resultBand(job.id, 0, 2)).pixels)).toEqual(inverted(0, 2));
    // Row 2 is the last one not sent yet; a band with rows sent before still counts it.
    expect(Array.from((await resultBand(job.id, 1, 2)).pixels)).toEqual(inverted(1, 3));
    const gone = await api(routes.jobResult(job.id, { top: 0, rows: 1 }));
    expect(gone.status).toBe(410);
  });

  it('refuses bands that are not whole rows, run past the image, are empty, or belong to no mask; a cancelled receiving job takes none', async () => {
    const job = (await (await postHeader({ options: { task: 'restore', model: 'fake' }, image: rgb(5, 7), pixels: 'bands' })).json()) as JobStatus;
    const partial = await putBand(routes.jobImage(job.id, 0), new Uint8Array(20));
    expect(partial.status).toBe(400);
    expect((await errorOf(partial)).message).toBe("the band holds 20 bytes, which is not a whole number of the image's rows (15 bytes each: 5 px × 3 channels × 1 bytes)");
    const past = await putBand(routes.jobImage(job.id, 6), new Uint8Array(30));
    expect(past.status).toBe(400);
    expect((await errorOf(past)).message).toBe("the band's rows 6..7 run past the image's 7 rows");
    const empty = await putBand(routes.jobImage(job.id, 0), new Uint8Array(0));
    expect(empty.status).toBe(400);
    expect((await errorOf(empty)).message).toMatch(/the band is empty/);
    const noMask = await putBand(routes.jobMask(job.id, 0), new Uint8Array(5));
    expect(noMask.status).toBe(400);
    expect((await errorOf(noMask)).message).toMatch(/has no mask/);
    const badTop = await putBand(`${routes.job(job.id)}/image?top=-1`, new Uint8Array(15));
    expect(badTop.status).toBe(400);
    expect((await errorOf(badTop)).message).toMatch(/top: must be a whole number of rows/);
    expect((await putBand(routes.jobImage('no-such-job', 0), new Uint8Array(15))).status).toBe(404);

    const events = await listen(job.id);
    const cancelled = (await (await api(routes.job(job.id), { method: 'DELETE' })).json()) as JobStatus;
    expect(cancelled.state).toBe('cancelled');
    expect((await events.closed).pop()).toEqual({ type: 'cancelled' });
    const afterCancel = await putBand(routes.jobImage(job.id, 0), new Uint8Array(15));
    expect(afterCancel.status).toBe(409);
    expect((await errorOf(afterCancel)).message).toMatch(/is cancelled/);
  });

  it('refuses at once, inline or banded, a job whose result would be too large, naming its size and what to do', async () => {
    started.length = 0;
    const x8 = { options: { task: 'upscale', scale: 8 }, image: { width: 6000, height: 6000, channels: 4, bitDepth: 8, maxValue: 255 } };
    for (const pixels of ['bands', 'inline']) {
      const refused = await postHeader({ ...x8, pixels });
      expect(refused.status).toBe(413);
      expect(await errorOf(refused)).toEqual({
        code: 'too_large',
        message:
          'the result would be 48000×48000 RGBA 8-bit (2.30 gigapixels, 9.2 GB), more than the 1 gigapixel the helper makes at once: select a part, or choose a smaller scale',
      });
    }
    // Without a scale, the catalog's default upscaler's (×4 here) decides the result's size.
    const byDefault = await postHeader({ options: { task: 'upscale' }, image: rgb(20000, 1000), pixels: 'bands' });
    expect(byDefault.status).toBe(413);
    expect((await errorOf(byDefault)).message).toBe('the result would be 80000×4000 RGB 8-bit, but a side may be at most 65536 px: select a part, or choose a smaller scale');
    const fits = await postHeader({ options: { task: 'upscale', scale: 2 }, image: rgb(20000, 1000), pixels: 'bands' });
    expect(fits.status).toBe(202);
    await api(routes.job(((await fits.json()) as JobStatus).id), { method: 'DELETE' });
    expect(started).toEqual([]);
  });

  it('answers 413 to an oversized body every time, also to a client that sends all of it before reading', async () => {
    const head = `POST ${routes.jobs} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization: Bearer ${token}\r\nContent-Type: ${FRAME_CONTENT_TYPE}\r\n`;
    const answers: string[] = [];
    // 8 MB: more than the socket buffers hold, so the client is still sending when the 413 goes out.
    for (let i = 0; i < 5; i++) answers.push(await sendThenRead(server.port, head, 8 * 1024 * 1024));
    expect(answers).toEqual(['413', '413', '413', '413', '413']);
  });
});
