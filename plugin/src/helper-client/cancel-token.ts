/**
 * Cancellation the panel owns. UXP does not document AbortSignal's addEventListener, so nothing in the
 * panel depends on it: the Cancel button calls `cancel()`, and every long step either polls `cancelled`
 * between bands or listens with `onCancel`.
 */
export class CancelToken {
  private listeners = new Set<() => void>();
  private isCancelled = false;

  get cancelled(): boolean {
    return this.isCancelled;
  }

  cancel(): void {
    if (this.isCancelled) return;
    this.isCancelled = true;
    const listeners = [...this.listeners];
    this.listeners.clear();
    for (const listener of listeners) listener();
  }

  /** Calls `listener` once when cancelled (at once if already cancelled); returns the unsubscribe. */
  onCancel(listener: () => void): () => void {
    if (this.isCancelled) {
      listener();
      return () => undefined;
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
