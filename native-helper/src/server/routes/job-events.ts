import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../route-context';
import { JOB_ROUTE, jobIdOf } from './job-path';

/** WebSocket routes.jobEvents(id): the job's events as JSON text frames, closed after the last. */
export function addJobEventsRoute(server: FastifyInstance, { queue }: RouteContext): void {
  server.get(`${JOB_ROUTE}/events`, { websocket: true }, (socket, request) => {
    const unsubscribe = queue.subscribe(jobIdOf(request), (event) => {
      socket.send(JSON.stringify(event));
      if (event.type !== 'queued' && event.type !== 'progress') socket.close(1000, event.type);
    });
    if (!unsubscribe) {
      socket.close(4404, 'no such job');
      return;
    }
    socket.on('close', unsubscribe);
  });
}
