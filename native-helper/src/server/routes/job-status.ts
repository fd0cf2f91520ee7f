import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../route-context';
import { JOB_ROUTE, jobIdOf, unknownJob } from './job-path';

/** GET routes.job(id): a job's status; DELETE: cancels it and answers its status. */
export function addJobStatusRoutes(server: FastifyInstance, { queue }: RouteContext): void {
  server.get(JOB_ROUTE, async (request) => {
    const id = jobIdOf(request);
    const status = queue.status(id);
    if (!status) throw unknownJob(id);
    return status;
  });

  server.delete(JOB_ROUTE, async (request) => {
    const id = jobIdOf(request);
    const status = queue.cancel(id);
    if (!status) throw unknownJob(id);
    return status;
  });
}
