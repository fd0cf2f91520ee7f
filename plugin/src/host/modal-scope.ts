import { core } from 'photoshop';
import type { ExecutionContext } from 'photoshop/dom/CoreModules';
import { HostError } from '../workflows/host';

/** executeAsModal rejects with this `number` while another plugin (or a modal dialog) holds Photoshop. */
const OTHER_MODAL_SCOPE_ERROR = 9;

function isOtherModalScope(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { number?: unknown }).number === OTHER_MODAL_SCOPE_ERROR;
}

/**
 * Runs `body` with exclusive access to Photoshop, which every state change (and the Imaging API) needs.
 * Scopes are kept short: Photoshop's menus are disabled while one is open.
 */
export async function inModalScope<T>(commandName: string, body: (context: ExecutionContext) => Promise<T>): Promise<T> {
  try {
    return await core.executeAsModal(body, { commandName });
  } catch (error) {
    if (isOtherModalScope(error)) {
      throw new HostError('busy', 'Photoshop is busy with another plugin or an open dialog. Finish that, then try again.');
    }
    throw error;
  }
}

/**
 * Coalesces everything `change` does to the document into one history step named `historyName`. When
 * `change` throws, the document is rolled back to where it was (resumeHistory with commit: false), so a
 * failed operation leaves nothing behind.
 */
export async function asOneHistoryStep<T>(context: ExecutionContext, documentID: number, historyName: string, change: () => Promise<T>): Promise<T> {
  const suspension = await context.hostControl.suspendHistory({ documentID, name: historyName });
  let result: T;
  try {
    result = await change();
  } catch (error) {
    await context.hostControl.resumeHistory(suspension, false);
    throw error;
  }
  await context.hostControl.resumeHistory(suspension, true);
  return result;
}
