import type { FastifyInstance } from 'fastify';
import { Readable } from 'node:stream';
import { layoutOf } from '../../imaging/pixel-image';
import { FRAME_CONTENT_TYPE, describeIssues, encodeFrameHeader, resultQuerySchema, rowByteLength, type JobResultHeader, type JobSummary } from '../../protocol';
import { HttpError } from '../http-error';
import type { RouteContext } from '../route-context';
import { JOB_ROUTE, jobIdOf, unknownJob } from './job-path';

/** Result bodies go out in slices of the output buffer, never as one copy. */
const RESULT_CHUNK_BYTES = 1 << 20;

function* resultChunks(header: Uint8Array, pixels: Uint8Array): Generator<Uint8Array> {
  yield header;
  for (let at = 0; at < pixels.byteLength; at += RESULT_CHUNK_BYTES) yield pixels.subarray(at, at + RESULT_CHUNK_BYTES);
}

/** Why output `index` is not one of a done job's, or undefined when it is. */
function badOutput(id: string, index: number, summary: JobSummary | undefined): string | undefined {
  const count = summary?.outputs?.length ?? 1;
  if (index < count) return undefined;
  if (count === 1) return `job ${id} answers one output: leave out output, or give output=0`;
  return `job ${id} answers ${count} outputs (its summary's outputs): give output=0 to ${count - 1}`;
}

/**
 * GET routes.jobResult(id, band?, output?): one output of a done job (the main result by default), whole or
 * one band of rows; the outputs are freed once every row of each has been sent.
 */
export function addJobResultRoute(server: FastifyInstance, { queue }: RouteContext): void {
  server.get(`${JOB_ROUTE}/result`, async (request, reply) => {
    const id = jobIdOf(request);
    const query = resultQuerySchema.safeParse(request.query);
    if (!query.success) throw new HttpError(400, 'bad_request', describeIssues(query.error));
    const status = queue.status(id);
    if (!status) throw unknownJob(id);
    const index = query.data.output ?? 0;
    const wrongOutput = status.state === 'done' ? badOutput(id, index, status.summary) : undefined;
    if (wrongOutput) throw new HttpError(400, 'bad_request', wrongOutput);
    const result = queue.result(id, index);
    if (!result && status.state === 'done')
      throw new HttpError(410, 'gone', `job ${id}'s result was already sent; the helper keeps a result only until it is fetched, so run the operation again`);
    if (!result) throw new HttpError(409, 'not_ready', `job ${id} is ${status.state}; its result exists once it is done`);
    const image = result.image;
    const layout = layoutOf(image);
    const top = query.data.top ?? 0;
    const rows = query.data.rows ?? image.height;
    if (top + rows > image.height)
      throw new HttpError(400, 'bad_request', `rows ${top}..${top + rows - 1} run past the ${index === 0 ? 'result' : `output ${index}`}'s ${image.height} rows`);
    const header: JobResultHeader = { image: layout, summary: result.summary, ...(query.data.top === undefined ? {} : { band: { top, rows } }) };
    const headerBytes = encodeFrameHeader(header);
    const perRow = rowByteLength(layout);
    const pixels = new Uint8Array(image.data.buffer, image.data.byteOffset + top * perRow, rows * perRow);
    reply.header('content-type', FRAME_CONTENT_TYPE);
    reply.header('content-length', headerBytes.byteLength + pixels.byteLength);
    // Rows sent whole (not cut off by a dropped connection) count; once all of every output have, the outputs are freed.
    reply.raw.once('finish', () => queue.resultSent(id, index, top, rows));
    return reply.send(Readable.from(resultChunks(headerBytes, pixels)));
  });
}
