import type { JobOptions } from '@mend/protocol';
import type { CancelToken } from '../helper-client/cancel-token';
import { HelperError, type BandSource, type JobCallbacks, type JobResult } from '../helper-client/helper-client';
import { bandsOf, rowsPerBand } from './bands';
import { addGrain } from './grain';
import type { BandedPixels, Bounds, Host, HostMask, PixelFormat, SourceKind, SourceRead, WrittenLayer } from './host';
import { cropMask, growAndFeather, isEmptyMask, scaleMask } from './mask-math';
import { jobOptionsFor, OPERATION_TITLES, resultName, type OperationRequest } from './operations';
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
}

/** What is known of the source once its pixels have gone to the helper. */
type SentSource = Omit<SourceRead, 'pixels'> & { format: PixelFormat; jobId: string };

function stopIfCancelled(cancel: CancelToken | undefined): void {
  if (cancel?.cancelled) throw new HelperError('cancelled', 'Cancelled.');
}

/** Inpainting takes its fill from around the hole: read as much context as the selection is large. */
const CONTEXT_SHARE: Record<OperationRequest['kind'] | 'find-defects' | 'compare', number> = { upscale: 0, restore: 0, inpaint: 1, 'find-defects': 0, compare: 0 };

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

/** The job's result as pixels in the source's profile, fetched band by band while the host writes them, grain added per band. */
function resultPixels(job: JobResult, colorProfile: string, grain: number): BandedPixels {
  const { width, height, channels, bitDepth } = job.layout;
  if (bitDepth === 32) throw new HelperError('protocol', 'the helper answered 32-bit samples to an 8/16-bit request');
  const format = { width, height, channels, bitDepth, colorProfile };
  return {
    ...format,
    readBand: async (top, rows) => addGrain({ ...format, height: rows, data: samplesOf(bitDepth, await job.readBand(top, rows)) }, grain, top).data,
  };
}

function selectionWithin(source: SourceRead): HostMask | undefined {
  return source.selection && cropMask(source.selection, source.bounds);
}

/**
 * One operation, start to finish: stream the source (and selection) to the helper in one modal scope, run
 * the job outside any modal scope (Photoshop stays responsive; Cancel stops the job), then write the result
 * band by band as a new masked layer in one history step. Nothing is written after a cancel or an error.
 */
export async function runOperation(deps: WorkflowDependencies, request: OperationRequest, callbacks: WorkflowCallbacks = {}): Promise<OperationResult> {
  let selection: HostMask | undefined;
  const source = await sendSource(deps, request.source, jobOptionsFor(request), callbacks, (read) => {
    selection = selectionWithin(read);
    if (request.kind !== 'inpaint') return undefined;
    if (!selection || isEmptyMask(selection)) {
      throw new WorkflowError('needs_selection', 'Inpaint fills a selection: select what to remove (e.g. with the Lasso tool), then run Inpaint again.');
    }
    return selection;
  });
  const job = await awaitJob(deps.helper, source.jobId, callbacks);

  callbacks.onStage?.('writing');
  const pixels = resultPixels(job, source.format.colorProfile, request.grain);
  const name = resultName(request, job.summary.models);
  const common = { name, pixels, opacity: request.opacity, blendMode: request.blendMode, historyName: `Mend ${OPERATION_TITLES[request.kind]}` };

  if (request.kind === 'upscale' && request.output === 'new-document') {
    const title = `${source.documentTitle.replace(/\.[a-z0-9]+$/i, '')} ×${request.scale}`;
    const layer = await deps.host.writeNewDocument({ ...common, title, width: pixels.width, height: pixels.height });
    return { layer, name, documentTitle: title };
  }
  const factor = pixels.width / source.format.width;
  const mask: HostMask | 'reveal-all' = selection ? growAndFeather(factor === 1 ? selection : scaleMask(selection, factor), request.grow * factor, request.feather) : 'reveal-all';
  const placement = { documentId: source.documentId, aboveLayerId: source.layerId, at: { left: source.bounds.left * factor, top: source.bounds.top * factor }, mask };
  const layer =
    factor === 1
      ? await deps.host.writeLayer({ ...common, ...placement })
      : await deps.host.resizeAndWrite({ ...common, ...placement, width: source.documentWidth * factor, height: source.documentHeight * factor });
  return { layer, name, documentTitle: source.documentTitle };
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
  let selection: HostMask | undefined;
  const source = await sendSource(deps, request.source, { task: 'find-defects', sensitivity: request.sensitivity }, callbacks, (read) => {
    selection = selectionWithin(read);
    return undefined;
  });
  const job = await awaitJob(deps.helper, source.jobId, callbacks);
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
