import { MendError } from '../errors';
import type { FaceTools, TaskDependencies } from './types';

/** The face models a face job needs; a helper wired without them refuses the job. */
export function faceToolsOf(dependencies: TaskDependencies): FaceTools {
  if (!dependencies.faces) throw new MendError('runtime', 'this helper has no face models wired: update Mend, then run `mend models prepare`');
  return dependencies.faces;
}
