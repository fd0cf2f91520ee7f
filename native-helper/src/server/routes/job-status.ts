import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../route-context';
import { JOB_ROUTE, jobIdOf, unknownJob } from './job-path';

/** GET routes.job(id): a job's status; DELETE: cancels it and answers its status. */
export function addJobStatusRoutes(server: FastifyInstance, { queue }: RouteContext): void {
  server.get(JOB_ROUTE, async (request) => {
    const status = queue.status(jobIdOf(request));
    if (!status) throw unknownJob(jobIdOf(request));
    return status;
  });

  server.delete(JOB_ROUTE, async (request) => {
    const status = queue.cancel(jobIdOf(request));
    if (!status) throw unknownJob(jobIdOf(request));
    return status;
  });
}
