import type { FastifyInstance } from 'fastify';
import { HELPER_VERSION } from '../../package-info';
import { PANEL_API_HEADER, PANEL_VERSION_HEADER, PROTOCOL_VERSION, routes, versionVerdict, type Info } from '../../protocol';
import type { RouteContext } from '../route-context';

/**
 * The panel's versions from its info request's headers, when it sent them (panels before the handshake did
 * not); anything malformed counts as not sent: the panel says the same in its own words.
 */
function panelVersionOf(headers: Record<string, string | string[] | undefined>): { version: string; api: number } | undefined {
  const version = headers[PANEL_VERSION_HEADER];
  const api = Number(headers[PANEL_API_HEADER]);
  if (typeof version !== 'string' || !/^[\w.+-]{1,40}$/.test(version) || !Number.isInteger(api) || api < 1) return undefined;
  return { version, api };
}

/** GET routes.info: the helper's version, execution provider, queue and models. */
export function addInfoRoute(server: FastifyInstance, { app, queue, log }: RouteContext): void {
  // The panel polls info every few seconds: each mismatched panel version is logged once, not on every poll.
  const mismatchesLogged = new Set<string>();
  server.get(routes.info, async (request): Promise<Info> => {
    const panel = panelVersionOf(request.headers);
    if (panel) {
      const verdict = versionVerdict(panel, { version: HELPER_VERSION, api: PROTOCOL_VERSION });
      const key = `${panel.version}/${panel.api}`;
      if (verdict.kind !== 'match' && !mismatchesLogged.has(key)) {
        mismatchesLogged.add(key);
        log(verdict.message);
      }
    }
    const engine = await app.engineInfo();
    return {
      name: 'mend',
      version: HELPER_VERSION,
      api: PROTOCOL_VERSION,
      provider: { name: engine.provider, fallbackReason: engine.fallbackReason },
      availableProviders: engine.available,
      queue: queue.counts(),
      models: (await app.listModels()).map(({ id, task, scale, status, domain, default: isDefault, roles }) => ({ id, task, scale, status, domain, default: isDefault, roles })),
    };
  });
}
