import { SingleBar } from 'cli-progress';
import type { TaskProgress } from '../tasks/types';
import type { CliIo } from './cli-io';

/** A tile progress bar on a terminal; silent when stderr is not one (pipes, CI, --json). */
export function createProgressBar(io: CliIo, label: string, enabled: boolean): { update(p: TaskProgress): void; stop(): void } {
  if (!enabled || !io.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({
    format: `${label} [{bar}] {percentage}% | {value}/{total} tiles | {stage}`,
    stream: io.stderr as NodeJS.WritableStream,
    hideCursor: true,
    clearOnComplete: true,
  });
  let started = false;
  return {
    update({ done, total, stage }) {
      if (!started) {
        bar.start(total, done, { stage });
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(done, { stage });
      }
    },
    stop: () => started && bar.stop(),
  };
}
