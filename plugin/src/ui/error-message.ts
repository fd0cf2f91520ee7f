import { HelperError } from '../helper-client/helper-client';
import { HostError } from '../workflows/host';
import { WorkflowError } from '../workflows/run-operation';

export interface PanelError {
  message: string;
  /** The read failed because the active layer holds no pixels: the merged image can be used instead. */
  offerMerged: boolean;
}

/** What the panel says about a failure: the message of errors meant for users, a plain sentence otherwise. */
export function describeError(error: unknown): PanelError | undefined {
  if (error instanceof HelperError && error.code === 'cancelled') return undefined;
  if (error instanceof HostError) return { message: error.message, offerMerged: error.code === 'not_pixel_layer' || error.code === 'empty_layer' };
  if (error instanceof WorkflowError || error instanceof HelperError) return { message: error.message, offerMerged: false };
  if (error instanceof Error && error.name === 'AbortError') return undefined;
  return { message: `Something went wrong: ${error instanceof Error ? error.message : String(error)}. Your document was not changed.`, offerMerged: false };
}
