import { IDENTITY_MODEL_ID, type ModelInfo } from '@mend/protocol';
import { COMPARE_DETAILS, COMPARE_KINDS, type CompareChoices, type CompareKind } from './operation-choices';
import { Checkbox, Picker } from './widgets';

/** The ready models of a task the user can compare (the self-test's identity model is not one). */
function comparable(models: readonly ModelInfo[], task: string): string[] {
  return models.filter((m) => m.task === task && m.status === 'ready' && m.id !== IDENTITY_MODEL_ID).map((m) => m.id);
}

/** `list` with `item` ticked or unticked, kept in `order`. */
function ticked<T>(list: readonly T[], item: T, tick: boolean, order: readonly T[]): T[] {
  const next = tick ? [...list.filter((x) => x !== item), item] : list.filter((x) => x !== item);
  return order.filter((x) => next.includes(x));
}

/** What a Compare varies, and the models or strengths ticked for it (2–4 run as one helper job). */
export function CompareOptions({
  compare,
  models,
  onChange,
  hint,
}: {
  compare: CompareChoices;
  models: readonly ModelInfo[];
  onChange(compare: CompareChoices): void;
  hint?: string;
}) {
  const upscalers = comparable(models, 'upscale');
  const restorers = comparable(models, 'restore');
  const change = (patch: Partial<CompareChoices>) => onChange({ ...compare, ...patch });
  return (
    <>
      <Picker<CompareKind> label="Compare" value={compare.kind} options={COMPARE_KINDS} onPick={(kind) => change({ kind })} />
      <div className="layer-options" role="group" aria-label="Variants">
        {compare.kind === 'upscale-models' &&
          upscalers.map((id) => (
            <Checkbox
              key={id}
              label={id}
              checked={compare.upscaleModels.includes(id)}
              onToggle={(on) => change({ upscaleModels: ticked(compare.upscaleModels, id, on, upscalers) })}
            />
          ))}
        {compare.kind === 'detail-strengths' &&
          COMPARE_DETAILS.map((detail) => (
            <Checkbox
              key={detail}
              label={`Detail ${detail}`}
              checked={compare.details.includes(detail)}
              onToggle={(on) => change({ details: ticked(compare.details, detail, on, COMPARE_DETAILS) })}
            />
          ))}
        {compare.kind === 'restore-models' &&
          restorers.map((id) => (
            <Checkbox
              key={id}
              label={id}
              checked={compare.restoreModels.includes(id)}
              onToggle={(on) => change({ restoreModels: ticked(compare.restoreModels, id, on, restorers) })}
            />
          ))}
      </div>
      {hint && <sp-detail role="note">{hint}</sp-detail>}
    </>
  );
}
