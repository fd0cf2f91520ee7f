import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { describeIssues, routes } from '../../protocol';
import { HttpError } from '../http-error';

/** Route pattern behind routes.job(id), routes.jobEvents(id) and routes.jobResult(id). */
export const JOB_ROUTE = `${routes.jobs}/:id`;

const jobParamsSchema = z.object({ id: z.string() });

export function jobIdOf(request: FastifyRequest): string {
  const params = jobParamsSchema.safeParse(request.params);
  if (!params.success) throw new HttpError(400, 'bad_request', describeIssues(params.error));
  return params.data.id;
}

export function unknownJob(id: string): HttpError {
  return new HttpError(404, 'not_found', `there is no job ${id}; it may have finished long ago`);
}
