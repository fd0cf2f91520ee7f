import type { ExecuteAsModalOptions, ExecutionContext, photoshopCore } from 'photoshop/dom/CoreModules';
import { FakeError, state } from './model';

/** The `number` executeAsModal rejects with while another plugin is modal (Photoshop's modal execution docs). */
export const OTHER_PLUGIN_MODAL = 9;

/**
 * Modal scopes as Photoshop documents them: exclusive, nestable, and on exit every history suspension
 * still open is committed (normal return) or cancelled (exception), and auto-close documents are closed.
 */
async function executeAsModal<T>(targetFunction: (executionContext: ExecutionContext, descriptor?: object) => Promise<T>, options: ExecuteAsModalOptions): Promise<T> {
  if (!options.commandName) throw new FakeError('executeAsModal needs a commandName');
  if (state.otherPluginIsModal) throw new FakeError('host is in a modal state', OTHER_PLUGIN_MODAL);
  const outermost = state.modalDepth === 0;
  const suspensionsBefore = new Set(state.suspensions.map((suspension) => suspension.id));
  const context: ExecutionContext = {
    isCancelled: false,
    onCancel: undefined,
    reportProgress: () => undefined,
    hostControl: {
      suspendHistory: async ({ documentID, name }) => ({ historySuspensionID: state.suspend(documentID, name) }),
      resumeHistory: async ({ historySuspensionID }, commit = true) => state.resume(historySuspensionID, commit),
      registerAutoCloseDocument: async (documentID) => void state.autoCloseDocumentIds.add(documentID),
      unregisterAutoCloseDocument: async (documentID) => void state.autoCloseDocumentIds.delete(documentID),
    },
  };
  state.modalDepth++;
  let succeeded = false;
  try {
    const result = await targetFunction(context, options.descriptor);
    succeeded = true;
    return result;
  } finally {
    state.modalDepth--;
    for (const suspension of state.suspensions.filter((candidate) => !suspensionsBefore.has(candidate.id))) state.resume(suspension.id, succeeded);
    if (outermost) {
      for (const documentId of state.autoCloseDocumentIds) state.closeDocument(documentId);
      state.autoCloseDocumentIds.clear();
    }
  }
}

export const fakeCore = { executeAsModal } satisfies Pick<typeof photoshopCore, 'executeAsModal'>;
