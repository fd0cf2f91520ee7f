import { SingleBar } from 'cli-progress';
import { PREPARE_CONVERT_STAGE, PREPARE_DOWNLOAD_STAGE } from '../protocol';
import type { TaskProgress } from '../tasks/types';
import type { CliIo } from './cli-io';

const megabytes = (bytes: number) => (bytes / 1e6).toFixed(0);

/** What the bar shows beside itself: tiles of a model, or the bytes and files of a model prepared on first use. */
export function progressText({ done, total, stage }: TaskProgress): { amount: string; stage: string } {
  if (stage === PREPARE_DOWNLOAD_STAGE) return { amount: total ? `${megabytes(done)}/${megabytes(total)} MB` : `${megabytes(done)} MB`, stage: 'preparing the model: downloading' };
  if (stage === PREPARE_CONVERT_STAGE) return { amount: `${done}/${total} files`, stage: 'preparing the model: converting' };
  return { amount: `${done}/${total} tiles`, stage };
}

/** A progress bar on a terminal; silent when stderr is not one (pipes, CI, --json). */
export function createProgressBar(io: CliIo, label: string, enabled: boolean): { update(p: TaskProgress): void; stop(): void } {
  if (!enabled || !io.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({
    format: `${label} [{bar}] {percentage}% | {amount} | {stage}`,
    stream: io.stderr as NodeJS.WritableStream,
    hideCursor: true,
    clearOnComplete: true,
  });
  let started = false;
  return {
    update(progress) {
      // An unknown download size shows as a full bar with the bytes so far beside it.
      const total = progress.total || progress.done;
      if (!started) {
        bar.start(total, progress.done, progressText(progress));
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(progress.done, progressText(progress));
      }
    },
    stop: () => started && bar.stop(),
  };
}
