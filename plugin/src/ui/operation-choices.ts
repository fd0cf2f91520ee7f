import type { SourceKind } from '../workflows/host';
import {
  DEFAULT_LAYER_SETTINGS,
  type LayerSettings,
  type OperationRequest,
  type RestoreProblem,
  type RestoreStrength,
  type UpscaleFactor,
  type UpscaleOutput,
} from '../workflows/operations';

export type Operation = 'upscale' | 'restore' | 'inpaint' | 'repair';

/** Everything the panel's form lets the user choose; each operation reads the choices it has. */
export interface OperationChoices {
  operation: Operation;
  layer: LayerSettings;
  scale: UpscaleFactor;
  /** '' picks the catalog's best model for the scale. */
  upscaleModel: string;
  output: UpscaleOutput;
  cleanFirst: boolean;
  problem: RestoreProblem;
  /** Noise & JPEG's strength. */
  strength: RestoreStrength;
  /** 0..100 as the slider shows it. */
  sensitivity: number;
}

export const DEFAULT_CHOICES: OperationChoices = {
  operation: 'upscale',
  layer: DEFAULT_LAYER_SETTINGS,
  scale: 2,
  upscaleModel: '',
  output: 'new-document',
  cleanFirst: false,
  problem: 'noise-jpeg',
  strength: 'medium',
  sensitivity: 50,
};

export const OPERATIONS: ReadonlyArray<{ value: Operation; label: string }> = [
  { value: 'upscale', label: 'Upscale' },
  { value: 'restore', label: 'Restore' },
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

/** What the progress bar calls a run of the chosen operation, e.g. "Restore · Low light". */
export function runLabel(choices: OperationChoices): string {
  if (choices.operation === 'repair') return 'Repair';
  const title = OPERATIONS.find((o) => o.value === choices.operation)?.label ?? choices.operation;
  if (choices.operation !== 'restore') return title;
  return `${title} · ${RESTORE_PROBLEMS.find((p) => p.value === choices.problem)?.label ?? choices.problem}`;
}

/** The operation as the workflow runs it: Repair fills the (reviewed) selection like Inpaint. */
export function operationRequest(choices: OperationChoices, source: SourceKind = choices.layer.source): OperationRequest {
  const layer = { ...choices.layer, source };
  if (choices.operation === 'upscale')
    return { kind: 'upscale', model: choices.upscaleModel || undefined, scale: choices.scale, cleanFirst: choices.cleanFirst, output: choices.output, ...layer };
  if (choices.operation === 'restore') {
    const target = choices.problem === 'noise-jpeg' ? { problem: choices.problem, strength: choices.strength } : { problem: choices.problem };
    return { kind: 'restore', ...target, ...layer };
  }
  return { kind: 'inpaint', ...layer };
}
