import { randomUUID } from 'node:crypto';
import { RECEIVING_STAGE, type JobError, type JobEvent, type JobOptions, type JobOutput, type JobState, type JobStatus, type JobSummary, type PixelLayout } from '../protocol';
import { CancelledError, MendError } from '../errors';
import { layoutOf, type PixelImage } from '../imaging/pixel-image';
import type { TaskInput, TaskOutput, TaskRunner } from '../tasks/types';
import { BandUpload, type UploadPart } from './band-upload';
import { RowSet } from './row-set';

interface Job {
  id: string;
  state: JobState;
  /** A receiving job's input, filling band by band. */
  upload?: { options: JobOptions; bands: BandUpload; idleTimer: NodeJS.Timeout };
  input?: TaskInput;
  /** Every image the job answers, the main result first; all are freed once every row of each has been sent. */
  outputs?: PixelImage[];
  /** Rows of each output sent in full so far. */
  sent?: RowSet[];
  resultLayout?: PixelLayout;
  summary?: JobSummary;
  error?: JobError;
  progress: { done: number; total: number; stage: string };
  controller: AbortController;
  listeners: Set<(event: JobEvent) => void>;
  queuedAt: number;
  startedAt?: number;
  finishedAt?: number;
}

export interface JobQueueOptions {
  /** A receiving job that gets no band for this long is dropped with its buffers. */
  receiveTimeoutMs?: number;
  log?: (message: string) => void;
}

/** A client that stopped sending bands has crashed or lost its document; its buffers may be gigabytes. */
const RECEIVE_TIMEOUT_MS = 2 * 60_000;

/**
 * Finished jobs stay known so their clients can fetch the result and read how they ended; past the
 * newest four they are dropped, results and all, as a result nobody fetched may be gigabytes.
 */
const KEEP_FINISHED_JOBS = 4;
/** A finished job is forgotten after this long even when fewer are finished: its client has long fetched it or gone. */
const FINISHED_JOB_TTL_MS = 10 * 60_000;

const TERMINAL: readonly JobState[] = ['done', 'failed', 'cancelled'];

function toJobError(error: unknown): JobError {
  if (error instanceof MendError) return { code: error.code, message: error.message };
  return { code: 'internal', message: 'the helper failed unexpectedly; see its log for details' };
}

/** Every output of a job that answers several, described for its summary, the main result first. */
function outputsOf(output: TaskOutput): JobOutput[] {
  const main = output.main ?? { kind: 'result', label: output.models.join(' + '), models: output.models };
  return [{ ...main, image: layoutOf(output.image) }, ...(output.extraOutputs ?? []).map(({ image, ...described }) => ({ ...described, image: layoutOf(image) }))];
}

/**
 * First in, first out, one job at a time: the GPU runs best on one thing, and memory stays that of
 * one job. Cancelling a queued job removes it at once; a running one stops at its next tile.
 */
export class JobQueue {
  private readonly jobs = new Map<string, Job>();
  private readonly waiting: Job[] = [];
  private running?: Job;
  private readonly receiveTimeoutMs: number;
  private readonly log: (message: string) => void;

  constructor(
    private readonly runTask: TaskRunner,
    options: JobQueueOptions = {},
  ) {
    this.receiveTimeoutMs = options.receiveTimeoutMs ?? RECEIVE_TIMEOUT_MS;
    this.log = options.log ?? (() => undefined);
  }

  submit(input: TaskInput): JobStatus {
    const job = this.create('queued', { done: 0, total: 0, stage: 'queued' });
    job.input = input;
    this.waiting.push(job);
    this.pump();
    return this.statusOf(job);
  }

  /** A job whose pixels come in bands (`writeBand`); it joins the queue once every row has arrived. */
  receive(options: JobOptions, image: PixelLayout, mask?: PixelLayout): JobStatus {
    const bands = new BandUpload(image, mask);
    const job = this.create('receiving', { done: 0, total: bands.expected, stage: RECEIVING_STAGE });
    job.upload = { options, bands, idleTimer: this.dropWhenIdle(job) };
    return this.statusOf(job);
  }

  /**
   * Copies a band into a receiving job (see `BandUpload.write`, which throws `BandRefusal`). Callers
   * check first that the job is receiving.
   */
  writeBand(id: string, part: UploadPart, top: number, bytes: Uint8Array): void {
    const job = this.jobs.get(id);
    const upload = job?.upload;
    if (!job || !upload) throw new Error(`job ${id} is not receiving`);
    upload.bands.write(part, top, bytes);
    clearTimeout(upload.idleTimer);
    upload.idleTimer = this.dropWhenIdle(job);
    job.progress = { done: upload.bands.received, total: upload.bands.expected, stage: RECEIVING_STAGE };
    this.emit(job, { type: 'progress', ...job.progress });
    if (!upload.bands.complete) return;
    clearTimeout(upload.idleTimer);
    job.upload = undefined;
    job.input = { options: upload.options, image: upload.bands.image, mask: upload.bands.mask };
    job.state = 'queued';
    job.queuedAt = Date.now();
    job.progress = { done: 0, total: 0, stage: 'queued' };
    this.waiting.push(job);
    this.emit(job, { type: 'queued', position: this.waiting.length - 1 });
    this.pump();
  }

  status(id: string): JobStatus | undefined {
    const job = this.jobs.get(id);
    return job && this.statusOf(job);
  }

  counts(): { running: number; waiting: number } {
    return { running: this.running ? 1 : 0, waiting: this.waiting.length };
  }

  /** Cancels a queued or running job; finished jobs are left as they are. */
  cancel(id: string): JobStatus | undefined {
    const job = this.jobs.get(id);
    if (!job) return undefined;
    if (job.state === 'receiving') {
      this.dropUpload(job);
      this.finish(job, 'cancelled');
    } else if (job.state === 'queued') {
      this.waiting.splice(this.waiting.indexOf(job), 1);
      this.finish(job, 'cancelled');
      this.announcePositions();
    } else if (job.state === 'running') {
      job.controller.abort();
    }
    return this.statusOf(job);
  }

  /** Listens to a job's events; a finished job's last event is replayed at once. Returns the unsubscribe. */
  subscribe(id: string, listener: (event: JobEvent) => void): (() => void) | undefined {
    const job = this.jobs.get(id);
    if (!job) return undefined;
    const terminal = this.terminalEvent(job);
    if (terminal) {
      listener(terminal);
      return () => undefined;
    }
    listener(job.state === 'queued' ? { type: 'queued', position: this.waiting.indexOf(job) } : { type: 'progress', ...job.progress });
    job.listeners.add(listener);
    return () => job.listeners.delete(listener);
  }

  /** Output `index` of a done job (0, the main result, by default) until its outputs are freed. Callers check the index against the summary. */
  result(id: string, index = 0): { image: PixelImage; summary: JobSummary } | undefined {
    const job = this.jobs.get(id);
    const image = job?.outputs?.[index];
    return image && job.summary ? { image, summary: job.summary } : undefined;
  }

  /**
   * Notes rows of output `index` a client has received in full; once every row of every output has
   * been, the outputs are freed: a result is a whole image (a 24 MP photo ×4 is 384 MP, 1.2 GB as 8-bit
   * RGB), and the panel fetches each row once, in bands in any order. The job stays known, done, without them.
   */
  resultSent(id: string, index: number, top: number, rows: number): void {
    const job = this.jobs.get(id);
    const sent = job?.sent?.[index];
    if (!job || !sent) return;
    sent.add(top, rows);
    if (!job.sent?.every((rowsSent) => rowsSent.complete)) return;
    job.outputs = undefined;
    job.sent = undefined;
  }

  /** Waits for the running job to stop (after cancelling everything) so a server can close cleanly. */
  async shutdown(): Promise<void> {
    for (const job of [...this.jobs.values()].filter((j) => j.state === 'receiving')) this.cancel(job.id);
    for (const job of [...this.waiting]) this.cancel(job.id);
    const running = this.running;
    if (!running) return;
    await new Promise<void>((resolve) => {
      running.listeners.add((event) => event.type !== 'progress' && resolve());
      running.controller.abort();
    });
  }

  private create(state: JobState, progress: Job['progress']): Job {
    const job: Job = { id: randomUUID(), state, progress, controller: new AbortController(), listeners: new Set(), queuedAt: Date.now() };
    this.jobs.set(job.id, job);
    return job;
  }

  private dropWhenIdle(job: Job): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.dropUpload(job);
      const minutes = this.receiveTimeoutMs / 60_000;
      job.error = { code: 'timeout', message: `no pixels arrived for ${minutes} minute${minutes === 1 ? '' : 's'}, so the helper dropped the job: run the operation again` };
      this.finish(job, 'failed');
    }, this.receiveTimeoutMs);
    timer.unref();
    return timer;
  }

  private dropUpload(job: Job): void {
    if (job.upload) clearTimeout(job.upload.idleTimer);
    job.upload = undefined;
  }

  private statusOf(job: Job): JobStatus {
    return {
      id: job.id,
      state: job.state,
      position: job.state === 'queued' ? this.waiting.indexOf(job) : 0,
      progress: job.progress,
      summary: job.summary,
      result: job.state === 'done' ? job.resultLayout : undefined,
      error: job.error,
    };
  }

  private emit(job: Job, event: JobEvent): void {
    for (const listener of [...job.listeners]) listener(event);
  }

  private terminalEvent(job: Job): JobEvent | undefined {
    if (job.state === 'done' && job.summary && job.resultLayout) return { type: 'done', summary: job.summary, image: job.resultLayout };
    if (job.state === 'failed' && job.error) return { type: 'failed', error: job.error };
    if (job.state === 'cancelled') return { type: 'cancelled' };
    return undefined;
  }

  private announcePositions(): void {
    this.waiting.forEach((job, position) => this.emit(job, { type: 'queued', position }));
  }

  private pump(): void {
    if (this.running) return;
    const job = this.waiting.shift();
    if (!job) return;
    this.running = job;
    this.announcePositions();
    void this.execute(job);
  }

  private async execute(job: Job): Promise<void> {
    job.state = 'running';
    job.startedAt = Date.now();
    const input = job.input;
    job.input = undefined;
    try {
      if (!input) throw new Error('job has no input');
      const output = await this.runTask(input, {
        signal: job.controller.signal,
        onProgress: (progress) => {
          job.progress = progress;
          this.emit(job, { type: 'progress', ...progress });
        },
      });
      const finishedAt = Date.now();
      const extras = output.extraOutputs ?? [];
      job.outputs = [output.image, ...extras.map((extra) => extra.image)];
      job.resultLayout = layoutOf(output.image);
      job.sent = job.outputs.map((image) => new RowSet(image.height));
      job.summary = {
        task: input.options.task,
        models: output.models,
        provider: output.provider,
        tiles: output.tiles,
        timings: { queuedMs: job.startedAt - job.queuedAt, runMs: finishedAt - job.startedAt },
        ...(extras.length ? { outputs: outputsOf(output) } : {}),
        ...(output.faces ? { faces: output.faces } : {}),
      };
      this.finish(job, 'done');
    } catch (error) {
      if (error instanceof CancelledError) {
        this.finish(job, 'cancelled');
      } else {
        if (!(error instanceof MendError)) this.log(`job ${job.id} failed: ${(error as Error)?.stack ?? String(error)}`);
        job.error = toJobError(error);
        this.finish(job, 'failed');
      }
    } finally {
      this.running = undefined;
      this.pump();
    }
  }

  private finish(job: Job, state: JobState): void {
    job.state = state;
    job.finishedAt = Date.now();
    const event = this.terminalEvent(job);
    if (event) this.emit(job, event);
    job.listeners.clear();
    this.forgetOldJobs();
    const timer = setTimeout(() => this.jobs.delete(job.id), FINISHED_JOB_TTL_MS);
    timer.unref();
  }

  private forgetOldJobs(): void {
    const finished = [...this.jobs.values()].filter((j) => TERMINAL.includes(j.state)).sort((a, b) => (a.finishedAt ?? 0) - (b.finishedAt ?? 0));
    for (const job of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED_JOBS))) this.jobs.delete(job.id);
  }
}
