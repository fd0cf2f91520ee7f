import { PREPARE_CONVERT_STAGE, PREPARE_DOWNLOAD_STAGE } from '@mend/protocol';
import type { CancelToken } from '../helper-client/cancel-token';
import type { JobProgress } from '../helper-client/helper-client';
import type { WorkflowStage } from '../workflows/run-operation';

/** An operation under way, as the panel shows it. */
export interface Running {
  label: string;
  stage: WorkflowStage;
  progress?: JobProgress;
  /** Jobs ahead of ours while the helper is busy. */
  waitingBehind?: number;
  cancel: CancelToken;
}

const STAGE_LABELS: Record<WorkflowStage, string> = { reading: 'Reading pixels…', processing: 'Processing…', writing: 'Adding the layer…' };

function percentOf(progress: JobProgress | undefined): number {
  return progress && progress.total > 0 ? Math.round((100 * progress.done) / progress.total) : 0;
}

const megabytes = (bytes: number) => Math.round(bytes / 1e6);

/** The line under the bar while the helper prepares the job's model on its first use; undefined at other stages. */
function preparationLine({ done, total, stage }: JobProgress): string | undefined {
  if (stage === PREPARE_DOWNLOAD_STAGE) return `First use: downloading the model, ${megabytes(done)}${total > 0 ? ` of ${megabytes(total)}` : ''} MB…`;
  if (stage === PREPARE_CONVERT_STAGE) return `First use: converting the model, ${done} of ${total} files…`;
  return undefined;
}

/**
 * What the bar's label and the line under it say: the model's preparation on its first use, tiles while
 * the model runs, else the stage; the line also says when the helper is busy.
 */
function progressWording({ label, stage, progress, waitingBehind }: Running): { bar: string; line: string } {
  const job = stage === 'processing' ? progress : undefined;
  const preparing = job && preparationLine(job);
  const tiles = preparing ? undefined : job;
  const bar = preparing ? `${label}: preparing the model…` : tiles ? `${label}: ${tiles.done}/${tiles.total}` : STAGE_LABELS[stage];
  if (waitingBehind) return { bar, line: `The helper is busy: waiting for ${waitingBehind} job${waitingBehind > 1 ? 's' : ''} ahead of this one…` };
  return { bar, line: preparing ?? (tiles ? `${label}: ${tiles.done} of ${tiles.total} tiles` : bar) };
}

export function ProgressView({ running }: { running: Running }) {
  const percent = percentOf(running.progress);
  const wording = progressWording(running);
  return (
    <div className="progress" role="progressbar" aria-valuenow={percent} aria-valuemin={0} aria-valuemax={100} aria-label={running.label}>
      <sp-progressbar max={100} value={percent} label={wording.bar} />
      <sp-body>{wording.line}</sp-body>
      <sp-button variant="secondary" onClick={() => running.cancel.cancel()}>
        Cancel
      </sp-button>
    </div>
  );
}
