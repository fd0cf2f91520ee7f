import type { PanelError } from './error-message';
import { ErrorDetails } from './ErrorDetails';

/** Why the last operation failed; when the layer had no pixels, the offer to run on the merged image. */
export function OperationError({ error, onUseMerged }: { error: PanelError; onUseMerged(): void }) {
  return (
    <div role="alert" className="error">
      <sp-body>{error.message}</sp-body>
      <ErrorDetails details={error.details} />
      {error.offerMerged && (
        <sp-button variant="secondary" onClick={onUseMerged}>
          Use the merged image
        </sp-button>
      )}
    </div>
  );
}
