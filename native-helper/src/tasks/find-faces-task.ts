import { MendError, throwIfCancelled } from '../errors';
import { detectFaces } from '../faces/detect-faces';
import { faceThumbnail } from '../faces/face-thumbnail';
import { writeWhole } from '../imaging/image-sink';
import { FACE_THUMBNAIL_SIDE, MAX_FACES, type FindFacesOptions } from '../protocol';
import { faceToolsOf } from './face-tools-of';
import type { TaskDependencies, TaskJob, TaskResult } from './types';

export const FIND_FACES_STAGE = 'find-faces';
export const FACE_THUMBNAIL_LABEL = 'Face';

/**
 * Every face of the image, best first, as the summary's `faces` (box, score) and one thumbnail output
 * each (the first streamed, the others held). A photo without a face fails, saying what Faces can find.
 */
export async function findFacesTask({ image, sink, context }: TaskJob<FindFacesOptions>, dependencies: TaskDependencies): Promise<TaskResult> {
  context.onProgress({ done: 0, total: 1, stage: FIND_FACES_STAGE });
  const tools = faceToolsOf(dependencies);
  const analysis = await tools.analysis(context.signal);
  const found = (await detectFaces(analysis.detector, image, { signal: context.signal })).slice(0, MAX_FACES);
  throwIfCancelled(context.signal);
  if (found.length === 0) {
    throw new MendError(
      'bad_input',
      'no face was found: Faces finds faces from about 24 pixels across, looking roughly toward the camera; select a region with a face, or choose another photo',
    );
  }
  const thumbnails = found.map((face, index) => ({
    kind: 'face-thumbnail' as const,
    label: `${FACE_THUMBNAIL_LABEL} ${index + 1}`,
    models: [],
    image: faceThumbnail(image, face.box, FACE_THUMBNAIL_SIDE),
  }));
  const [first, ...others] = thumbnails;
  await writeWhole(sink, first.image);
  context.onProgress({ done: 1, total: 1, stage: FIND_FACES_STAGE });
  return {
    models: [],
    provider: tools.provider(),
    tiles: 0,
    width: FACE_THUMBNAIL_SIDE,
    height: FACE_THUMBNAIL_SIDE,
    main: { kind: first.kind, label: first.label, models: first.models },
    extraOutputs: others,
    faces: found.map(({ box, score }) => ({ box, score })),
  };
}
