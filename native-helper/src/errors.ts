/**
 * Errors a user can meet carry a code and a message that says what to do. Anything else that
 * escapes is a bug and is reported as `internal`.
 */
export type MendErrorCode = 'bad_usage' | 'bad_input' | 'model_missing' | 'model_invalid' | 'output_exists' | 'cancelled' | 'runtime';

export class MendError extends Error {
  constructor(
    readonly code: MendErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MendError';
  }
}

export class CancelledError extends MendError {
  constructor() {
    super('cancelled', 'the job was cancelled');
  }
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}

/**
 * `work`'s outcome, or a CancelledError as soon as `signal` aborts. For work that cannot be interrupted: a model
 * run in onnxruntime-node goes on to its end (its binding has no way to stop a run, and terminating the thread
 * that waits for it aborts the process), but the job need not wait for it.
 */
export function unlessCancelled<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new CancelledError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new CancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** What a message about a caught value shows: an Error's first line (tools append stacks and dumps below it), else the value itself. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] : String(error);
}
