import {
  BAND_CONTENT_TYPE,
  FRAME_CONTENT_TYPE,
  FrameError,
  PANEL_API_HEADER,
  PANEL_VERSION_HEADER,
  PROTOCOL_VERSION,
  TOKEN_QUERY,
  bearer,
  decodeFrameHeader,
  encodeFrameHeader,
  errorBodySchema,
  helperIdentitySchema,
  infoSchema,
  jobEventSchema,
  jobResultHeaderSchema,
  jobStatusSchema,
  pairResponseSchema,
  rowByteLength,
  routes,
  versionVerdict,
  type Info,
  type JobOptions,
  type JobRequestHeader,
  type JobSummary,
  type PixelLayout,
} from '@mend/protocol';
import { PANEL_VERSION } from '../panel-version';
import type { CancelToken } from './cancel-token';

/** What went wrong, in words the panel can show as they are. */
/** `incompatible`: the helper speaks another protocol version; the message says whether to update the panel or the helper. */
export type HelperErrorCode = 'not_running' | 'not_paired' | 'rejected' | 'request_failed' | 'job_failed' | 'cancelled' | 'protocol' | 'incompatible';

export class HelperError extends Error {
  constructor(
    readonly code: HelperErrorCode,
    message: string,
    /** The underlying error's name and message (or the helper's answer), for the panel's details section. */
    readonly details?: string,
  ) {
    super(message);
    this.name = 'HelperError';
  }
}

/** The subset of the WebSocket API the client uses: the browser's (UXP) or the `ws` package's. */
export interface SocketLike {
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  close(): void;
}
export type SocketFactory = (url: string) => SocketLike;

export interface JobProgress {
  done: number;
  total: number;
  stage: string;
}

export interface BandSource {
  layout: PixelLayout;
  /** Rows per PUT: the caller sizes bands for its own memory (see workflows/bands.ts). */
  bandRows: number;
  /** Rows [top, top + rows) as little-endian sample bytes; the client asks band by band, in order. */
  readBand(top: number, rows: number): Promise<Uint8Array>;
}

export interface JobCallbacks {
  cancel?: CancelToken;
  onProgress?: (p: JobProgress) => void;
  /** The helper is busy with other jobs: this many are ahead of ours. */
  onQueued?: (position: number) => void;
}

/** One image a job answered, fetched band by band. */
export interface ResultImage {
  /** The whole image. */
  layout: PixelLayout;
  /** Rows [top, top + rows), as a Uint8Array whose byteOffset is 0 and whose buffer holds exactly those bytes. */
  readBand(top: number, rows: number): Promise<Uint8Array>;
}

/** A finished job: its main result, and every output when it answered more than one (`summary.outputs`). */
export interface JobResult extends ResultImage {
  id: string;
  summary: JobSummary;
  /** Output `index` of `summary.outputs` (0: the main result, this same image). */
  output(index: number): ResultImage;
}

export interface HelperClientOptions {
  fetch?: typeof fetch;
}

/** This panel's side of the version handshake. */
export const PANEL_SIDE = { version: PANEL_VERSION, api: PROTOCOL_VERSION } as const;

/**
 * How to start the helper as a user installed it (the release archive, see README), then from a source checkout.
 * Shown under every "not running" message.
 */
export const START_HELPER_HINT =
  'Start it: open a terminal in the folder you unpacked the Mend helper into and run `./mend service install` to start it now and at every login, or `./mend serve` to run it until you close the terminal (on Windows `mend service install`, `mend serve`); from a source checkout, `npm start`. Then try again.';

const cancelled = () => new HelperError('cancelled', 'Cancelled.');

function throwIfCancelled(cancel: CancelToken | undefined): void {
  if (cancel?.cancelled) throw cancelled();
}

interface ErrorLike {
  name: string;
  message: string;
  cause?: unknown;
}

/** By shape, not instanceof: fetch's errors may come from another realm. */
function isErrorLike(value: unknown): value is ErrorLike {
  return typeof value === 'object' && value !== null && typeof (value as ErrorLike).name === 'string' && typeof (value as ErrorLike).message === 'string';
}

function describeLayout(layout: PixelLayout): string {
  return `${layout.width}×${layout.height}×${layout.channels} ${layout.bitDepth}-bit`;
}

function describe(error: unknown): string {
  if (!isErrorLike(error)) return String(error);
  const cause = isErrorLike(error.cause) ? ` (${error.cause.name}: ${error.cause.message})` : '';
  return `${error.name}: ${error.message}${cause}`;
}

/**
 * fetch rejects with a TypeError when it cannot reach the server ("fetch failed" with an ECONNREFUSED
 * cause in Node, "Failed to fetch", "NetworkError…", "Load failed", "Network request failed" in
 * browsers). Other TypeErrors ("Illegal invocation") are bugs and keep their own words.
 */
function isConnectionFailure(error: unknown): boolean {
  if (!isErrorLike(error) || error.name !== 'TypeError') return false;
  const cause = error.cause as { code?: unknown } | undefined;
  if (typeof cause?.code === 'string' && /^(ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|EPIPE|UND_ERR_SOCKET)$/.test(cause.code)) return true;
  return /fetch failed|failed to fetch|networkerror|network request failed|network error|load failed|connection refused/i.test(error.message);
}

/**
 * The bytes as an ArrayBuffer of exactly their length: a view into a larger buffer is not a body every
 * fetch sends as meant. (A tag check, not instanceof: buffers may come from another realm.)
 */
function exactBuffer(bytes: Uint8Array): ArrayBuffer {
  const { buffer } = bytes;
  if (bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength && Object.prototype.toString.call(buffer) === '[object ArrayBuffer]') return buffer as ArrayBuffer;
  return bytes.slice().buffer;
}

/** Talks the helper's protocol: pairing, info, and banded jobs with progress and cancel. */
export class HelperClient {
  /** Called unbound: a fetch called as a method of another object throws "Illegal invocation" in browsers. */
  private readonly fetch: typeof fetch;

  constructor(
    private readonly baseUrl: string,
    private token: string | undefined,
    private readonly openSocket: SocketFactory,
    options: HelperClientOptions = {},
  ) {
    const fetchImpl = options.fetch ?? fetch;
    this.fetch = (input, init) => fetchImpl(input, init);
  }

  get paired(): boolean {
    return this.token !== undefined;
  }

  private async request(route: string, init: RequestInit = {}, authorized = true): Promise<Response> {
    let response: Response;
    try {
      response = await this.fetch(`${this.baseUrl}${route}`, {
        ...init,
        headers: { ...(authorized && this.token ? { authorization: bearer(this.token) } : {}), ...(init.headers as Record<string, string> | undefined) },
      });
    } catch (error) {
      if (isConnectionFailure(error)) throw new HelperError('not_running', `The Mend helper is not running at ${this.baseUrl}. ${START_HELPER_HINT}`, describe(error));
      throw new HelperError('request_failed', `The request to the Mend helper failed: ${describe(error)}`, describe(error));
    }
    if (response.ok) return response;
    const body = errorBodySchema.safeParse(await response.json().catch(() => undefined));
    const message = body.success ? body.data.error.message : `the helper answered ${response.status}`;
    const details = `HTTP ${response.status}${body.success ? ` ${body.data.error.code}` : ''} for ${init.method ?? 'GET'} ${route.split('?')[0]}`;
    if (response.status === 401) throw new HelperError('not_paired', 'Mend is not paired with the helper: enter the pairing code that `mend serve` printed.', details);
    throw new HelperError('rejected', message, details);
  }

  /** Exchanges the 6-digit code `mend serve` prints for the token; keep the token (secure storage). */
  async pair(code: string): Promise<string> {
    const response = await this.request(routes.pair, { method: 'POST', body: JSON.stringify({ code }), headers: { 'content-type': 'application/json' } }, false);
    const parsed = pairResponseSchema.safeParse(await response.json());
    if (!parsed.success) throw new HelperError('protocol', 'the helper answered the pairing request with something unexpected');
    this.token = parsed.data.token;
    return this.token;
  }

  /**
   * The helper's info, after the version handshake: the panel's versions go out as headers (the helper logs a
   * mismatch), and a helper of another protocol is refused with a HelperError('incompatible') that says what to
   * update, before the rest of its answer is read.
   */
  async info(): Promise<Info> {
    const response = await this.request(routes.info, { headers: { [PANEL_VERSION_HEADER]: PANEL_SIDE.version, [PANEL_API_HEADER]: String(PANEL_SIDE.api) } });
    const body: unknown = await response.json();
    const identity = helperIdentitySchema.safeParse(body);
    const verdict = identity.success ? versionVerdict(PANEL_SIDE, identity.data) : undefined;
    if (identity.success && verdict?.kind === 'incompatible') {
      throw new HelperError(
        'incompatible',
        verdict.message,
        `panel ${PANEL_SIDE.version} (protocol ${PANEL_SIDE.api}), helper ${identity.data.version} (protocol ${identity.data.api})`,
      );
    }
    const parsed = infoSchema.safeParse(body);
    if (!parsed.success) throw new HelperError('protocol', 'the helper answered with an unexpected info; is it an older version?');
    return parsed.data;
  }

  /**
   * Creates a banded job and sends the image (and mask) band by band; resolves with the job id once
   * every band is sent (the job is then queued). Cancelled → DELETEs the job and throws HelperError('cancelled').
   */
  async startJob(options: JobOptions, image: BandSource, mask: BandSource | undefined, cancel?: CancelToken): Promise<string> {
    throwIfCancelled(cancel);
    const header: JobRequestHeader = { options, image: image.layout, ...(mask ? { mask: mask.layout } : {}), pixels: 'bands' };
    const response = await this.request(routes.jobs, { method: 'POST', body: exactBuffer(encodeFrameHeader(header)), headers: { 'content-type': FRAME_CONTENT_TYPE } });
    const created = jobStatusSchema.safeParse(await response.json());
    if (!created.success) throw new HelperError('protocol', 'the helper answered the new job with something unexpected; is it an older version?');
    const id = created.data.id;
    try {
      await this.sendBands(id, 'image', image, cancel);
      if (mask) await this.sendBands(id, 'mask', mask, cancel);
    } catch (error) {
      // Otherwise the helper would hold the job's buffers until its receive timeout.
      await this.deleteJob(id);
      throw error;
    }
    return id;
  }

  private async sendBands(id: string, part: 'image' | 'mask', source: BandSource, cancel: CancelToken | undefined): Promise<void> {
    const { layout, bandRows: perBand } = source;
    const perRow = rowByteLength(layout);
    for (let top = 0; top < layout.height; top += perBand) {
      throwIfCancelled(cancel);
      const rows = Math.min(perBand, layout.height - top);
      const band = await source.readBand(top, rows);
      if (band.byteLength !== rows * perRow) {
        throw new HelperError('protocol', `the ${part}'s rows ${top}..${top + rows - 1} came as ${band.byteLength} bytes, not ${rows} rows of ${perRow}`);
      }
      throwIfCancelled(cancel);
      const route = part === 'image' ? routes.jobImage(id, top) : routes.jobMask(id, top);
      await this.request(route, { method: 'PUT', body: exactBuffer(band), headers: { 'content-type': BAND_CONTENT_TYPE } });
    }
  }

  /** Cancels a job in the helper; a failure here changes nothing for the caller, who is already giving up on the job. */
  private async deleteJob(id: string): Promise<void> {
    await this.request(routes.job(id), { method: 'DELETE' }).catch(() => undefined);
  }

  /** Follows the job's events to the end (progress, queue position, cancel) and returns its result handle. */
  awaitResult(jobId: string, callbacks: JobCallbacks = {}): Promise<JobResult> {
    return new Promise((resolve, reject) => {
      const socket = this.openSocket(`${this.baseUrl.replace(/^http/, 'ws')}${routes.jobEvents(jobId)}?${TOKEN_QUERY}=${encodeURIComponent(this.token ?? '')}`);
      let settled = false;
      let stopListening: (() => void) | undefined;
      const finish = (outcome: HelperError | JobResult) => {
        if (settled) return;
        settled = true;
        stopListening?.();
        socket.close();
        if (outcome instanceof HelperError) reject(outcome);
        else resolve(outcome);
      };
      socket.onmessage = ({ data }) => {
        let json: unknown;
        try {
          json = JSON.parse(String(data));
        } catch (error) {
          return finish(new HelperError('protocol', 'the helper sent an unreadable progress event', describe(error)));
        }
        const event = jobEventSchema.safeParse(json);
        if (!event.success) return finish(new HelperError('protocol', 'the helper sent an unexpected progress event', String(data).slice(0, 200)));
        const e = event.data;
        if (e.type === 'progress') callbacks.onProgress?.({ done: e.done, total: e.total, stage: e.stage });
        else if (e.type === 'queued') callbacks.onQueued?.(e.position);
        else if (e.type === 'done') finish(this.resultHandle(jobId, e.image, e.summary));
        else if (e.type === 'failed') finish(new HelperError('job_failed', e.error.message, e.error.code));
        else if (e.type === 'cancelled') finish(cancelled());
      };
      socket.onerror = (event) =>
        finish(new HelperError('not_running', `Lost the connection to the Mend helper. ${START_HELPER_HINT}`, describe((event as { error?: unknown })?.error ?? event)));
      socket.onclose = ({ code, reason }) =>
        finish(
          code === 4404
            ? new HelperError('rejected', `The Mend helper no longer knows this job; run the operation again.`, `WebSocket closed ${code} ${reason}`)
            : new HelperError('not_running', `The Mend helper closed the connection before the job finished. ${START_HELPER_HINT}`, `WebSocket closed ${code} ${reason}`),
        );
      stopListening = callbacks.cancel?.onCancel(() => {
        void this.deleteJob(jobId);
        finish(cancelled());
      });
    });
  }

  private resultHandle(id: string, layout: PixelLayout, summary: JobSummary): JobResult {
    return {
      id,
      summary,
      ...this.resultImage(id, layout, 0),
      output: (index) => {
        if (index === 0) return this.resultImage(id, layout, 0);
        const output = summary.outputs?.[index];
        if (!output) throw new HelperError('protocol', `the helper answered ${summary.outputs?.length ?? 1} outputs, and the panel asked for output ${index}`);
        return this.resultImage(id, output.image, index);
      },
    };
  }

  /** Output `index` of a finished job, band by band: each band's frame header is checked against what the job announced. */
  private resultImage(id: string, layout: PixelLayout, index: number): ResultImage {
    const perRow = rowByteLength(layout);
    const what = index === 0 ? 'the result' : `output ${index} of the result`;
    return {
      layout,
      readBand: async (top, rows) => {
        const bytes = new Uint8Array(await (await this.request(routes.jobResult(id, { top, rows }, index))).arrayBuffer());
        let bodyOffset: number;
        let header;
        try {
          ({ bodyOffset, header } = decodeFrameHeader(bytes, jobResultHeaderSchema));
        } catch (error) {
          if (error instanceof FrameError) throw new HelperError('protocol', `the helper answered a band of ${what} with something unexpected`, describe(error));
          throw error;
        }
        const { band, image } = header;
        if (image.width !== layout.width || image.height !== layout.height || image.channels !== layout.channels || image.bitDepth !== layout.bitDepth) {
          throw new HelperError('protocol', `the helper answered ${what} as ${describeLayout(image)}, not the ${describeLayout(layout)} it announced`);
        }
        if (band?.top !== top || band.rows !== rows || bytes.byteLength - bodyOffset !== rows * perRow) {
          throw new HelperError('protocol', `the helper answered rows ${top}..${top + rows - 1} of ${what} with ${bytes.byteLength - bodyOffset} bytes, not ${rows * perRow}`);
        }
        // A copy that starts at offset 0 and holds just these rows: Photoshop's imaging API takes exact buffers.
        return new Uint8Array(bytes.buffer.slice(bodyOffset));
      },
    };
  }
}
