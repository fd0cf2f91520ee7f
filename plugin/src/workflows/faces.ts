import type { FaceBox, JobFace } from '@mend/protocol';
import { HelperError, type ResultImage } from '../helper-client/helper-client';
import { bandsOf, rowsPerBand } from './bands';
import type { HostMask, RgbPicture, SourceKind, WrittenLayer } from './host';
import { growAndFeather } from './mask-math';
import type { LayerSettings } from './operations';
import { resultPixels, runJob, type WorkflowCallbacks, type WorkflowDependencies } from './run-operation';

/** A face found in the source, for the user to choose. */
export interface FoundFace {
  /** In the pixels read (the selection's region, or the whole layer): handed back to restore it. */
  box: FaceBox;
  score: number;
  thumbnail: RgbPicture;
}

export interface RestoreFacesRequest extends Pick<LayerSettings, 'grow' | 'feather' | 'opacity' | 'blendMode'> {
  source: SourceKind;
  /** The chosen faces' boxes, from `findFaces` on the same source and selection. */
  faces: FaceBox[];
  /** 0..1 */
  strength: number;
}

export interface RestoredFaces {
  layer: WrittenLayer;
  /** The document written into. */
  documentTitle: string;
  /** The layer's name: "Faces · " and what restored them (a face model, or "no face model installed: general detail"). */
  name: string;
  /** What restored the faces, as the helper names it. */
  restorer: string;
  /** Each restored face with its identity check, in the order chosen. */
  faces: JobFace[];
}

/** Every row of a one-channel or RGB output, gathered band by band. */
async function wholeImage(image: ResultImage): Promise<Uint8Array> {
  const { width, height, channels, bitDepth } = image.layout;
  if (bitDepth !== 8) throw new HelperError('protocol', `the helper answered a ${bitDepth}-bit picture where 8 bits were expected`);
  const data = new Uint8Array(width * height * channels);
  for (const band of bandsOf(height, rowsPerBand(width * channels))) data.set(await image.readBand(band.top, band.rows), band.top * width * channels);
  return data;
}

/** Index of the summary's output of `kind`; an answer without it is from a helper that does not know the job. */
function outputOf(job: { summary: { outputs?: Array<{ kind: string }> } }, kind: string, index = 0): number {
  const found = (job.summary.outputs ?? []).flatMap((o, i) => (o.kind === kind ? [i] : []))[index];
  if (found === undefined) throw new HelperError('protocol', `the helper answered no ${kind}; is it an older version?`);
  return found;
}

/**
 * Faces, step 1: the faces of the layer (or of the selected part), each with its thumbnail. Nothing is
 * written. A photo without a face ends with the helper's message saying so.
 */
export async function findFaces(deps: WorkflowDependencies, source: SourceKind, callbacks: WorkflowCallbacks = {}): Promise<FoundFace[]> {
  const { job } = await runJob(deps, source, { task: 'find-faces' }, callbacks);
  const faces = job.summary.faces ?? [];
  const found: FoundFace[] = [];
  for (const [index, face] of faces.entries()) {
    // One face: the job answers its thumbnail alone, without a list of outputs.
    const image = index === 0 ? job : job.output(outputOf(job, 'face-thumbnail', index));
    const { width, height, channels } = image.layout;
    if (channels !== 3) throw new HelperError('protocol', `the helper answered a face thumbnail of ${channels} channels, not RGB`);
    found.push({ box: face.box, score: face.score, thumbnail: { width, height, data: await wholeImage(image) } });
  }
  return found;
}

/** The face regions, within the user's selection (grown and feathered as every result's mask) when there is one. */
function faceLayerMask(faces: HostMask, selection: HostMask | undefined, grow: number, feather: number): HostMask {
  if (!selection) return faces;
  const within = growAndFeather(selection, grow, feather);
  return { bounds: faces.bounds, data: faces.data.map((v, i) => Math.min(v, within.data[i])) };
}

/**
 * Faces, step 2: the chosen faces restored and pasted into ONE layer above the source, masked to the face
 * regions (within the selection, if any), in one history step. Nothing is written after a cancel or an error.
 */
export async function restoreFaces(deps: WorkflowDependencies, request: RestoreFacesRequest, callbacks: WorkflowCallbacks = {}): Promise<RestoredFaces> {
  const finished = await runJob(deps, request.source, { task: 'restore-faces', faces: request.faces, strength: request.strength }, callbacks);
  const { job, source, selection } = finished;
  const main = job.summary.outputs?.[0];
  if (!main) throw new HelperError('protocol', 'the helper answered restored faces without naming their restorer; is it an older version?');
  const maskImage = job.output(outputOf(job, 'face-mask'));
  if (maskImage.layout.channels !== 1 || maskImage.layout.width !== job.layout.width || maskImage.layout.height !== job.layout.height) {
    throw new HelperError('protocol', 'the helper answered a face mask that does not match its image');
  }
  const mask = faceLayerMask({ bounds: source.bounds, data: await wholeImage(maskImage) }, selection, request.grow, request.feather);

  callbacks.onStage?.('writing');
  const name = `Faces · ${main.label}`;
  const written = await deps.host.writeLayer({
    name,
    pixels: resultPixels(job, source.format.colorProfile, 0),
    opacity: request.opacity,
    blendMode: request.blendMode,
    historyName: 'Mend Faces',
    documentId: source.documentId,
    aboveLayerId: source.layerId,
    at: { left: source.bounds.left, top: source.bounds.top },
    mask,
  });
  return { layer: { documentId: written.documentId, layerId: written.layerId }, documentTitle: source.documentTitle, name, restorer: main.label, faces: job.summary.faces ?? [] };
}
