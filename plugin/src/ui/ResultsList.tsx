import type { WrittenLayer } from '../workflows/host';

/** A layer the panel wrote, newest first in the list. */
export interface Result {
  name: string;
  documentTitle: string;
  layer: WrittenLayer;
  visible: boolean;
}

/** Each result with its before/after toggle and a button that brings it to the front. */
export function ResultsList({ results, onToggle, onReveal }: { results: readonly Result[]; onToggle(result: Result): void; onReveal(result: Result): void }) {
  if (results.length === 0) return null;
  return (
    <div role="region" aria-label="Results">
      <sp-heading size="XS">Results</sp-heading>
      <div className="results">
        {results.map((result) => (
          <div className="result" key={`${result.layer.documentId}:${result.layer.layerId}`}>
            <sp-action-button quiet onClick={() => onToggle(result)} aria-label={`${result.visible ? 'Hide' : 'Show'} ${result.name}`}>
              {result.visible ? 'After' : 'Before'}
            </sp-action-button>
            <sp-action-button quiet onClick={() => onReveal(result)}>
              {result.name} — {result.documentTitle}
            </sp-action-button>
          </div>
        ))}
      </div>
    </div>
  );
}
