import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import websocket from '@fastify/websocket';
import { totalmem } from 'node:os';
import { Readable } from 'node:stream';
import {
  BAND_CONTENT_TYPE,
  DEFAULT_PORT,
  FRAME_CONTENT_TYPE,
  FrameError,
  MAX_JOB_REQUEST_BYTES,
  TOKEN_QUERY,
  bandQuerySchema,
  bytesPerSample,
  decodeFrameHeader,
  describeIssues,
  encodeFrameHeader,
  jobRequestHeaderSchema,
  pairRequestSchema,
  pixelByteLength,
  resultQuerySchema,
  rowByteLength,
  routes,
  type ErrorBody,
  type ErrorCode,
  type Info,
  type JobOptions,
  type JobResultHeader,
  type PixelLayout,
} from '../protocol';
import type { MendApp } from '../app';
import { configDir as defaultConfigDir } from '../config/config-dir';
import { loadOrCreateToken } from '../config/token';
import { BandRefusal } from '../jobs/band-upload';
import { JobQueue } from '../jobs/job-queue';
import { jobSizeRefusal, type JobScale } from '../jobs/job-size';
import type { PixelImage, SampleArray } from '../imaging/pixel-image';
import { layoutOf, sampleArrayFor } from '../imaging/pixel-image';
import { bearerToken, isLoopbackHost, isWebPageOrigin, tokenMatches } from './request-guard';
import { Pairing } from './pairing';
import { HELPER_VERSION } from '../package-info';

export interface ServerOptions {
  port?: number;
  configDir?: string;
  /** Largest request body in bytes (413 beyond). Default fits a 16-bit RGBA 24-megapixel image. */
  bodyLimit?: number;
  log?: (message: string) => void;
}

export interface RunningServer {
  url: string;
  port: number;
  pairingCode: string;
  close(): Promise<void>;
}

/** Result bodies go out in slices of the output buffer, never as one copy. */
const RESULT_CHUNK_BYTES = 1 << 20;
/**
 * The rest of a refused oversized body is read and dropped up to this many bytes: closing while the
 * client still sends makes the kernel reset the connection, and the reset can destroy the 413 before
 * the client reads it. A client that sends more than this is not one of ours and is cut off.
 */
const OVERSIZED_BODY_DISCARD_BYTES = 2 * 1024 * 1024 * 1024;
/** Route pattern behind routes.job(id), routes.jobEvents(id) and routes.jobResult(id). */
const JOB_ROUTE = `${routes.jobs}/:id`;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}

function pixelsFrom(bytes: Uint8Array, offset: number, layout: PixelLayout): SampleArray {
  const data = sampleArrayFor(layout.bitDepth, layout.width * layout.height * layout.channels);
  // Copy so 16/32-bit samples are aligned whatever the body's offset.
  new Uint8Array(data.buffer).set(bytes.subarray(offset, offset + pixelByteLength(layout)));
  return data;
}

function* resultChunks(header: Uint8Array, pixels: Uint8Array): Generator<Uint8Array> {
  yield header;
  for (let at = 0; at < pixels.byteLength; at += RESULT_CHUNK_BYTES) yield pixels.subarray(at, at + RESULT_CHUNK_BYTES);
}

/** Keeps the connection open and drops the rest of a refused body (see OVERSIZED_BODY_DISCARD_BYTES). */
function discardRestOfBody(request: FastifyRequest, reply: FastifyReply): void {
  const raw = request.raw;
  if (raw.complete) return;
  reply.removeHeader('connection');
  let discarded = 0;
  raw.on('data', (chunk: Buffer) => {
    discarded += chunk.byteLength;
    if (discarded > OVERSIZED_BODY_DISCARD_BYTES) raw.socket.destroy();
  });
  raw.resume();
}

/** The factors a job will run at: upscaling by `scale`, else by its model's own (the catalog's default upscaler when none is named). */
function jobScale(app: MendApp, options: JobOptions): JobScale {
  if (options.task !== 'upscale') return { target: 1, model: 1 };
  // An unknown model fails when the job runs, with the catalog's message; until then it counts as ×1.
  const modelScale = app.upscalerScale(options.model, options.scale) ?? 1;
  return { target: options.scale ?? modelScale, model: modelScale };
}

/** Builds the helper's HTTP API (not listening yet), for `startServer` and for tests. */
export async function buildServer(app: MendApp, options: { token: string; pairing: Pairing; bodyLimit: number; log: (m: string) => void }): Promise<{ server: FastifyInstance; queue: JobQueue }> {
  const { token, pairing, log } = options;
  const queue = new JobQueue(app.runTask, { log });
  const server = Fastify({ bodyLimit: options.bodyLimit, logger: false });
  await server.register(websocket);

  for (const type of [FRAME_CONTENT_TYPE, BAND_CONTENT_TYPE]) {
    server.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: options.bodyLimit }, (_request, body, done) => done(null, body));
  }

  const refusedOrigins = new Set<string>();
  server.addHook('onRequest', async (request: FastifyRequest) => {
    const port = request.socket.localPort ?? 0;
    if (!isLoopbackHost(request.headers.host, port)) {
      throw new HttpError(403, 'forbidden', `requests must be addressed to 127.0.0.1:${port}`);
    }
    const origin = request.headers.origin;
    if (isWebPageOrigin(origin)) {
      if (origin && !refusedOrigins.has(origin)) {
        refusedOrigins.add(origin);
        log(`refused requests from the web page ${origin} (logged once): only the Photoshop panel and local tools may use the helper. If the Mend panel itself was refused, report this Origin in a bug.`);
      }
      throw new HttpError(403, 'forbidden', 'requests from web pages are not allowed');
    }
    if (request.routeOptions.url === routes.pair) return;
    const query = request.query as Record<string, string | undefined>;
    const given = bearerToken(request.headers.authorization) ?? (request.ws ? query[TOKEN_QUERY] : undefined);
    if (!tokenMatches(given, token)) {
      throw new HttpError(401, 'unauthorized', 'missing or wrong token: pair the panel with the code that `mend serve` prints');
    }
  });

  server.setErrorHandler((error: FastifyError | HttpError, request, reply: FastifyReply) => {
    if (error instanceof HttpError) return reply.status(error.status).send(errorBody(error.code, error.message));
    const status = error.statusCode ?? 500;
    if (status === 413) {
      discardRestOfBody(request, reply);
      return reply
        .status(413)
        .send(errorBody('payload_too_large', `the request is larger than the helper accepts (${options.bodyLimit} bytes): send large images in bands (pixels: 'bands')`));
    }
    if (status === 415) return reply.status(400).send(errorBody('bad_request', `send a job as ${FRAME_CONTENT_TYPE}, and its bands as ${BAND_CONTENT_TYPE}`));
    if (status < 500) return reply.status(status).send(errorBody('bad_request', error.message));
    log(`request failed: ${error.stack ?? error.message}`);
    return reply.status(500).send(errorBody('internal', 'the helper failed unexpectedly; see its log for details'));
  });

  server.setNotFoundHandler((request, reply) => reply.status(404).send(errorBody('not_found', `no such endpoint: ${request.method} ${request.url.split('?')[0]}`)));

  server.get(routes.info, async (): Promise<Info> => {
    const engine = await app.engineInfo();
    return {
      name: 'mend',
      version: HELPER_VERSION,
      api: 1,
      provider: { name: engine.provider, fallbackReason: engine.fallbackReason },
      availableProviders: engine.available,
      queue: queue.counts(),
      models: (await app.listModels()).map(({ id, task, scale, status, domain, default: isDefault }) => ({ id, task, scale, status, domain, default: isDefault })),
    };
  });

  server.post(routes.pair, async (request) => {
    const parsed = pairRequestSchema.safeParse(request.body);
    if (!parsed.success) throw new HttpError(400, 'bad_request', describeIssues(parsed.error));
    if (!pairing.attempt(parsed.data.code)) {
      const why = pairing.closed ? 'too many wrong codes; restart `mend serve` for a new one' : 'wrong pairing code; check the code `mend serve` printed';
      throw new HttpError(403, 'pairing_failed', why);
    }
    return { token };
  });

  server.post(routes.jobs, async (request, reply) => {
    if (!Buffer.isBuffer(request.body)) throw new HttpError(400, 'bad_request', `send the job as ${FRAME_CONTENT_TYPE}`);
    const body = request.body;
    let parsed;
    try {
      parsed = decodeFrameHeader(body, jobRequestHeaderSchema);
    } catch (error) {
      if (error instanceof FrameError) throw new HttpError(400, 'bad_request', error.message);
      throw error;
    }
    const { header, bodyOffset } = parsed;
    const tooLarge = jobSizeRefusal(header, jobScale(app, header.options), totalmem());
    if (tooLarge) throw new HttpError(413, 'too_large', tooLarge);
    if (header.pixels === 'bands') {
      if (body.byteLength !== bodyOffset) throw new HttpError(400, 'bad_request', `a job whose pixels come in bands is posted as its header alone, but ${body.byteLength - bodyOffset} bytes follow the header`);
      return reply.status(202).send(queue.receive(header.options, header.image, header.mask));
    }
    const imageBytes = pixelByteLength(header.image);
    const maskBytes = header.mask ? pixelByteLength(header.mask) : 0;
    const expected = bodyOffset + imageBytes + maskBytes;
    if (body.byteLength !== expected) {
      const layout = header.image;
      throw new HttpError(
        400,
        'bad_request',
        `the body holds ${body.byteLength - bodyOffset} pixel bytes, but a ${layout.width}×${layout.height} image of ${layout.channels} channels at ${bytesPerSample(layout.bitDepth) * 8} bits${header.mask ? ' plus its mask' : ''} needs ${imageBytes + maskBytes}`,
      );
    }
    const image: PixelImage = { ...header.image, data: pixelsFrom(body, bodyOffset, header.image) };
    const mask: PixelImage | undefined = header.mask && { ...header.mask, data: pixelsFrom(body, bodyOffset + imageBytes, header.mask) };
    return reply.status(202).send(queue.submit({ options: header.options, image, mask }));
  });

  const jobId = (request: FastifyRequest) => (request.params as { id: string }).id;
  const unknownJob = (id: string) => new HttpError(404, 'not_found', `there is no job ${id}; it may have finished long ago`);

  server.get(JOB_ROUTE, async (request) => {
    const status = queue.status(jobId(request));
    if (!status) throw unknownJob(jobId(request));
    return status;
  });

  server.delete(JOB_ROUTE, async (request) => {
    const status = queue.cancel(jobId(request));
    if (!status) throw unknownJob(jobId(request));
    return status;
  });

  for (const part of ['image', 'mask'] as const) {
    server.put(`${JOB_ROUTE}/${part}`, async (request, reply) => {
      const id = jobId(request);
      const query = bandQuerySchema.safeParse(request.query);
      if (!query.success) throw new HttpError(400, 'bad_request', `the band's ${describeIssues(query.error)}`);
      const status = queue.status(id);
      if (!status) throw unknownJob(id);
      if (status.state !== 'receiving') throw new HttpError(409, 'conflict', `job ${id} is ${status.state}: it takes no more bands`);
      if (!Buffer.isBuffer(request.body)) throw new HttpError(400, 'bad_request', `send whole rows of the ${part} as ${BAND_CONTENT_TYPE}`);
      try {
        queue.writeBand(id, part, query.data.top, request.body);
      } catch (error) {
        if (error instanceof BandRefusal) throw new HttpError(400, 'bad_request', error.message);
        throw error;
      }
      return reply.status(204).send();
    });
  }

  server.get(`${JOB_ROUTE}/result`, async (request, reply) => {
    const id = jobId(request);
    const query = resultQuerySchema.safeParse(request.query);
    if (!query.success) throw new HttpError(400, 'bad_request', describeIssues(query.error));
    const status = queue.status(id);
    if (!status) throw unknownJob(id);
    const result = queue.result(id);
    if (!result && status.state === 'done') throw new HttpError(410, 'gone', `job ${id}'s result was already sent; the helper keeps a result only until it is fetched, so run the operation again`);
    if (!result) throw new HttpError(409, 'not_ready', `job ${id} is ${status.state}; its result exists once it is done`);
    const image = result.output.image;
    const layout = layoutOf(image);
    const top = query.data.top ?? 0;
    const rows = query.data.rows ?? image.height;
    if (top + rows > image.height) throw new HttpError(400, 'bad_request', `rows ${top}..${top + rows - 1} run past the result's ${image.height} rows`);
    const header: JobResultHeader = { image: layout, summary: result.summary, ...(query.data.top === undefined ? {} : { band: { top, rows } }) };
    const headerBytes = encodeFrameHeader(header);
    const perRow = rowByteLength(layout);
    const pixels = new Uint8Array(image.data.buffer, image.data.byteOffset + top * perRow, rows * perRow);
    reply.header('content-type', FRAME_CONTENT_TYPE);
    reply.header('content-length', headerBytes.byteLength + pixels.byteLength);
    // Rows sent whole (not cut off by a dropped connection) count; once all have, the result is freed.
    reply.raw.once('finish', () => queue.resultSent(id, top, rows));
    return reply.send(Readable.from(resultChunks(headerBytes, pixels)));
  });

  server.get(`${JOB_ROUTE}/events`, { websocket: true }, (socket, request) => {
    const unsubscribe = queue.subscribe(jobId(request), (event) => {
      socket.send(JSON.stringify(event));
      if (event.type !== 'queued' && event.type !== 'progress') socket.close(1000, event.type);
    });
    if (!unsubscribe) {
      socket.close(4404, 'no such job');
      return;
    }
    socket.on('close', unsubscribe);
  });

  return { server, queue };
}

/** Starts the helper's API on 127.0.0.1 (only). Prints nothing itself. */
export async function startServer(app: MendApp, options: ServerOptions = {}): Promise<RunningServer> {
  const log = options.log ?? (() => undefined);
  const port = options.port ?? DEFAULT_PORT;
  const token = await loadOrCreateToken(options.configDir ?? defaultConfigDir());
  const pairing = new Pairing();
  const { server, queue } = await buildServer(app, { token, pairing, bodyLimit: options.bodyLimit ?? MAX_JOB_REQUEST_BYTES, log });
  try {
    await server.listen({ host: '127.0.0.1', port });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(`port ${port} is in use: is another \`mend serve\` running? Choose another with --port`);
    }
    throw error;
  }
  const address = server.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    pairingCode: pairing.code,
    close: async () => {
      await queue.shutdown();
      await server.close();
    },
  };
}
