import type { FastifyInstance } from 'fastify';
import { BandRefusal } from '../../jobs/band-upload';
import { BAND_CONTENT_TYPE, bandQuerySchema, describeIssues } from '../../protocol';
import { HttpError } from '../http-error';
import type { RouteContext } from '../route-context';
import { JOB_ROUTE, jobIdOf, unknownJob } from './job-path';

/** PUT routes.jobImage(id, top) and routes.jobMask(id, top): a band of rows of a receiving job's image or mask. */
export function addJobBandRoutes(server: FastifyInstance, { queue }: RouteContext): void {
  for (const part of ['image', 'mask'] as const) {
    server.put(`${JOB_ROUTE}/${part}`, async (request, reply) => {
      const id = jobIdOf(request);
      const query = bandQuerySchema.safeParse(request.query);
      if (!query.success) throw new HttpError(400, 'bad_request', `the band's ${describeIssues(query.error)}`);
      const status = queue.status(id);
      if (!status) throw unknownJob(id);
      if (status.state !== 'receiving') throw new HttpError(409, 'conflict', `job ${id} is ${status.state}: it takes no more bands`);
      if (!Buffer.isBuffer(request.body)) throw new HttpError(400, 'bad_request', `send whole rows of the ${part} as ${BAND_CONTENT_TYPE}`);
      try {
        queue.writeBand(id, part, query.data.top, request.body);
      } catch (error) {
        if (error instanceof BandRefusal) throw new HttpError(400, 'bad_request', error.message);
        throw error;
      }
      return reply.status(204).send();
    });
  }
}
