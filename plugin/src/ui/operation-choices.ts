import { DEFAULT_DETAIL, DEFAULT_PRECISION, MAX_COMPARE_VARIANTS, MIN_COMPARE_VARIANTS, type Precision } from '@mend/protocol';
import type { SourceKind } from '../workflows/host';
import {
  type CompareRequest,
  DEFAULT_LAYER_SETTINGS,
  type LayerSettings,
  type OperationRequest,
  type RestoreProblem,
  type RestoreStrength,
  type UpscaleFactor,
  type UpscaleOutput,
} from '../workflows/operations';

export type Operation = 'upscale' | 'restore' | 'compare' | 'faces' | 'inpaint' | 'repair';

/** What a Compare varies: the upscaler, the detail strength of one upscaler, or the restore model. */
export type CompareKind = 'upscale-models' | 'detail-strengths' | 'restore-models';

export interface CompareChoices {
  kind: CompareKind;
  /** The upscalers ticked for 'upscale-models'. */
  upscaleModels: string[];
  /** The strengths ticked for 'detail-strengths' (of `upscaleModel`). */
  details: number[];
  /** The restore models ticked for 'restore-models'. */
  restoreModels: string[];
}

/** Everything the panel's form lets the user choose; each operation reads the choices it has. */
export interface OperationChoices {
  operation: Operation;
  layer: LayerSettings;
  scale: UpscaleFactor;
  /** '' picks the catalog's best model for the scale. */
  upscaleModel: string;
  output: UpscaleOutput;
  cleanFirst: boolean;
  /** Upscale's detail strength, 0..2 (DEFAULT_DETAIL: the model's own output). */
  detail: number;
  /** Also write the map of invented detail (upscale only), as a hidden overlay. */
  inventedDetail: boolean;
  compare: CompareChoices;
  problem: RestoreProblem;
  /** Noise & JPEG's strength. */
  strength: RestoreStrength;
  /** 0..100 as the slider shows it. */
  sensitivity: number;
  /** How much of the restored faces is pasted, 0..1 (1: all of it). */
  faceStrength: number;
  /** What Upscale, Restore and Compare run their models in. */
  precision: Precision;
}

export const DEFAULT_CHOICES: OperationChoices = {
  operation: 'upscale',
  layer: DEFAULT_LAYER_SETTINGS,
  scale: 2,
  upscaleModel: '',
  output: 'new-document',
  cleanFirst: false,
  detail: DEFAULT_DETAIL,
  inventedDetail: false,
  compare: { kind: 'upscale-models', upscaleModels: [], details: [0, 1, 2], restoreModels: [] },
  problem: 'noise-jpeg',
  strength: 'medium',
  sensitivity: 50,
  faceStrength: 1,
  precision: DEFAULT_PRECISION,
};

export const OPERATIONS: ReadonlyArray<{ value: Operation; label: string }> = [
  { value: 'upscale', label: 'Upscale' },
  { value: 'restore', label: 'Restore' },
  { value: 'compare', label: 'Compare' },
  { value: 'faces', label: 'Faces' },
  { value: 'inpaint', label: 'Inpaint selection' },
  { value: 'repair', label: 'Dust & scratches' },
];

export const RESTORE_PROBLEMS: ReadonlyArray<{ value: RestoreProblem; label: string }> = [
  { value: 'noise-jpeg', label: 'Noise & JPEG' },
  { value: 'deblur', label: 'Motion blur' },
  { value: 'denoise-camera', label: 'Noise (camera)' },
  { value: 'lowlight', label: 'Low light' },
  { value: 'dehaze', label: 'Haze' },
  { value: 'derain', label: 'Rain' },
  { value: 'retouch', label: 'Auto retouch' },
];

/**
 * Problems whose fix changes the picture's global tone and colour (a cast lifted, shadows opened):
 * a Luminosity blend would put the original's colours back over it.
 */
const CHANGES_TONE: ReadonlySet<RestoreProblem> = new Set(['lowlight', 'retouch', 'dehaze']);

/** The choices once `patch` is chosen: a problem that changes global tone sets the result layer's blend to Normal. */
export function withChoice(current: OperationChoices, patch: Partial<OperationChoices>): OperationChoices {
  const next = { ...current, ...patch };
  if (patch.problem && CHANGES_TONE.has(patch.problem)) return { ...next, layer: { ...next.layer, blendMode: 'normal' } };
  return next;
}

/** The precisions the panel offers, named by what they are for. */
export const PRECISION_CHOICES: ReadonlyArray<{ value: Precision; label: string }> = [
  { value: 'fp32', label: 'Full (fp32, default)' },
  { value: 'int8', label: 'Fast (int8, CPU)' },
  { value: 'fp16', label: 'Half (fp16, GPU)' },
];

export const COMPARE_KINDS: ReadonlyArray<{ value: CompareKind; label: string }> = [
  { value: 'upscale-models', label: 'Upscale models' },
  { value: 'detail-strengths', label: 'Detail strengths' },
  { value: 'restore-models', label: 'Restore models' },
];

/** The detail strengths a Compare offers: the fidelity base, the model's own output, exaggerated, and between. */
export const COMPARE_DETAILS: readonly number[] = [0, 0.5, 1, 1.5, 2];

/** What the progress bar calls a run of the chosen operation, e.g. "Restore · Low light". */
export function runLabel(choices: OperationChoices): string {
  if (choices.operation === 'repair') return 'Repair';
  const title = OPERATIONS.find((o) => o.value === choices.operation)?.label ?? choices.operation;
  if (choices.operation === 'compare') return `${title} · ${COMPARE_KINDS.find((k) => k.value === choices.compare.kind)?.label ?? choices.compare.kind}`;
  if (choices.operation !== 'restore') return title;
  return `${title} · ${RESTORE_PROBLEMS.find((p) => p.value === choices.problem)?.label ?? choices.problem}`;
}

/** How many variants the chosen Compare has ticked. */
function compareCount({ compare }: OperationChoices): number {
  if (compare.kind === 'upscale-models') return compare.upscaleModels.length;
  if (compare.kind === 'detail-strengths') return compare.details.length;
  return compare.restoreModels.length;
}

/** Why the chosen Compare cannot run yet (too few or too many ticked), or undefined when it can. */
export function compareHint(choices: OperationChoices): string | undefined {
  const count = compareCount(choices);
  if (count >= MIN_COMPARE_VARIANTS && count <= MAX_COMPARE_VARIANTS) return undefined;
  const what = choices.compare.kind === 'detail-strengths' ? 'strengths' : 'models';
  return `Tick ${MIN_COMPARE_VARIANTS} to ${MAX_COMPARE_VARIANTS} ${what} to compare (${count} ticked).`;
}

/** The Compare as the workflow runs it: one variant per ticked model or strength, in the order the panel offers them. */
export function compareRequest(choices: OperationChoices, source: SourceKind = choices.layer.source): CompareRequest {
  const layer = { ...choices.layer, source };
  const { compare, precision } = choices;
  if (compare.kind === 'restore-models') return { kind: 'compare', of: 'restore', variants: compare.restoreModels.map((model) => ({ model })), precision, ...layer };
  const upscale = { scale: choices.scale, cleanFirst: choices.cleanFirst, output: choices.output, precision };
  const variants =
    compare.kind === 'upscale-models'
      ? compare.upscaleModels.map((model) => ({ model, detail: choices.detail }))
      : compare.details.map((detail) => ({ model: choices.upscaleModel || undefined, detail }));
  return { kind: 'compare', of: 'upscale', variants, ...upscale, ...layer };
}

/** The operation as the workflow runs it: Repair fills the (reviewed) selection like Inpaint. */
export function operationRequest(choices: OperationChoices, source: SourceKind = choices.layer.source): OperationRequest {
  const layer = { ...choices.layer, source };
  if (choices.operation === 'upscale') {
    const { scale, cleanFirst, output, detail, inventedDetail, precision } = choices;
    return { kind: 'upscale', model: choices.upscaleModel || undefined, scale, cleanFirst, output, detail, inventedDetail, precision, ...layer };
  }
  if (choices.operation === 'restore') {
    const target = choices.problem === 'noise-jpeg' ? { problem: choices.problem, strength: choices.strength } : { problem: choices.problem };
    return { kind: 'restore', ...target, precision: choices.precision, ...layer };
  }
  return { kind: 'inpaint', ...layer };
}
