import { IDENTITY_MODEL_ID, type ModelInfo } from '@mend/protocol';
import { COMPARE_DETAILS, COMPARE_KINDS, type CompareChoices, type CompareKind } from './operation-choices';
import { Checkbox, Picker } from './widgets';

/** Photo models first (Mend is for photos), the catalog's pick leading its domain. */
const DOMAIN_ORDER = ['photo', 'any', 'anime-art'];
const rank = (m: ModelInfo) => (DOMAIN_ORDER.indexOf(m.domain ?? 'any') + 1) * 2 - (m.default ? 1 : 0);

/** The ready models of a task the user can compare (the self-test's identity model is not one), photo models first. */
function comparable(models: readonly ModelInfo[], task: string): ModelInfo[] {
  return models.filter((m) => m.task === task && m.status === 'ready' && m.id !== IDENTITY_MODEL_ID).sort((a, b) => rank(a) - rank(b));
}

/** "realesrgan-x4fast (photo, default)": what a model's checkbox says. */
function modelLabel({ id, domain, default: isDefault }: ModelInfo): string {
  const notes = [domain === 'anime-art' ? 'art' : domain, isDefault ? 'default' : undefined].filter(Boolean);
  return notes.length ? `${id} (${notes.join(', ')})` : id;
}

/** `list` with `item` ticked or unticked, kept in `order`. */
function ticked<T>(list: readonly T[], item: T, tick: boolean, order: readonly T[]): T[] {
  const next = tick ? [...list.filter((x) => x !== item), item] : list.filter((x) => x !== item);
  return order.filter((x) => next.includes(x));
}

/** One checkbox per model, kept in the list's order as they are ticked. */
function ModelChecks({ models, chosen, onChange }: { models: readonly ModelInfo[]; chosen: readonly string[]; onChange(ids: string[]): void }) {
  const order = models.map((m) => m.id);
  return models.map((model) => (
    <Checkbox key={model.id} label={modelLabel(model)} checked={chosen.includes(model.id)} onToggle={(on) => onChange(ticked(chosen, model.id, on, order))} />
  ));
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
  const change = (patch: Partial<CompareChoices>) => onChange({ ...compare, ...patch });
  return (
    <>
      <Picker<CompareKind> label="Compare" value={compare.kind} options={COMPARE_KINDS} onPick={(kind) => change({ kind })} />
      <div className="layer-options" role="group" aria-label="Variants">
        {compare.kind === 'upscale-models' && (
          <ModelChecks models={comparable(models, 'upscale')} chosen={compare.upscaleModels} onChange={(upscaleModels) => change({ upscaleModels })} />
        )}
        {compare.kind === 'detail-strengths' &&
          COMPARE_DETAILS.map((detail) => (
            <Checkbox
              key={detail}
              label={`Detail ${detail}`}
              checked={compare.details.includes(detail)}
              onToggle={(on) => change({ details: ticked(compare.details, detail, on, COMPARE_DETAILS) })}
            />
          ))}
        {compare.kind === 'restore-models' && (
          <ModelChecks models={comparable(models, 'restore')} chosen={compare.restoreModels} onChange={(restoreModels) => change({ restoreModels })} />
        )}
      </div>
      {hint && <sp-detail role="note">{hint}</sp-detail>}
    </>
  );
}
