import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import type { MendApp } from '../../native-helper/src/app';
import { MendError, throwIfCancelled } from '../../native-helper/src/errors';
import { createImage } from '../../native-helper/src/imaging/pixel-image';
import {
  FRAME_CONTENT_TYPE,
  bearer,
  decodeFrameHeader,
  encodeFrameHeader,
  jobResultHeaderSchema,
  routes,
  type ErrorBody,
  type JobEvent,
  type JobRequestHeader,
  type JobStatus,
} from '../../native-helper/src/protocol';
import { startServer, type RunningServer } from '../../native-helper/src/server/server';
import type { TaskRunner } from '../../native-helper/src/tasks/types';

const TILE_MS = 40;
const TILES = 5;
const started: string[] = [];

/** Inverts 8-bit pixels "tile by tile" with a pause per tile; model "fail" throws, "boom" crashes. */
const fakeRunner: TaskRunner = async (input, context) => {
  const model = 'model' in input.options ? input.options.model : undefined;
  started.push(model ?? '');
  if (model === 'fail') throw new MendError('model_missing', 'the model fail is not built yet');
  if (model === 'boom') throw new TypeError('cannot read properties of undefined');
  for (let done = 0; done < TILES; done++) {
    throwIfCancelled(context.signal);
    await new Promise((r) => setTimeout(r, TILE_MS));
    context.onProgress({ done: done + 1, total: TILES, stage: 'fake' });
  }
  const image = createImage(input.image.width, input.image.height, input.image.channels, 8);
  input.image.data.forEach((v, i) => (image.data[i] = 255 - v));
  return { image, models: [model ?? 'fake'], provider: 'cpu', tiles: TILES, width: image.width, height: image.height };
};

const fakeApp: MendApp = {
  runTask: fakeRunner,
  streamTask: () => Promise.reject(new Error('the server does not stream')),
  listModels: async () => [],
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

describe('helper server', () => {
  let configDir: string;
  let server: RunningServer;
  let token: string;

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
    server = await startServer(fakeApp, { port: 0, configDir, bodyLimit: 64 * 1024 });
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
    const job = await submit();
    const seen = await events(job.id);
    const progress = seen.filter((e) => e.type === 'progress').map((e) => (e.type === 'progress' ? e.done : -1));
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress[progress.length - 1]).toBe(TILES);
    expect(seen[seen.length - 1].type).toBe('done');

    const response = await api(routes.jobResult(job.id));
    expect(response.headers.get('content-type')).toBe(FRAME_CONTENT_TYPE);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const { header, bodyOffset } = decodeFrameHeader(bytes, jobResultHeaderSchema);
    expect(header.image).toMatchObject({ width: 4, height: 3, channels: 3, bitDepth: 8 });
    expect(header.summary.models).toEqual(['fake']);
    const sent = jobBody();
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
    const first = await submit('first');
    const second = await submit('second');
    const third = await submit('third');
    expect(second.state).toBe('queued');
    const cancelledQueued = (await (await api(routes.job(second.id), { method: 'DELETE' })).json()) as JobStatus;
    expect(cancelledQueued.state).toBe('cancelled');
    await new Promise((r) => setTimeout(r, TILE_MS * 2.5));
    const cancelledRunning = await api(routes.job(first.id), { method: 'DELETE' });
    expect(cancelledRunning.status).toBe(200);
    const firstEvents = await events(first.id);
    expect(firstEvents[firstEvents.length - 1].type).toBe('cancelled');
    const status = (await (await api(routes.job(first.id))).json()) as JobStatus;
    expect(status.progress.done).toBeLessThan(TILES);
    await events(third.id);
    expect(started).toEqual(['first', 'third']);
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

  it('refuses web-page origins and a non-loopback Host', async () => {
    for (const origin of ['https://evil.example', 'http://127.0.0.1:8080', 'null']) {
      expect((await api(routes.info, { headers: { origin } })).status).toBe(403);
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
});
