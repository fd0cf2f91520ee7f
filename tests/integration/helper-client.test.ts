import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { createApp, type MendApp } from '../../native-helper/src/app';
import {
  FRAME_CONTENT_TYPE,
  IDENTITY_MODEL_ID,
  bearer,
  decodeFrameHeader,
  encodeFrameHeader,
  jobResultHeaderSchema,
  rowByteLength,
  routes,
  type JobOptions,
  type JobStatus,
  type PixelLayout,
} from '../../native-helper/src/protocol';
import { startServer, type RunningServer } from '../../native-helper/src/server/server';
import { CancelToken } from '../../plugin/src/helper-client/cancel-token';
import { rowsPerBand } from '../../plugin/src/workflows/bands';
import { HelperClient, type HelperError, type BandSource, type JobResult, type SocketFactory } from '../../plugin/src/helper-client/helper-client';
import { convUpscaleModel, writeUserModels } from '../helpers/tiny-models';

interface SentBody {
  method: string;
  route: string;
  /** What the body was: 'ArrayBuffer' for an exact buffer. */
  kind: string;
  bytes: number;
}

/** The panel's protocol client against a real helper (server, queue, engine, catalog) running tiny models and the identity model. */
describe('panel helper client against a real helper', () => {
  let configDir: string;
  let app: MendApp;
  let server: RunningServer;
  let token: string;
  const sockets: SocketFactory = (url) => new WebSocket(url) as unknown as ReturnType<SocketFactory>;
  const sent: SentBody[] = [];

  /** A fetch that throws "Illegal invocation" when called as a method of another object, as browsers' does; it records the bodies sent. */
  function strictFetch(this: unknown, input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    if (this !== undefined && this !== globalThis) throw new TypeError('Illegal invocation');
    const body = init?.body as ArrayBuffer | Uint8Array | string | undefined;
    if (body !== undefined && typeof body !== 'string') {
      const url = new URL(String(input));
      sent.push({ method: init?.method ?? 'GET', route: url.pathname, kind: Object.prototype.toString.call(body).slice(8, -1), bytes: body.byteLength });
    }
    return fetch(input, init);
  }

  async function pairedClient(): Promise<HelperClient> {
    const client = new HelperClient(server.url, undefined, sockets, { fetch: strictFetch });
    await client.pair(server.pairingCode);
    return client;
  }

  const api = (route: string, init: RequestInit = {}) =>
    fetch(`${server.url}${route}`, { ...init, headers: { authorization: bearer(token), ...(init.headers as Record<string, string>) } });

  beforeAll(async () => {
    configDir = mkdtempSync(path.join(tmpdir(), 'mend-client-'));
    writeUserModels(configDir, [{ id: 'tiny-conv5-x2', task: 'upscale', scale: 2, bytes: convUpscaleModel(2), overlap: 4 }]);
    app = await createApp({ provider: 'cpu', configDir });
    server = await startServer(app, { port: 0, configDir });
    token = readFileSync(path.join(configDir, 'token'), 'utf8').trim();
  });
  afterAll(async () => {
    await server.close();
    await app.close();
    rmSync(configDir, { recursive: true, force: true });
  });

  const rgba8 = (width: number, height: number): PixelLayout => ({ width, height, channels: 4, bitDepth: 8, maxValue: 255 });
  const rgba16 = (width: number, height: number): PixelLayout => ({ width, height, channels: 4, bitDepth: 16, maxValue: 32768 });

  /** Every sample of the layout's range, alpha included, as little-endian bytes. */
  function pixelsOf(layout: PixelLayout): Uint8Array {
    const samples = layout.width * layout.height * layout.channels;
    if (layout.bitDepth === 8) return Uint8Array.from({ length: samples }, (_, i) => (i * 37 + (i >> 7)) % 256);
    const wide = Uint16Array.from({ length: samples }, (_, i) => (i * 7919 + (i >> 5)) % (layout.maxValue + 1));
    return new Uint8Array(wide.buffer);
  }

  /** Hands out bands as views into a larger buffer (byteOffset ≠ 0), as a careless host would. */
  function bandSource(layout: PixelLayout, pixels: Uint8Array, bandRows: number, onBand?: (top: number) => void): BandSource {
    const padded = new Uint8Array(pixels.byteLength + 16);
    padded.set(pixels, 8);
    const row = rowByteLength(layout);
    return {
      layout,
      bandRows,
      readBand: async (top, rows) => {
        onBand?.(top);
        return padded.subarray(8 + top * row, 8 + (top + rows) * row);
      },
    };
  }

  async function readAll(result: JobResult, rowsPerBand: number): Promise<Uint8Array> {
    const out = new Uint8Array(result.layout.height * rowByteLength(result.layout));
    for (let top = 0; top < result.layout.height; top += rowsPerBand) {
      const band = await result.readBand(top, Math.min(rowsPerBand, result.layout.height - top));
      expect([band.byteOffset, band.buffer.byteLength]).toEqual([0, band.byteLength]);
      out.set(band, top * rowByteLength(result.layout));
    }
    return out;
  }

  /** The old path: the whole image in the POST body, the whole result in one GET. */
  async function runInline(client: HelperClient, options: JobOptions, layout: PixelLayout, pixels: Uint8Array): Promise<Uint8Array> {
    const head = encodeFrameHeader({ options, image: layout });
    const body = new Uint8Array(head.byteLength + pixels.byteLength);
    body.set(head);
    body.set(pixels, head.byteLength);
    const job = (await (await api(routes.jobs, { method: 'POST', body, headers: { 'content-type': FRAME_CONTENT_TYPE } })).json()) as JobStatus;
    await client.awaitResult(job.id);
    const bytes = new Uint8Array(await (await api(routes.jobResult(job.id))).arrayBuffer());
    return bytes.subarray(decodeFrameHeader(bytes, jobResultHeaderSchema).bodyOffset);
  }

  it('pairs (with a fetch that must be called unbound), then runs a job band by band with progress, and gets the same pixels as the inline path', async () => {
    const bare = new HelperClient(server.url, undefined, sockets, { fetch: strictFetch });
    await expect(bare.info()).rejects.toMatchObject({ code: 'not_paired' });
    const client = await pairedClient();
    expect((await client.info()).provider.name).toBe('cpu');

    const layout = rgba8(70, 50);
    const pixels = pixelsOf(layout);
    const options: JobOptions = { task: 'upscale', model: 'tiny-conv5-x2', tile: 32 };
    sent.length = 0;
    const id = await client.startJob(options, bandSource(layout, pixels, 8), undefined);
    // 50 rows in bands of 8: seven PUTs, each an exact ArrayBuffer of its rows.
    const puts = sent.filter((s) => s.method === 'PUT');
    expect(puts.map((s) => s.bytes)).toEqual([...Array(6).fill(8 * 280), 2 * 280]);
    expect(new Set(sent.map((s) => s.kind))).toEqual(new Set(['ArrayBuffer']));

    const progress: number[] = [];
    const result = await client.awaitResult(id, { onProgress: (p) => progress.push(p.done) });
    expect(result.layout).toEqual(rgba8(140, 100));
    expect(result.summary.models).toEqual(['tiny-conv5-x2']);
    expect(progress[progress.length - 1]).toBe(6);
    expect([rowsPerBand(rowByteLength(result.layout), 140 * 4 * 16), rowsPerBand(rowByteLength(rgba16(65536, 1)), 1024)]).toEqual([16, 1]);
    const banded = await readAll(result, rowsPerBand(rowByteLength(result.layout), 140 * 4 * 16));
    expect(Buffer.from(banded).equals(Buffer.from(await runInline(client, options, layout, pixels)))).toBe(true);

    // Every row fetched: the helper has freed the result.
    await expect(result.readBand(0, 1)).rejects.toMatchObject({ code: 'rejected', message: expect.stringMatching(/already sent.*run the operation again/) });
  });

  it('returns 8-bit and 16-bit images unchanged through the identity model, banded and inline', async () => {
    const client = await pairedClient();
    const options: JobOptions = { task: 'restore', model: IDENTITY_MODEL_ID };
    for (const layout of [rgba8(300, 200), rgba16(300, 200)]) {
      const pixels = pixelsOf(layout);
      const result = await client.awaitResult(await client.startJob(options, bandSource(layout, pixels, 16), undefined));
      expect(result.layout).toEqual(layout);
      expect(result.summary.tiles).toBeGreaterThan(1);
      const banded = await readAll(result, 37);
      expect([layout.bitDepth, Buffer.from(banded).equals(Buffer.from(pixels))]).toEqual([layout.bitDepth, true]);
      const inline = await runInline(client, options, layout, pixels);
      expect([layout.bitDepth, Buffer.from(inline).equals(Buffer.from(pixels))]).toEqual([layout.bitDepth, true]);
    }
  });

  it('cancels while sending: the helper drops the job and its buffers', async () => {
    const client = await pairedClient();
    const layout = rgba8(64, 40);
    const cancel = new CancelToken();
    sent.length = 0;
    const started = client.startJob(
      { task: 'restore', model: IDENTITY_MODEL_ID },
      bandSource(layout, pixelsOf(layout), 4, (top) => top === 8 && cancel.cancel()),
      undefined,
      cancel,
    );
    await expect(started).rejects.toMatchObject({ code: 'cancelled' });
    const [put] = sent.filter((s) => s.method === 'PUT');
    const id = decodeURIComponent(put.route.split('/')[3]);
    expect(sent.filter((s) => s.method === 'PUT')).toHaveLength(2);
    expect(((await (await api(routes.job(id))).json()) as JobStatus).state).toBe('cancelled');
  });

  it('cancels while the helper works on the job, and the helper is free for the next one', async () => {
    const client = await pairedClient();
    const layout = rgba8(600, 400);
    const cancel = new CancelToken();
    const id = await client.startJob({ task: 'upscale', model: 'tiny-conv5-x2', tile: 32 }, bandSource(layout, pixelsOf(layout), layout.height), undefined);
    const waiting = client.awaitResult(id, { cancel, onProgress: ({ done, stage }) => stage !== 'receiving' && done >= 1 && cancel.cancel() });
    await expect(waiting).rejects.toMatchObject({ code: 'cancelled' });
    const small = rgba8(20, 20);
    const next = await client.awaitResult(await client.startJob({ task: 'upscale', model: 'tiny-conv5-x2' }, bandSource(small, pixelsOf(small), small.height), undefined));
    expect(next.layout).toEqual(rgba8(40, 40));
    expect(((await (await api(routes.job(id))).json()) as JobStatus).state).toBe('cancelled');
  });

  it('says how to start the helper when it is not running, keeps the real error, and reports a job failure in words', async () => {
    // A port nothing listens on (fetch refuses well-known ports such as 9 before connecting).
    const closed = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const offline = new HelperClient(`http://127.0.0.1:${closed}`, 'token', sockets);
    const error = (await offline.info().catch((e: unknown) => e)) as HelperError;
    expect(error.code).toBe('not_running');
    expect(error.message).toMatch(/npm start|mend serve/);
    expect(error.details).toMatch(/^TypeError: fetch failed \(Error: connect ECONNREFUSED/);

    // A failure that is not a connection failure is not "not running".
    const broken = new HelperClient(server.url, 'token', sockets, { fetch: () => Promise.reject(new TypeError('Illegal invocation')) });
    await expect(broken.info()).rejects.toMatchObject({ code: 'request_failed', details: 'TypeError: Illegal invocation' });

    const client = await pairedClient();
    const layout = rgba8(8, 8);
    const id = await client.startJob({ task: 'upscale', model: 'no-such-model' }, bandSource(layout, pixelsOf(layout), layout.height), undefined);
    await expect(client.awaitResult(id)).rejects.toMatchObject({ code: 'job_failed', message: expect.stringMatching(/no model "no-such-model"/) });
    const tooLarge = client.startJob({ task: 'upscale', scale: 8 }, bandSource(rgba8(9000, 9000), new Uint8Array(0), 9000), undefined);
    await expect(tooLarge).rejects.toMatchObject({ code: 'rejected', message: expect.stringMatching(/^the result would be 72000×72000 RGBA 8-bit/) });
  });
});
