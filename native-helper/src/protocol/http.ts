import { z } from 'zod';
import { PROTOCOL_VERSION } from './version';

export const API_PREFIX = '/v1';
/** Default port of `mend serve`; documented in the README and named in the plugin manifest. */
export const DEFAULT_PORT = 47811;
/** Browsers cannot set headers on a WebSocket: the events socket carries the token as this query parameter. */
export const TOKEN_QUERY = 'token';

/** The Authorization header value every request carries. */
export function bearer(token: string): string {
  return `Bearer ${token}`;
}

/** Content type of a band of rows (PUT routes.jobImage / routes.jobMask). */
export const BAND_CONTENT_TYPE = 'application/octet-stream';

/** Rows [top, top + rows) of an image. */
export interface RowBand {
  top: number;
  rows: number;
}

const jobPath = (id: string) => `${API_PREFIX}/jobs/${encodeURIComponent(id)}`;

export const routes = {
  info: `${API_PREFIX}/info`,
  pair: `${API_PREFIX}/pair`,
  jobs: `${API_PREFIX}/jobs`,
  job: jobPath,
  jobEvents: (id: string) => `${jobPath(id)}/events`,
  /**
   * PUT a band of a receiving job's image: the body is whole rows starting at row `top` (204). A band
   * may be sent again (a retry): its rows are overwritten and counted once.
   */
  jobImage: (id: string, top: number) => `${jobPath(id)}/image?top=${top}`,
  /** PUT a band of a receiving job's mask, as routes.jobImage. */
  jobMask: (id: string, top: number) => `${jobPath(id)}/mask?top=${top}`,
  /**
   * GET the result: whole, or one band of rows; `output` picks one of the summary's outputs (0, the main
   * result, when absent). The helper frees the results once every row of every output has been sent in
   * full (bands in any order), and answers 410 afterwards.
   */
  jobResult: (id: string, band?: RowBand, output?: number) => {
    const query = [...(band ? [`top=${band.top}`, `rows=${band.rows}`] : []), ...(output ? [`output=${output}`] : [])];
    return `${jobPath(id)}/result${query.length ? `?${query.join('&')}` : ''}`;
  },
} as const;

const rowNumber = z
  .string()
  .regex(/^\d{1,9}$/, 'must be a whole number of rows')
  .transform(Number);

/** Query of PUT routes.jobImage / routes.jobMask. */
export const bandQuerySchema = z.object({ top: rowNumber });

/** Query of GET routes.jobResult: a band (both fields) or the whole result (neither), of output `output` (0 when absent). */
export const resultQuerySchema = z
  .object({
    top: rowNumber.optional(),
    rows: rowNumber.refine((n) => n > 0, 'must be at least 1').optional(),
    output: z.string().regex(/^\d$/, 'must be the index of one of the summary’s outputs').transform(Number).optional(),
  })
  .refine((q) => (q.top === undefined) === (q.rows === undefined), { message: 'give both top and rows for a band, or neither for the whole result' });

/**
 * Largest POST /v1/jobs body the helper takes (it holds the request in memory): a 134 MP 16-bit RGBA image,
 * or 268 MP of 8-bit RGBA. The panel checks it before sending, with a message that says what to do.
 */
export const MAX_JOB_REQUEST_BYTES = 1024 * 1024 * 1024;

/** Every non-2xx answer has this body. */
export const errorBodySchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
export type ErrorBody = z.infer<typeof errorBodySchema>;

export const ERROR_CODES = [
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'payload_too_large',
  /** The job's result would not fit the helper's limits (pixels or this machine's memory). */
  'too_large',
  /** The request does not fit the job's state (e.g. a band for a job that is no longer receiving). */
  'conflict',
  'model_missing',
  'not_ready',
  'gone',
  'pairing_failed',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const modelInfoSchema = z.object({
  id: z.string(),
  task: z.string(),
  scale: z.number(),
  /** `available`: a model prepared on first use (downloaded and converted by the first job that needs it), not built yet. */
  status: z.enum(['ready', 'available', 'missing', 'corrupt', 'not-built']),
  domain: z.string().optional(),
  /** The catalog's pick for its task: what the panel preselects. */
  default: z.boolean().optional(),
  /** The roles the model is the catalog's pick for: how the panel finds the model of a Restore problem. */
  roles: z.array(z.string()).optional(),
});
export type ModelInfo = z.infer<typeof modelInfoSchema>;

/** GET /v1/info. Its first three fields are `helperIdentitySchema` (protocol/version.ts), kept by every protocol. */
export const infoSchema = z.object({
  name: z.literal('mend'),
  version: z.string(),
  api: z.literal(PROTOCOL_VERSION),
  provider: z.object({ name: z.string(), fallbackReason: z.string().optional() }),
  availableProviders: z.array(z.string()),
  queue: z.object({ running: z.number().int(), waiting: z.number().int() }),
  models: z.array(modelInfoSchema),
});
export type Info = z.infer<typeof infoSchema>;

/** POST /v1/pair: the one step that hands the token to the panel. `mend serve` prints the code. */
export const pairRequestSchema = z.object({ code: z.string().regex(/^\d{6}$/, 'the pairing code is 6 digits') });
export const pairResponseSchema = z.object({ token: z.string() });
