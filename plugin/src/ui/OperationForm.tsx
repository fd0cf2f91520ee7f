import { MAX_DETAIL, type ModelInfo, type Precision } from '@mend/protocol';
import type { SourceKind } from '../workflows/host';
import type { LayerSettings, RestoreProblem, RestoreStrength, UpscaleFactor, UpscaleOutput } from '../workflows/operations';
import { CompareOptions } from './CompareOptions';
import { FaceChoices, type FoundFaces } from './FaceChoices';
import { LayerOptions } from './LayerOptions';
import { compareHint, OPERATIONS, PRECISION_CHOICES, RESTORE_PROBLEMS, type Operation, type OperationChoices } from './operation-choices';
import { RestoreNotes } from './RestoreNotes';
import { Checkbox, Picker, Slider } from './widgets';

interface OperationFormProps {
  choices: OperationChoices;
  onChoose(patch: Partial<OperationChoices>): void;
  onLayerChange(patch: Partial<LayerSettings>): void;
  /** The helper's models, for the upscaler picker and Restore's notes on first use. */
  models: readonly ModelInfo[];
  /** Whether the helper runs models on the CPU, where the heavy ones take long. */
  onCpu: boolean;
  /** Whether the buttons can start anything: connected and nothing running. */
  canRun: boolean;
  busy: boolean;
  /** Faces: those Find faces found, for the user to tick. */
  faces: FoundFaces | undefined;
  onTickFace(index: number, ticked: boolean): void;
  /** Runs the operation (Faces: restores the ticked faces). */
  onRun(): void;
  /** Dust & scratches: finds them; Faces: finds the faces. */
  onFind(): void;
}

const SOURCES: ReadonlyArray<{ value: SourceKind; label: string }> = [
  { value: 'layer', label: 'Active layer' },
  { value: 'merged', label: 'Merged image' },
];
const SCALES = (['2', '3', '4', '8'] as const).map((s) => ({ value: s, label: s === '8' ? '×8 (two passes)' : `×${s}` }));
const OUTPUTS: ReadonlyArray<{ value: UpscaleOutput; label: string }> = [
  { value: 'new-document', label: 'New document' },
  { value: 'resize-document', label: 'Resize this document' },
];
const STRENGTHS: ReadonlyArray<{ value: RestoreStrength; label: string }> = [
  { value: 'light', label: 'Light' },
  { value: 'medium', label: 'Medium' },
  { value: 'strong', label: 'Strong' },
];

function modelOptions(models: readonly ModelInfo[], task: string) {
  return models.filter((m) => m.task === task && m.status === 'ready').map((m) => ({ value: m.id, label: `${m.id}${m.default ? ' (default)' : ''}` }));
}

/** The operation to run, its own options, the result layer's options, and the buttons that start it. */
export function OperationForm({ choices, onChoose, onLayerChange, models, onCpu, canRun, busy, faces, onTickFace, onRun, onFind }: OperationFormProps) {
  const { operation } = choices;
  const hint = operation === 'compare' ? compareHint(choices) : undefined;
  const disabled = canRun && !hint ? undefined : true;
  const comparingModels = operation === 'compare' && choices.compare.kind === 'upscale-models';
  const comparingDetails = operation === 'compare' && choices.compare.kind === 'detail-strengths';
  const upscaling = operation === 'upscale' || comparingModels || comparingDetails;
  return (
    <>
      <Picker<Operation> label="Operation" value={operation} options={OPERATIONS} onPick={(picked) => onChoose({ operation: picked })} disabled={busy} />
      <Picker<SourceKind> label="Source" value={choices.layer.source} options={SOURCES} onPick={(source) => onLayerChange({ source })} />

      {operation === 'compare' && <CompareOptions compare={choices.compare} models={models} onChange={(compare) => onChoose({ compare })} hint={hint} />}
      {upscaling && (
        <>
          <Picker label="Scale" value={String(choices.scale)} options={SCALES} onPick={(s) => onChoose({ scale: Number(s) as UpscaleFactor })} />
          {!comparingModels && (
            <Picker
              label="Model"
              value={choices.upscaleModel}
              options={[{ value: '', label: 'Best for the scale (default)' }, ...modelOptions(models, 'upscale')]}
              onPick={(upscaleModel) => onChoose({ upscaleModel })}
            />
          )}
          {!comparingDetails && (
            <>
              <Slider label="Detail" value={choices.detail} min={0} max={MAX_DETAIL} step={0.1} onSlide={(detail) => onChoose({ detail: Math.round(detail * 10) / 10 })} />
              <sp-detail>0 faithful · 1 the model's own · 2 exaggerated</sp-detail>
            </>
          )}
          <Picker<UpscaleOutput> label="Output" value={choices.output} options={OUTPUTS} onPick={(output) => onChoose({ output })} />
          <Checkbox label="Clean noise and JPEG artifacts first" checked={choices.cleanFirst} onToggle={(cleanFirst) => onChoose({ cleanFirst })} />
          {operation === 'upscale' && (
            <Checkbox label="Invented detail: add its map as a hidden layer" checked={choices.inventedDetail} onToggle={(inventedDetail) => onChoose({ inventedDetail })} />
          )}
        </>
      )}
      {operation === 'restore' && (
        <>
          <Picker<RestoreProblem> label="Problem" value={choices.problem} options={RESTORE_PROBLEMS} onPick={(problem) => onChoose({ problem })} />
          {choices.problem === 'noise-jpeg' ? (
            <Picker<RestoreStrength> label="Strength" value={choices.strength} options={STRENGTHS} onPick={(strength) => onChoose({ strength })} />
          ) : (
            <RestoreNotes role={choices.problem} models={models} onCpu={onCpu} />
          )}
        </>
      )}
      {operation === 'faces' && (
        <>
          <Slider label="Strength" value={choices.faceStrength} min={0} max={1} step={0.05} onSlide={(strength) => onChoose({ faceStrength: Math.round(strength * 100) / 100 })} />
          <sp-detail>How much of the restored faces is pasted: 1 all of it.</sp-detail>
          {faces && <FaceChoices found={faces} onTick={onTickFace} />}
        </>
      )}
      {(upscaling || operation === 'restore' || operation === 'compare') && (
        <>
          <Picker<Precision> label="Precision" value={choices.precision} options={PRECISION_CHOICES} onPick={(precision) => onChoose({ precision })} />
          {choices.precision === 'int8' && <sp-detail>int8: faster on the CPU, texture slightly different; built on first use.</sp-detail>}
        </>
      )}
      {operation === 'repair' && <Slider label="Sensitivity" value={choices.sensitivity} min={0} max={100} unit=" %" onSlide={(sensitivity) => onChoose({ sensitivity })} />}

      <LayerOptions settings={choices.layer} onChange={onLayerChange} />

      <div className="actions">
        {operation === 'faces' ? (
          <>
            <sp-button variant="secondary" disabled={disabled} onClick={onFind}>
              Find faces
            </sp-button>
            <sp-button variant="cta" disabled={canRun && faces?.entries.some((face) => face.ticked) ? undefined : true} onClick={onRun}>
              Restore faces
            </sp-button>
          </>
        ) : operation === 'repair' ? (
          <>
            <sp-button variant="secondary" disabled={disabled} onClick={onFind}>
              Find dust &amp; scratches
            </sp-button>
            <sp-button variant="cta" disabled={disabled} onClick={onRun}>
              Repair
            </sp-button>
          </>
        ) : (
          <sp-button variant="cta" disabled={disabled} onClick={onRun}>
            Run
          </sp-button>
        )}
      </div>
    </>
  );
}
