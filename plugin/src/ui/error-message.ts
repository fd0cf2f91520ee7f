import { HelperError } from '../helper-client/helper-client';
import { HostError } from '../workflows/host';
import { WorkflowError } from '../workflows/run-operation';

export interface PanelError {
  message: string;
  /** The underlying error's name and message (e.g. "TypeError: Illegal invocation"), for a tester to report. */
  details?: string;
  /** The read failed because the active layer holds no pixels: the merged image can be used instead. */
  offerMerged: boolean;
}

/** What the panel says about a failure: the message of errors meant for users, a plain sentence otherwise. */
export function describeError(error: unknown): PanelError | undefined {
  if (error instanceof HelperError && error.code === 'cancelled') return undefined;
  if (error instanceof HostError) return { message: error.message, offerMerged: error.code === 'not_pixel_layer' || error.code === 'empty_layer' };
  if (error instanceof HelperError) return { message: error.message, details: error.details, offerMerged: false };
  if (error instanceof WorkflowError) return { message: error.message, offerMerged: false };
  if (error instanceof Error && error.name === 'AbortError') return undefined;
  return {
    message: `Something went wrong: ${error instanceof Error ? error.message : String(error)}. Your document was not changed.`,
    details: error instanceof Error ? underlyingError(error) : undefined,
    offerMerged: false,
  };
}

/** "TypeError: Illegal invocation": an unexpected error's name says more than its message alone. */
export function underlyingError(error: Error): string {
  return `${error.name}: ${error.message}`;
}
