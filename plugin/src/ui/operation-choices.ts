import { DEFAULT_LAYER_SETTINGS, type LayerSettings, type OperationRequest, type RestoreStrength, type UpscaleFactor, type UpscaleOutput } from '../workflows/operations';
import type { SourceKind } from '../workflows/host';

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
  strength: 'medium',
  sensitivity: 50,
};

export const OPERATIONS: ReadonlyArray<{ value: Operation; label: string }> = [
  { value: 'upscale', label: 'Upscale' },
  { value: 'restore', label: 'Restore (noise, JPEG)' },
  { value: 'inpaint', label: 'Inpaint selection' },
  { value: 'repair', label: 'Dust & scratches' },
];

/** What the progress bar calls a run of the chosen operation. */
export function runLabel(operation: Operation): string {
  if (operation === 'repair') return 'Repair';
  return OPERATIONS.find((o) => o.value === operation)?.label ?? operation;
}

/** The operation as the workflow runs it: Repair fills the (reviewed) selection like Inpaint. */
export function operationRequest(choices: OperationChoices, source: SourceKind = choices.layer.source): OperationRequest {
  const layer = { ...choices.layer, source };
  if (choices.operation === 'upscale')
    return { kind: 'upscale', model: choices.upscaleModel || undefined, scale: choices.scale, cleanFirst: choices.cleanFirst, output: choices.output, ...layer };
  if (choices.operation === 'restore') return { kind: 'restore', strength: choices.strength, ...layer };
  return { kind: 'inpaint', ...layer };
}
