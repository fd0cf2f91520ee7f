import type { TaskContext } from './types';

/**
 * A job's progress in tiles over all its model runs: each run counts on from the tiles done before it,
 * against a total known up front, so the bar never jumps back. Stages are the models' ids.
 */
export class TileProgress {
  private done = 0;

  constructor(
    private readonly context: TaskContext,
    readonly total: number,
  ) {}

  get signal(): AbortSignal {
    return this.context.signal;
  }

  /** A model starts, before its first tile. */
  begin(stage: string): void {
    this.context.onProgress({ done: this.done, total: this.total, stage });
  }

  /** One more tile of `stage` is done. */
  tile(stage: string): void {
    this.context.onProgress({ done: ++this.done, total: this.total, stage });
  }
}
