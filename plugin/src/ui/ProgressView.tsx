import { PREPARE_STAGE } from '@mend/protocol';
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

/**
 * What the bar's label and the line under it say: the model's preparation on its first use, tiles while
 * the model runs, else the stage; the line also says when the helper is busy.
 */
function progressWording({ label, stage, progress, waitingBehind }: Running): { bar: string; line: string } {
  const job = stage === 'processing' ? progress : undefined;
  const preparing = job?.stage === PREPARE_STAGE;
  const tiles = preparing ? undefined : job;
  const bar = preparing ? `${label}: preparing the model…` : tiles ? `${label}: ${tiles.done}/${tiles.total}` : STAGE_LABELS[stage];
  if (waitingBehind) return { bar, line: `The helper is busy: waiting for ${waitingBehind} job${waitingBehind > 1 ? 's' : ''} ahead of this one…` };
  if (preparing) return { bar, line: `First use: downloading and preparing the model (${percentOf(job)} %). Later runs skip this.` };
  return { bar, line: tiles ? `${label}: ${tiles.done} of ${tiles.total} tiles` : bar };
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
