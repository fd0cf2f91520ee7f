import type { FastifyInstance } from 'fastify';
import { describeIssues, pairRequestSchema, routes } from '../../protocol';
import { HttpError } from '../http-error';
import type { RouteContext } from '../route-context';

/** POST routes.pair: the token, for the code `mend serve` printed. */
export function addPairingRoute(server: FastifyInstance, { pairing, token }: RouteContext): void {
  server.post(routes.pair, async (request) => {
    const parsed = pairRequestSchema.safeParse(request.body);
    if (!parsed.success) throw new HttpError(400, 'bad_request', describeIssues(parsed.error));
    if (!pairing.attempt(parsed.data.code)) {
      const why = pairing.closed ? 'too many wrong codes; restart `mend serve` for a new one' : 'wrong pairing code; check the code `mend serve` printed';
      throw new HttpError(403, 'pairing_failed', why);
    }
    return { token };
  });
}
