import type { FastifyInstance } from 'fastify';
import { HELPER_VERSION } from '../../package-info';
import { routes, type Info } from '../../protocol';
import type { RouteContext } from '../route-context';

/** GET routes.info: the helper's version, execution provider, queue and models. */
export function addInfoRoute(server: FastifyInstance, { app, queue }: RouteContext): void {
  server.get(routes.info, async (): Promise<Info> => {
    const engine = await app.engineInfo();
    return {
      name: 'mend',
      version: HELPER_VERSION,
      api: 1,
      provider: { name: engine.provider, fallbackReason: engine.fallbackReason },
      availableProviders: engine.available,
      queue: queue.counts(),
      models: (await app.listModels()).map(({ id, task, scale, status, domain, default: isDefault, roles }) => ({ id, task, scale, status, domain, default: isDefault, roles })),
    };
  });
}
