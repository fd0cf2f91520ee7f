import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { TOKEN_QUERY, routes } from '../protocol';
import { HttpError } from './http-error';
import { bearerToken, isLoopbackHost, isWebPageOrigin, tokenMatches } from './request-guard';

/** A WebSocket's token comes in the query, as browsers cannot set its headers. */
const socketQuerySchema = z.object({ [TOKEN_QUERY]: z.string().optional() });

function socketToken(request: FastifyRequest): string | undefined {
  const query = socketQuerySchema.safeParse(request.query);
  return query.success ? query.data[TOKEN_QUERY] : undefined;
}

/**
 * Refuses, before any route runs, requests not addressed to the loopback host (DNS rebinding), from web
 * pages, and, pairing aside, without the token.
 */
export function addRequestGuard(server: FastifyInstance, token: string, log: (message: string) => void): void {
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
        log(
          `refused requests from the web page ${origin} (logged once): only the Photoshop panel and local tools may use the helper. If the Mend panel itself was refused, report this Origin in a bug.`,
        );
      }
      throw new HttpError(403, 'forbidden', 'requests from web pages are not allowed');
    }
    if (request.routeOptions.url === routes.pair) return;
    const given = bearerToken(request.headers.authorization) ?? (request.ws ? socketToken(request) : undefined);
    if (!tokenMatches(given, token)) {
      throw new HttpError(401, 'unauthorized', 'missing or wrong token: pair the panel with the code that `mend serve` prints');
    }
  });
}
