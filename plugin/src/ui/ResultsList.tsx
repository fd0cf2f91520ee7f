import type { CompareResult } from '../workflows/compare';
import type { WrittenLayer } from '../workflows/host';
import type { InventedDetailTarget } from '../workflows/invented-detail';

/** A layer the panel wrote. */
export interface LayerResult {
  kind: 'layer';
  name: string;
  documentTitle: string;
  layer: WrittenLayer;
  visible: boolean;
  /** Its map of invented detail, when written: the hidden overlay above it. */
  inventedDetail?: Omit<InventedDetailTarget, 'result'> & { visible: boolean };
}

/** The variants of one Compare, `shown` the one visible. */
export interface CompareEntry {
  kind: 'compare';
  compare: CompareResult;
  shown: number;
}

/** What the results list shows, newest first. */
export type Result = LayerResult | CompareEntry;

export interface ResultActions {
  onToggle(result: LayerResult): void;
  onReveal(result: LayerResult): void;
  onToggleMap(result: LayerResult): void;
  onMaskOut(result: LayerResult): void;
  onShowVariant(entry: CompareEntry, index: number): void;
  onNextVariant(entry: CompareEntry): void;
  onKeepVariant(entry: CompareEntry): void;
}

function keyOf(result: Result): string {
  const layer = result.kind === 'layer' ? result.layer : result.compare.group;
  return `${result.kind}:${layer.documentId}:${layer.layerId}`;
}

/** A result with its before/after toggle, a button that brings it to the front, and its map's buttons. */
function LayerRow({ result, actions }: { result: LayerResult; actions: ResultActions }) {
  const map = result.inventedDetail;
  return (
    <>
      <div className="result">
        <sp-action-button quiet onClick={() => actions.onToggle(result)} aria-label={`${result.visible ? 'Hide' : 'Show'} ${result.name}`}>
          {result.visible ? 'After' : 'Before'}
        </sp-action-button>
        <sp-action-button quiet onClick={() => actions.onReveal(result)}>
          {result.name} — {result.documentTitle}
        </sp-action-button>
      </div>
      {map && (
        <div className="result">
          <sp-action-button quiet onClick={() => actions.onToggleMap(result)} aria-label={`${map.visible ? 'Hide' : 'Show'} the invented detail of ${result.name}`}>
            {map.visible ? 'Hide map' : 'Show map'}
          </sp-action-button>
          <sp-action-button quiet onClick={() => actions.onMaskOut(result)} aria-label={`Mask out invented detail of ${result.name}`}>
            Mask out invented detail
          </sp-action-button>
        </div>
      )}
    </>
  );
}

/** A Compare: one button per variant (shows it alone), Next (the following one), Keep this (the one shown). */
function CompareRows({ entry, actions }: { entry: CompareEntry; actions: ResultActions }) {
  const { compare, shown } = entry;
  return (
    <div role="group" aria-label={`Compare — ${compare.documentTitle}`}>
      <sp-detail>Compare — {compare.documentTitle}</sp-detail>
      {compare.variants.map((variant, index) => (
        <div className="result" key={variant.layer.layerId}>
          <sp-action-button quiet aria-pressed={index === shown} onClick={() => actions.onShowVariant(entry, index)}>
            {index === shown ? '● ' : '○ '}
            {variant.name}
          </sp-action-button>
        </div>
      ))}
      <div className="actions">
        <sp-action-button onClick={() => actions.onNextVariant(entry)}>Next</sp-action-button>
        <sp-action-button onClick={() => actions.onKeepVariant(entry)} aria-label={`Keep ${compare.variants[shown].name}`}>
          Keep this
        </sp-action-button>
      </div>
    </div>
  );
}

export function ResultsList({ results, actions }: { results: readonly Result[]; actions: ResultActions }) {
  if (results.length === 0) return null;
  return (
    <div role="region" aria-label="Results">
      <sp-heading size="XS">Results</sp-heading>
      <div className="results">
        {results.map((result) =>
          result.kind === 'layer' ? <LayerRow key={keyOf(result)} result={result} actions={actions} /> : <CompareRows key={keyOf(result)} entry={result} actions={actions} />,
        )}
      </div>
    </div>
  );
}
