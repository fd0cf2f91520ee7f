import { MAX_JOB_REQUEST_BYTES, type JobRequestHeader } from '../../../native-helper/src/protocol';
import { HelperError, type JobCallbacks, type JobResult } from '../helper-client/helper-client';
import { addGrain } from './grain';
import type { Bounds, Host, HostMask, HostPixels, SourceKind, SourceRead, WrittenLayer } from './host';
import { cropMask, growAndFeather, isEmptyMask, scaleMask, solidMask } from './mask-math';
import { jobOptionsFor, OPERATION_TITLES, resultName, type OperationRequest } from './operations';
import { bytesOf, layoutOf, pixelsFrom } from './pixel-transfer';
import { regionAround } from './region';

/** The helper as the workflows use it (the HelperClient, or a stand-in in tests). */
export interface JobRunner {
  runJob(header: JobRequestHeader, image: Uint8Array, mask: Uint8Array | undefined, options: JobCallbacks): Promise<JobResult>;
}

export interface WorkflowDependencies {
  host: Host;
  helper: JobRunner;
}

export type WorkflowStage = 'reading' | 'processing' | 'writing';

export interface WorkflowCallbacks extends JobCallbacks {
  onStage?(stage: WorkflowStage): void;
}

export type WorkflowErrorCode = 'needs_selection' | 'nothing_found' | 'too_large';

/** A request the workflow cannot carry out as asked; `message` says what to do. */
export class WorkflowError extends Error {
  constructor(
    readonly code: WorkflowErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'WorkflowError';
  }
}

export interface OperationResult {
  layer: WrittenLayer;
  /** The layer's name, e.g. "Upscale ×4 · realesrgan-x4plus". */
  name: string;
  /** Where it went: the source document's title, or the new document's. */
  documentTitle: string;
}

/** Largest result the panel takes back into Photoshop at once (one typed array in the panel's memory). */
export const MAX_RESULT_BYTES = 2 * 1024 * 1024 * 1024 - 1;

function gigabytes(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}

/** Refuses, before any work, an image the helper would not take or a result the panel could not hold. */
function checkSize(pixels: HostPixels, factor: number): void {
  const sent = pixels.data.byteLength;
  const received = sent * factor * factor;
  if (sent <= MAX_JOB_REQUEST_BYTES && received <= MAX_RESULT_BYTES) return;
  const size = `${pixels.width * factor}×${pixels.height * factor}`;
  throw new WorkflowError(
    'too_large',
    sent > MAX_JOB_REQUEST_BYTES
      ? `This image is ${gigabytes(sent)} of pixels, more than the helper takes at once (${gigabytes(MAX_JOB_REQUEST_BYTES)}): select a part of it, or run \`mend\` on the exported file.`
      : `The result would be ${size} (${gigabytes(received)}), more than the panel can bring back into Photoshop at once: select a part, choose a smaller scale, or run \`mend upscale\` on the exported file.`,
  );
}

/** UXP's and jsdom's AbortSignal lack `throwIfAborted`. */
function stopIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new HelperError('cancelled', 'Cancelled.');
}

/** Inpainting takes its fill from around the hole: read as much context as the selection is large. */
const CONTEXT_SHARE: Record<OperationRequest['kind'], number> = { upscale: 0, restore: 0, inpaint: 1 };

function maskLayout(mask: HostMask, width: number, height: number): JobRequestHeader['mask'] {
  return mask.data.length === width * height ? { width, height, channels: 1, bitDepth: 8, maxValue: 255 } : undefined;
}

function read(host: Host, source: SourceKind, contextShare: number): Promise<SourceRead> {
  return host.read({ source, regionForSelection: (selection, document) => regionAround(selection, document, contextShare) });
}

function offset(bounds: Bounds, factor: number): { left: number; top: number } {
  return { left: bounds.left * factor, top: bounds.top * factor };
}

/**
 * One operation, start to finish: read the source (and selection) in one short modal scope, run the
 * helper job outside any modal scope (Photoshop stays responsive; Cancel stops the job), then write
 * the result as a new masked layer in one history step. Nothing is written after a cancel or an error.
 */
export async function runOperation({ host, helper }: WorkflowDependencies, request: OperationRequest, callbacks: WorkflowCallbacks = {}): Promise<OperationResult> {
  callbacks.onStage?.('reading');
  const source = await read(host, request.source, CONTEXT_SHARE[request.kind]);
  const { pixels, bounds } = source;
  const selection = source.selection && cropMask(source.selection, bounds);
  if (request.kind === 'inpaint' && (!selection || isEmptyMask(selection))) {
    throw new WorkflowError('needs_selection', 'Inpaint fills a selection: select what to remove (e.g. with the Lasso tool), then run Inpaint again.');
  }

  checkSize(pixels, request.kind === 'upscale' ? request.scale : 1);
  callbacks.onStage?.('processing');
  const header: JobRequestHeader = { options: jobOptionsFor(request), image: layoutOf(pixels) };
  const sendMask = request.kind === 'inpaint' && selection ? selection : undefined;
  if (sendMask) header.mask = maskLayout(sendMask, pixels.width, pixels.height);
  const job = await helper.runJob(header, bytesOf(pixels), sendMask?.data, { signal: callbacks.signal, onProgress: callbacks.onProgress, onQueued: callbacks.onQueued });
  stopIfCancelled(callbacks.signal);

  callbacks.onStage?.('writing');
  const result = addGrain(pixelsFrom(job.header.image, job.pixels), request.grain);
  const name = resultName(request, job.header.summary.models);
  const historyName = `Mend ${OPERATION_TITLES[request.kind]}`;
  const factor = result.width / pixels.width;
  const common = { name, pixels: result, opacity: request.opacity, blendMode: request.blendMode, historyName };
  const resultBounds: Bounds = { left: bounds.left * factor, top: bounds.top * factor, right: bounds.left * factor + result.width, bottom: bounds.top * factor + result.height };
  const mask = selection ? growAndFeather(factor === 1 ? selection : scaleMask(selection, factor), request.grow * factor, request.feather) : solidMask(resultBounds);

  if (request.kind === 'upscale' && request.output === 'new-document') {
    const title = `${source.documentTitle.replace(/\.[a-z0-9]+$/i, '')} ×${request.scale}`;
    const layer = await host.writeNewDocument({ ...common, title, width: result.width, height: result.height });
    return { layer, name, documentTitle: title };
  }
  const placement = { documentId: source.documentId, aboveLayerId: source.layerId, at: offset(bounds, factor), mask };
  const layer =
    factor === 1
      ? await host.writeLayer({ ...common, ...placement })
      : await host.resizeAndWrite({ ...common, ...placement, width: source.documentWidth * factor, height: source.documentHeight * factor });
  return { layer, name, documentTitle: source.documentTitle };
}

export interface FindDefectsRequest {
  source: SourceKind;
  sensitivity: number;
}

/**
 * "Find dust & scratches": the defects of the layer (or of the selected part) become the document's
 * selection, for the user to review and edit before Repair fills it.
 */
export async function findDefects({ host, helper }: WorkflowDependencies, request: FindDefectsRequest, callbacks: WorkflowCallbacks = {}): Promise<{ share: number }> {
  callbacks.onStage?.('reading');
  const source = await read(host, request.source, 0);
  callbacks.onStage?.('processing');
  const header: JobRequestHeader = { options: { task: 'find-defects', sensitivity: request.sensitivity }, image: layoutOf(source.pixels) };
  const job = await helper.runJob(header, bytesOf(source.pixels), undefined, { signal: callbacks.signal, onProgress: callbacks.onProgress, onQueued: callbacks.onQueued });
  stopIfCancelled(callbacks.signal);
  let found: HostMask = { bounds: source.bounds, data: job.pixels };
  if (source.selection) {
    const within = cropMask(source.selection, source.bounds);
    found = { bounds: source.bounds, data: found.data.map((v, i) => Math.min(v, within.data[i])) };
  }
  const share = found.data.reduce((n, v) => n + (v ? 1 : 0), 0) / found.data.length;
  if (share === 0) throw new WorkflowError('nothing_found', 'No dust or scratches found. Raise the sensitivity to find fainter ones.');
  callbacks.onStage?.('writing');
  await host.selectMask(source.documentId, found, 'Mend Find Dust & Scratches');
  return { share };
}
