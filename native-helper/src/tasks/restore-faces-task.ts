import { pasteMask } from '../faces/paste-faces';
import { restorePhotoFaces } from '../faces/restore-photo-faces';
import { writeWhole } from '../imaging/image-sink';
import type { RestoreFacesOptions } from '../protocol';
import { faceToolsOf } from './face-tools-of';
import type { TaskDependencies, TaskJob, TaskResult } from './types';

export const RESTORE_FACES_STAGE = 'restore-faces';
export const FACE_MASK_LABEL = 'Face regions';

/**
 * The chosen faces (all when none are named) restored and pasted back at the job's strength: the image
 * streams as output 0, named by its restorer ("no face model installed: general detail" without a face
 * model); output 1 is the mask of the pasted regions. Each face's identity check goes to the summary.
 */
export async function restoreFacesTask({ options, image, sink, context }: TaskJob<RestoreFacesOptions>, dependencies: TaskDependencies): Promise<TaskResult> {
  context.onProgress({ done: 0, total: 1, stage: RESTORE_FACES_STAGE });
  const tools = faceToolsOf(dependencies);
  const { restorer, models } = await tools.restorer(options.model, context);
  const analysis = await tools.analysis(context.signal);
  const restored = await restorePhotoFaces(image, analysis, restorer, options.strength, { signal: context.signal, only: options.faces });
  await writeWhole(sink, restored.image);
  context.onProgress({ done: 1, total: 1, stage: RESTORE_FACES_STAGE });
  return {
    models,
    provider: tools.provider(),
    tiles: 0,
    width: image.width,
    height: image.height,
    main: { kind: 'result', label: restorer.label, models },
    extraOutputs: [{ kind: 'face-mask', label: FACE_MASK_LABEL, models: [], image: pasteMask(image.width, image.height, restored.regions) }],
    faces: restored.faces.map(({ box, score, identity, mayNotLookLikeSamePerson }) => ({
      box,
      score,
      // A cosine a rounding past ±1 would fail the summary's schema on the panel's side.
      ...(identity === undefined ? {} : { identity: Math.max(-1, Math.min(1, identity)), mayNotLookLikeSamePerson }),
    })),
  };
}
