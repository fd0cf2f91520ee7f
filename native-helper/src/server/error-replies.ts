import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BAND_CONTENT_TYPE, FRAME_CONTENT_TYPE } from '../protocol';
import { HttpError, errorBody } from './http-error';

/**
 * The rest of a refused oversized body is read and dropped up to this many bytes: closing while the
 * client still sends makes the kernel reset the connection, and the reset can destroy the 413 before
 * the client reads it. A client that sends more than this is not one of ours and is cut off.
 */
const OVERSIZED_BODY_DISCARD_BYTES = 2 * 1024 * 1024 * 1024;

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

/** Every failure, unknown endpoints included, answers with an `ErrorBody`; unexpected ones are logged and told apart as `internal`. */
export function addErrorReplies(server: FastifyInstance, bodyLimit: number, log: (message: string) => void): void {
  server.setErrorHandler((error: FastifyError | HttpError, request, reply: FastifyReply) => {
    if (error instanceof HttpError) return reply.status(error.status).send(errorBody(error.code, error.message));
    const status = error.statusCode ?? 500;
    if (status === 413) {
      discardRestOfBody(request, reply);
      return reply
        .status(413)
        .send(errorBody('payload_too_large', `the request is larger than the helper accepts (${bodyLimit} bytes): send large images in bands (pixels: 'bands')`));
    }
    if (status === 415) return reply.status(400).send(errorBody('bad_request', `send a job as ${FRAME_CONTENT_TYPE}, and its bands as ${BAND_CONTENT_TYPE}`));
    if (status < 500) return reply.status(status).send(errorBody('bad_request', error.message));
    log(`request failed: ${error.stack ?? error.message}`);
    return reply.status(500).send(errorBody('internal', 'the helper failed unexpectedly; see its log for details'));
  });

  server.setNotFoundHandler((request, reply) => reply.status(404).send(errorBody('not_found', `no such endpoint: ${request.method} ${request.url.split('?')[0]}`)));
}
