import type { JobOptions } from '@mend/protocol';
import type { CancelToken } from '../helper-client/cancel-token';
import { HelperError, type BandSource, type JobCallbacks, type JobResult, type ResultImage } from '../helper-client/helper-client';
import { bandsOf, rowsPerBand } from './bands';
import { addGrain } from './grain';
import type { BandedPixels, Bounds, Host, HostMask, LayerContent, PixelFormat, SourceKind, SourceRead, WrittenLayer, WrittenLayers } from './host';
import { inventedDetailOverlay } from './invented-detail';
import { cropMask, growAndFeather, isEmptyMask, scaleMask } from './mask-math';
import { jobOptionsFor, OPERATION_TITLES, resultName, type LayerSettings, type OperationRequest, type UpscaleOutput } from './operations';
import { bandSourceOf, maskSourceOf, samplesOf } from './pixel-transfer';
import { regionAround } from './region';

/** The helper as the workflows use it (the HelperClient, or a stand-in in tests). */
export interface JobRunner {
  startJob(options: JobOptions, image: BandSource, mask: BandSource | undefined, cancel?: CancelToken): Promise<string>;
  awaitResult(jobId: string, callbacks?: JobCallbacks): Promise<JobResult>;
}

export interface WorkflowDependencies {
  host: Host;
  helper: JobRunner;
}

export type WorkflowStage = 'reading' | 'processing' | 'writing';

export interface WorkflowCallbacks extends JobCallbacks {
  onStage?(stage: WorkflowStage): void;
}

export type WorkflowErrorCode = 'needs_selection' | 'nothing_found';

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
  /** Where the layer's pixels lie in its document. */
  bounds: Bounds;
  /** The hidden overlay of invented detail above the layer, when the upscale asked for the map. */
  inventedDetail?: WrittenLayer;
}

/** What is known of the source once its pixels have gone to the helper. */
type SentSource = Omit<SourceRead, 'pixels'> & { format: PixelFormat; jobId: string };

/** A job run to its end: the source it was sent, the selection within what was read, and the result. */
export interface FinishedJob {
  source: SentSource;
  selection?: HostMask;
  job: JobResult;
}

function stopIfCancelled(cancel: CancelToken | undefined): void {
  if (cancel?.cancelled) throw new HelperError('cancelled', 'Cancelled.');
}

/** Inpainting takes its fill from around the hole: read as much context as the selection is large. */
const CONTEXT_SHARE: Record<JobOptions['task'], number> = {
  upscale: 0,
  restore: 0,
  inpaint: 1,
  'find-defects': 0,
  compare: 0,
  // A face partly outside the selection is still found whole, and both face jobs read the same region.
  'find-faces': 0.25,
  'restore-faces': 0.25,
};

/**
 * Reads the source in one modal scope and streams it, band by band, into a new helper job; the job's
 * mask (if any) is made from the source by `maskFor`. The scope ends once every band is sent.
 */
function sendSource(
  { host, helper }: WorkflowDependencies,
  source: SourceKind,
  options: JobOptions,
  callbacks: WorkflowCallbacks,
  maskFor: (source: SourceRead) => HostMask | undefined = () => undefined,
): Promise<SentSource> {
  callbacks.onStage?.('reading');
  const read = { source, regionForSelection: (selection: Bounds, document: { width: number; height: number }) => regionAround(selection, document, CONTEXT_SHARE[options.task]) };
  return host.read(read, async (sourceRead) => {
    const mask = maskFor(sourceRead);
    const jobId = await helper.startJob(options, bandSourceOf(sourceRead.pixels), mask && maskSourceOf(mask), callbacks.cancel);
    const { pixels, ...rest } = sourceRead;
    const { readBand: _readBand, ...format } = pixels;
    return { ...rest, format, jobId };
  });
}

/** Follows the job to its end and hands back the result, cancellation checked once more. */
async function awaitJob(helper: JobRunner, jobId: string, callbacks: WorkflowCallbacks): Promise<JobResult> {
  callbacks.onStage?.('processing');
  const job = await helper.awaitResult(jobId, { cancel: callbacks.cancel, onProgress: callbacks.onProgress, onQueued: callbacks.onQueued });
  stopIfCancelled(callbacks.cancel);
  return job;
}

/**
 * Sends the source (and, for inpainting, the selection as the job's mask) and runs the job to its end. The
 * selection within what was read is kept: it becomes the result's layer mask.
 */
export async function runJob(deps: WorkflowDependencies, source: SourceKind, options: JobOptions, callbacks: WorkflowCallbacks, selectionIsJobMask = false): Promise<FinishedJob> {
  let selection: HostMask | undefined;
  const sent = await sendSource(deps, source, options, callbacks, (read) => {
    selection = selectionWithin(read);
    if (!selectionIsJobMask) return undefined;
    if (!selection || isEmptyMask(selection)) {
      throw new WorkflowError('needs_selection', 'Inpaint fills a selection: select what to remove (e.g. with the Lasso tool), then run Inpaint again.');
    }
    return selection;
  });
  const job = await awaitJob(deps.helper, sent.jobId, callbacks);
  return { source: sent, ...(selection ? { selection } : {}), job };
}

/** An image of the job as pixels in the source's profile, fetched band by band while the host writes them, grain added per band. */
export function resultPixels(image: ResultImage, colorProfile: string, grain: number): BandedPixels {
  const { width, height, channels, bitDepth } = image.layout;
  if (bitDepth === 32) throw new HelperError('protocol', 'the helper answered 32-bit samples to an 8/16-bit request');
  const format = { width, height, channels, bitDepth, colorProfile };
  return {
    ...format,
    readBand: async (top, rows) => addGrain({ ...format, height: rows, data: samplesOf(bitDepth, await image.readBand(top, rows)) }, grain, top).data,
  };
}

function selectionWithin(source: SourceRead): HostMask | undefined {
  return source.selection && cropMask(source.selection, source.bounds);
}

/** Where results go: an upscale's `output` (a new document, or the source's resized), else above the source. */
export interface ResultTarget {
  upscale?: { scale: number; output: UpscaleOutput };
  layer: Pick<LayerSettings, 'grow' | 'feather'>;
}

/** The layers of one write: the main one, perhaps more above it, perhaps in a group of their own. */
export interface ResultStack {
  main: LayerContent;
  above: LayerContent[];
  group?: string;
  historyName: string;
}

export interface WrittenResult {
  written: WrittenLayers;
  documentTitle: string;
  bounds: Bounds;
}

/**
 * Writes the layers in one history step: into a new document, or above the source (the document resized first
 * when the result is larger), each masked by the selection grown and feathered (reveal-all without one).
 */
export async function writeResult({ host }: WorkflowDependencies, target: ResultTarget, { source, selection }: FinishedJob, stack: ResultStack): Promise<WrittenResult> {
  const { main, above, group, historyName } = stack;
  const { width, height } = main.pixels;
  if (target.upscale?.output === 'new-document') {
    const title = `${source.documentTitle.replace(/\.[a-z0-9]+$/i, '')} ×${target.upscale.scale}`;
    const layersAbove = above.map((layer) => ({ ...layer, mask: 'reveal-all' as const }));
    const written = await host.writeNewDocument({ ...main, layersAbove, group, historyName, title, width, height });
    return { written, documentTitle: title, bounds: { left: 0, top: 0, right: width, bottom: height } };
  }
  const factor = width / source.format.width;
  const { grow, feather } = target.layer;
  const mask: HostMask | 'reveal-all' = selection ? growAndFeather(factor === 1 ? selection : scaleMask(selection, factor), grow * factor, feather) : 'reveal-all';
  const at = { left: source.bounds.left * factor, top: source.bounds.top * factor };
  const write = { ...main, layersAbove: above.map((layer) => ({ ...layer, mask })), group, historyName, documentId: source.documentId, aboveLayerId: source.layerId, at, mask };
  const written =
    factor === 1 ? await host.writeLayer(write) : await host.resizeAndWrite({ ...write, width: source.documentWidth * factor, height: source.documentHeight * factor });
  return { written, documentTitle: source.documentTitle, bounds: { left: at.left, top: at.top, right: at.left + width, bottom: at.top + height } };
}

/**
 * One operation, start to finish: stream the source (and selection) to the helper in one modal scope, run
 * the job outside any modal scope (Photoshop stays responsive; Cancel stops the job), then write the result
 * band by band as a new masked layer in one history step (with the map of invented detail as a hidden overlay
 * above it, when asked for). Nothing is written after a cancel or an error.
 */
export async function runOperation(deps: WorkflowDependencies, request: OperationRequest, callbacks: WorkflowCallbacks = {}): Promise<OperationResult> {
  const finished = await runJob(deps, request.source, jobOptionsFor(request), callbacks, request.kind === 'inpaint');
  const { job, source } = finished;

  callbacks.onStage?.('writing');
  const pixels = resultPixels(job, source.format.colorProfile, request.grain);
  const name = resultName(request, job.summary.models);
  const main = { name, pixels, opacity: request.opacity, blendMode: request.blendMode };
  const upscale = request.kind === 'upscale' ? request : undefined;
  const above = upscale?.inventedDetail ? [inventedDetailOverlay(job, pixels)] : [];
  const { written, documentTitle, bounds } = await writeResult(deps, { upscale, layer: request }, finished, {
    main,
    above,
    historyName: `Mend ${OPERATION_TITLES[request.kind]}`,
  });
  const layer = { documentId: written.documentId, layerId: written.layerId };
  return { layer, name, documentTitle, bounds, ...(upscale?.inventedDetail ? { inventedDetail: written.layersAbove[0] } : {}) };
}

export interface FindDefectsRequest {
  source: SourceKind;
  sensitivity: number;
}

/** The whole one-channel result of a job, gathered band by band. */
async function wholeMask(job: JobResult): Promise<Uint8Array> {
  const { width, height } = job.layout;
  const data = new Uint8Array(width * height);
  for (const band of bandsOf(height, rowsPerBand(width))) data.set(await job.readBand(band.top, band.rows), band.top * width);
  return data;
}

/**
 * "Find dust & scratches": the defects of the layer (or of the selected part) become the document's
 * selection, for the user to review and edit before Repair fills it.
 */
export async function findDefects(deps: WorkflowDependencies, request: FindDefectsRequest, callbacks: WorkflowCallbacks = {}): Promise<{ share: number }> {
  const { source, selection, job } = await runJob(deps, request.source, { task: 'find-defects', sensitivity: request.sensitivity }, callbacks);
  let found: HostMask = { bounds: source.bounds, data: await wholeMask(job) };
  if (selection) {
    const within = selection;
    found = { bounds: source.bounds, data: found.data.map((v, i) => Math.min(v, within.data[i])) };
  }
  const share = found.data.reduce((n, v) => n + (v ? 1 : 0), 0) / found.data.length;
  if (share === 0) throw new WorkflowError('nothing_found', 'No dust or scratches found. Raise the sensitivity to find fainter ones.');
  callbacks.onStage?.('writing');
  await deps.host.selectMask(source.documentId, found, 'Mend Find Dust & Scratches');
  return { share };
}
