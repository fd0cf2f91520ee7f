import Fastify, { type FastifyInstance } from 'fastify';
import websocket from '@fastify/websocket';
import { BAND_CONTENT_TYPE, DEFAULT_PORT, FRAME_CONTENT_TYPE, MAX_JOB_REQUEST_BYTES } from '../protocol';
import type { MendApp } from '../app';
import { configDir as defaultConfigDir } from '../config/config-dir';
import { loadOrCreateToken } from '../config/token';
import { JobQueue } from '../jobs/job-queue';
import { addErrorReplies } from './error-replies';
import { Pairing } from './pairing';
import { addRequestGuard } from './request-guard-hook';
import type { RouteContext } from './route-context';
import { addInfoRoute } from './routes/info';
import { addJobBandRoutes } from './routes/job-bands';
import { addJobEventsRoute } from './routes/job-events';
import { addJobResultRoute } from './routes/job-result';
import { addJobStatusRoutes } from './routes/job-status';
import { addJobSubmissionRoute } from './routes/job-submission';
import { addPairingRoute } from './routes/pairing';

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

/** Jobs and their bands arrive as raw bytes, for the routes to decode. */
function acceptBinaryBodies(server: FastifyInstance, bodyLimit: number): void {
  for (const type of [FRAME_CONTENT_TYPE, BAND_CONTENT_TYPE]) {
    server.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit }, (_request, body, done) => done(null, body));
  }
}

/** Builds the helper's HTTP API (not listening yet), for `startServer` and for tests. */
export async function buildServer(
  app: MendApp,
  options: { token: string; pairing: Pairing; bodyLimit: number; log: (m: string) => void },
): Promise<{ server: FastifyInstance; queue: JobQueue }> {
  const { token, pairing, bodyLimit, log } = options;
  const queue = new JobQueue(app.runTask, { log });
  const server = Fastify({ bodyLimit, logger: false });
  await server.register(websocket);
  acceptBinaryBodies(server, bodyLimit);
  addRequestGuard(server, token, log);
  addErrorReplies(server, bodyLimit, log);

  const context: RouteContext = { app, queue, token, pairing, log };
  addInfoRoute(server, context);
  addPairingRoute(server, context);
  addJobSubmissionRoute(server, context);
  addJobStatusRoutes(server, context);
  addJobBandRoutes(server, context);
  addJobResultRoute(server, context);
  addJobEventsRoute(server, context);
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
