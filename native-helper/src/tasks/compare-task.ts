import { MendError } from '../errors';
import type { CompareOptions } from '../protocol';
import type { TaskJob, TaskResult } from './types';

/** Compare jobs need a job with several outputs, which the next change brings. */
export async function compareTask(_job: TaskJob<CompareOptions>): Promise<TaskResult> {
  throw new MendError('bad_usage', 'this helper cannot compare variants yet; update Mend');
}
