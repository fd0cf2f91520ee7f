import {
  FRAME_CONTENT_TYPE,
  TOKEN_QUERY,
  bearer,
  decodeFrameHeader,
  encodeFrameHeader,
  errorBodySchema,
  infoSchema,
  jobEventSchema,
  jobResultHeaderSchema,
  jobStatusSchema,
  pairResponseSchema,
  pixelByteLength,
  routes,
  type Info,
  type JobRequestHeader,
  type JobResultHeader,
  type JobStatus,
} from '../../../native-helper/src/protocol';

/** What went wrong, in words the panel can show as they are. */
export type HelperErrorCode = 'not_running' | 'not_paired' | 'rejected' | 'job_failed' | 'cancelled' | 'protocol';

export class HelperError extends Error {
  constructor(
    readonly code: HelperErrorCode,
    message: string,
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

export interface JobCallbacks {
  signal?: AbortSignal;
  onProgress?: (p: JobProgress) => void;
  /** The helper is busy with other jobs: this many are ahead of ours. */
  onQueued?: (position: number) => void;
}

export interface JobResult {
  header: JobResultHeader;
  pixels: Uint8Array;
}

export const START_HELPER_HINT = 'Start it with `npm start` in the Mend folder (or `mend serve`), then try again.';

/** Talks the helper's protocol: pairing, info, and jobs with progress and cancel. */
export class HelperClient {
  constructor(
    private readonly baseUrl: string,
    private token: string | undefined,
    private readonly openSocket: SocketFactory,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  get paired(): boolean {
    return this.token !== undefined;
  }

  private async request(route: string, init: RequestInit = {}, authorized = true): Promise<Response> {
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${route}`, {
        ...init,
        headers: { ...(authorized && this.token ? { authorization: bearer(this.token) } : {}), ...(init.headers as Record<string, string> | undefined) },
      });
    } catch {
      throw new HelperError('not_running', `The Mend helper is not running at ${this.baseUrl}. ${START_HELPER_HINT}`);
    }
    if (response.ok) return response;
    const body = errorBodySchema.safeParse(await response.json().catch(() => undefined));
    const message = body.success ? body.data.error.message : `the helper answered ${response.status}`;
    if (response.status === 401) throw new HelperError('not_paired', 'Mend is not paired with the helper: enter the pairing code that `mend serve` printed.');
    throw new HelperError('rejected', message);
  }

  /** Exchanges the 6-digit code `mend serve` prints for the token; keep the token (secure storage). */
  async pair(code: string): Promise<string> {
    const response = await this.request(routes.pair, { method: 'POST', body: JSON.stringify({ code }), headers: { 'content-type': 'application/json' } }, false);
    const parsed = pairResponseSchema.safeParse(await response.json());
    if (!parsed.success) throw new HelperError('protocol', 'the helper answered the pairing request with something unexpected');
    this.token = parsed.data.token;
    return this.token;
  }

  async info(): Promise<Info> {
    const parsed = infoSchema.safeParse(await (await this.request(routes.info)).json());
    if (!parsed.success) throw new HelperError('protocol', 'the helper answered with an unexpected info; is it an older version?');
    return parsed.data;
  }

  /**
   * Sends pixels (and a mask) with their layouts, reports progress per tile, and returns the output
   * pixels. Aborting `signal` cancels the job in the helper, which stops at its next tile.
   */
  async runJob(header: JobRequestHeader, image: Uint8Array, mask: Uint8Array | undefined, options: JobCallbacks = {}): Promise<JobResult> {
    if (image.byteLength !== pixelByteLength(header.image)) throw new HelperError('protocol', 'the image bytes do not match their layout');
    const head = encodeFrameHeader(header);
    const body = new Uint8Array(head.byteLength + image.byteLength + (mask?.byteLength ?? 0));
    body.set(head);
    body.set(image, head.byteLength);
    if (mask) body.set(mask, head.byteLength + image.byteLength);
    if (options.signal?.aborted) throw new HelperError('cancelled', 'Cancelled.');
    // An ArrayBuffer body: every fetch takes one (UXP's is not documented for typed arrays).
    const submitted = jobStatusSchema.parse(await (await this.request(routes.jobs, { method: 'POST', body: body.buffer, headers: { 'content-type': FRAME_CONTENT_TYPE } })).json());
    await this.follow(submitted, options);
    const bytes = new Uint8Array(await (await this.request(routes.jobResult(submitted.id))).arrayBuffer());
    const { header: resultHeader, bodyOffset } = decodeFrameHeader(bytes, jobResultHeaderSchema);
    return { header: resultHeader, pixels: bytes.subarray(bodyOffset) };
  }

  private follow(job: JobStatus, options: JobCallbacks): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = this.openSocket(`${this.baseUrl.replace(/^http/, 'ws')}${routes.jobEvents(job.id)}?${TOKEN_QUERY}=${encodeURIComponent(this.token ?? '')}`);
      let settled = false;
      const finish = (error?: HelperError) => {
        if (settled) return;
        settled = true;
        options.signal?.removeEventListener('abort', cancel);
        socket.close();
        if (error) reject(error);
        else resolve();
      };
      const cancel = () => {
        void this.request(routes.job(job.id), { method: 'DELETE' }).catch(() => undefined);
        finish(new HelperError('cancelled', 'Cancelled.'));
      };
      options.signal?.addEventListener('abort', cancel);
      socket.onmessage = ({ data }) => {
        const event = jobEventSchema.safeParse(JSON.parse(String(data)));
        if (!event.success) return finish(new HelperError('protocol', 'the helper sent an unexpected progress event'));
        const e = event.data;
        if (e.type === 'progress') options.onProgress?.({ done: e.done, total: e.total, stage: e.stage });
        else if (e.type === 'queued') options.onQueued?.(e.position);
        else if (e.type === 'done') finish();
        else if (e.type === 'failed') finish(new HelperError('job_failed', e.error.message));
        else if (e.type === 'cancelled') finish(new HelperError('cancelled', 'Cancelled.'));
      };
      socket.onerror = () => finish(new HelperError('not_running', `Lost the connection to the Mend helper. ${START_HELPER_HINT}`));
      socket.onclose = () => finish(new HelperError('not_running', `The Mend helper closed the connection before the job finished. ${START_HELPER_HINT}`));
    });
  }
}
