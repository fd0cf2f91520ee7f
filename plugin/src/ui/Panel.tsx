import { useEffect, useRef, useState } from 'react';
import type { ModelInfo } from '@mend/protocol';
import { CancelToken } from '../helper-client/cancel-token';
import type { JobProgress } from '../helper-client/helper-client';
import type { ReportDestinations, SelfTestCheck, SelfTestReport } from '../selftest/report';
import type { BlendMode, Host, SourceKind, TokenStore, WrittenLayer } from '../workflows/host';
import { DEFAULT_LAYER_SETTINGS, type LayerSettings, type OperationRequest, type RestoreStrength, type UpscaleFactor, type UpscaleOutput } from '../workflows/operations';
import { findDefects, runOperation, type WorkflowStage } from '../workflows/run-operation';
import { describeError, type PanelError } from './error-message';
import { ErrorDetails } from './ErrorDetails';
import { useHelperConnection, type ConnectionState, type HelperApi, type PollIntervals } from './helper-connection';
import type { PanelMenu, PanelMenuItemId } from './panel-menu';
import { SelfTestView, type SelfTestRun } from './SelfTestView';
import { Checkbox, Picker, Slider } from './widgets';

export interface PanelServices {
  host: Host;
  tokens: TokenStore;
  /** A helper client carrying this token (none before pairing). */
  connect(token: string | undefined): HelperApi;
  /** Runs the self-test over `host` and the connected helper (none when not connected), reporting each check as it ends. */
  runSelfTest(deps: { host: Host; helper: HelperApi | undefined }, onCheck: (check: SelfTestCheck) => void): Promise<SelfTestReport>;
  /** Where "Copy report" and "Save report…" send the self-test's report. */
  reportFile: ReportDestinations;
  /** The flyout menu's choices ("Run self-test"). */
  menu: PanelMenu;
  pollMs?: PollIntervals;
}

type Operation = 'upscale' | 'restore' | 'inpaint' | 'repair';

interface Result {
  name: string;
  documentTitle: string;
  layer: WrittenLayer;
  visible: boolean;
}

interface Running {
  label: string;
  stage: WorkflowStage;
  progress?: JobProgress;
  /** Jobs ahead of ours while the helper is busy. */
  waitingBehind?: number;
  cancel: CancelToken;
}

const OPERATIONS: ReadonlyArray<{ value: Operation; label: string }> = [
  { value: 'upscale', label: 'Upscale' },
  { value: 'restore', label: 'Restore (noise, JPEG)' },
  { value: 'inpaint', label: 'Inpaint selection' },
  { value: 'repair', label: 'Dust & scratches' },
];
const STAGE_LABELS: Record<WorkflowStage, string> = { reading: 'Reading pixels…', processing: 'Processing…', writing: 'Adding the layer…' };

function HelperStatus({ state, onPair }: { state: ConnectionState; onPair(code: string): Promise<void> }) {
  const [code, setCode] = useState('');
  const [pairError, setPairError] = useState<PanelError>();
  if (state.kind === 'checking') return <sp-detail role="status">Looking for the Mend helper…</sp-detail>;
  if (state.kind === 'not-running') {
    return (
      <div role="status" className="status missing">
        <sp-body>{state.message}</sp-body>
        <ErrorDetails details={state.details} />
      </div>
    );
  }
  if (state.kind === 'not-paired') {
    const pair = () => {
      setPairError(undefined);
      onPair(code).catch((error: unknown) => setPairError(describeError(error)));
    };
    return (
      <form
        className="status pairing"
        onSubmit={(event) => {
          event.preventDefault();
          pair();
        }}
      >
        <sp-body>Enter the 6-digit pairing code that the helper printed when it started (once).</sp-body>
        <input aria-label="Pairing code" inputMode="numeric" maxLength={6} value={code} onChange={(e) => setCode(e.target.value)} />
        <sp-button variant="cta" onClick={pair}>
          Pair
        </sp-button>
        {pairError && (
          <div role="alert">
            <sp-body>{pairError.message}</sp-body>
            <ErrorDetails details={pairError.details} />
          </div>
        )}
      </form>
    );
  }
  const { provider } = state.info;
  return (
    <sp-detail role="status" title={provider.fallbackReason}>
      Connected · {provider.name === 'cpu' ? 'CPU' : provider.name.toUpperCase()}
      {provider.fallbackReason ? ' (no GPU available)' : ''}
    </sp-detail>
  );
}

function modelOptions(models: readonly ModelInfo[], task: string) {
  return models.filter((m) => m.task === task && m.status === 'ready').map((m) => ({ value: m.id, label: `${m.id}${m.default ? ' (default)' : ''}` }));
}

export function Panel({ services }: { services: PanelServices }) {
  const { host } = services;
  const connection = useHelperConnection(services.tokens, services.connect, services.pollMs);
  const [operation, setOperation] = useState<Operation>('upscale');
  const [settings, setSettings] = useState<LayerSettings>(DEFAULT_LAYER_SETTINGS);
  const [scale, setScale] = useState<UpscaleFactor>(2);
  const [upscaleModel, setUpscaleModel] = useState<string>('');
  const [output, setOutput] = useState<UpscaleOutput>('new-document');
  const [cleanFirst, setCleanFirst] = useState(false);
  const [strength, setStrength] = useState<RestoreStrength>('medium');
  const [sensitivity, setSensitivity] = useState(50);
  const [running, setRunning] = useState<Running>();
  const [error, setError] = useState<PanelError>();
  const [notice, setNotice] = useState<string>();
  const [results, setResults] = useState<Result[]>([]);
  const [layerOptionsOpen, setLayerOptionsOpen] = useState(false);
  const [selfTest, setSelfTest] = useState<SelfTestRun>();

  const connected = connection.state.kind === 'connected' ? connection.state.info : undefined;
  const update = (patch: Partial<LayerSettings>) => setSettings((s) => ({ ...s, ...patch }));

  async function run(label: string, work: (deps: { host: Host; helper: HelperApi }, callbacks: { cancel: CancelToken; onStage(s: WorkflowStage): void; onProgress(p: JobProgress): void; onQueued(position: number): void }) => Promise<void>) {
    const helper = connection.client();
    if (!helper || !connected) return;
    const cancel = new CancelToken();
    const state: Running = { label, stage: 'reading', cancel };
    setRunning(state);
    setError(undefined);
    setNotice(undefined);
    try {
      await work(
        { host, helper },
        {
          cancel,
          onStage: (stage) => setRunning((r) => r && { ...r, stage }),
          onProgress: (progress) => setRunning((r) => r && { ...r, progress, waitingBehind: undefined }),
          onQueued: (position) => setRunning((r) => r && { ...r, waitingBehind: position > 0 ? position : undefined }),
        },
      );
    } catch (caught) {
      if (!cancel.cancelled) setError(describeError(caught));
      else setNotice('Cancelled. The document was not changed.');
    } finally {
      setRunning(undefined);
    }
  }

  /** The operation as the workflow runs it: Repair fills the (reviewed) selection like Inpaint. */
  function request(source: SourceKind = settings.source): OperationRequest {
    const layer = { ...settings, source };
    if (operation === 'upscale') return { kind: 'upscale', model: upscaleModel || undefined, scale, cleanFirst, output, ...layer };
    if (operation === 'restore') return { kind: 'restore', strength, ...layer };
    return { kind: 'inpaint', ...layer };
  }

  const runWith = (source?: SourceKind) =>
    run(operation === 'repair' ? 'Repair' : (OPERATIONS.find((o) => o.value === operation)?.label ?? operation), async (deps, callbacks) => {
      const done = await runOperation(deps, request(source), callbacks);
      setResults((list) => [{ name: done.name, documentTitle: done.documentTitle, layer: done.layer, visible: true }, ...list]);
    });

  const find = () =>
    run('Find dust & scratches', async (deps, callbacks) => {
      const { share } = await findDefects(deps, { source: settings.source, sensitivity: sensitivity / 100 }, callbacks);
      setNotice(`Found defects on ${(share * 100).toFixed(2)} % of the pixels. They are now selected: review the selection (add or remove with the selection tools), then click Repair.`);
    });

  async function toggle(result: Result) {
    const visible = !result.visible;
    try {
      await host.setLayerVisible(result.layer, visible);
      setResults((list) => list.map((r) => (r === result ? { ...r, visible } : r)));
    } catch (caught) {
      setError(describeError(caught));
    }
  }

  const selfTestRunning = useRef(false);
  async function startSelfTest() {
    if (selfTestRunning.current) return;
    // The self-test opens and closes documents: not while an operation is reading or writing one.
    if (running) {
      setNotice('Wait for the running operation to finish (or cancel it), then run the self-test.');
      return;
    }
    selfTestRunning.current = true;
    setSelfTest({ phase: 'running', checks: [] });
    const helper = connected ? connection.client() : undefined;
    try {
      const report = await services.runSelfTest({ host, helper }, (check) => setSelfTest((run) => run && { ...run, checks: [...run.checks, check] }));
      setSelfTest({ phase: 'done', checks: report.checks, report });
    } catch (caught) {
      const stopped = describeError(caught) ?? { message: String(caught), offerMerged: false };
      setSelfTest((run) => ({ phase: 'stopped', checks: run?.checks ?? [], error: stopped }));
    } finally {
      selfTestRunning.current = false;
    }
  }

  // UXP calls the flyout from outside React: the subscription always reaches this render's handlers.
  const menuActions = useRef<Record<PanelMenuItemId, () => void>>();
  menuActions.current = { 'run-self-test': () => void startSelfTest() };
  useEffect(() => services.menu.onChoose((id) => menuActions.current?.[id]()), [services.menu]);

  const busy = running !== undefined;
  const models = connected?.models ?? [];
  const percent = running?.progress && running.progress.total > 0 ? Math.round((100 * running.progress.done) / running.progress.total) : 0;

  return (
    <div className="mend-panel">
      <HelperStatus state={connection.state} onPair={connection.pair} />
      <sp-divider size="s" />
      {selfTest ? (
        <SelfTestView run={selfTest} reportFile={services.reportFile} onClose={() => setSelfTest(undefined)} />
      ) : (
        <>
          <Picker<Operation> label="Operation" value={operation} options={OPERATIONS} onPick={setOperation} disabled={busy} />
          <Picker<SourceKind>
            label="Source"
            value={settings.source}
            options={[
              { value: 'layer', label: 'Active layer' },
              { value: 'merged', label: 'Merged image' },
            ]}
            onPick={(source) => update({ source })}
          />

          {operation === 'upscale' && (
            <>
              <Picker
                label="Scale"
                value={String(scale)}
                options={(['2', '3', '4', '8'] as const).map((s) => ({ value: s, label: s === '8' ? '×8 (two passes)' : `×${s}` }))}
                onPick={(s) => setScale(Number(s) as UpscaleFactor)}
              />
              <Picker label="Model" value={upscaleModel} options={[{ value: '', label: 'Best for the scale (default)' }, ...modelOptions(models, 'upscale')]} onPick={setUpscaleModel} />
              <Picker<UpscaleOutput>
                label="Output"
                value={output}
                options={[
                  { value: 'new-document', label: 'New document' },
                  { value: 'resize-document', label: 'Resize this document' },
                ]}
                onPick={setOutput}
              />
              <Checkbox label="Clean noise and JPEG artifacts first" checked={cleanFirst} onToggle={setCleanFirst} />
            </>
          )}
          {operation === 'restore' && (
            <Picker<RestoreStrength>
              label="Strength"
              value={strength}
              options={[
                { value: 'light', label: 'Light' },
                { value: 'medium', label: 'Medium' },
                { value: 'strong', label: 'Strong' },
              ]}
              onPick={setStrength}
            />
          )}
          {operation === 'repair' && <Slider label="Sensitivity" value={sensitivity} min={0} max={100} unit=" %" onSlide={setSensitivity} />}

          {/* UXP renders <details> as a plain div that never collapses: an explicit toggle instead. */}
          <div className="disclosure">
            <sp-action-button quiet aria-expanded={layerOptionsOpen} onClick={() => setLayerOptionsOpen((open) => !open)}>
              {layerOptionsOpen ? '▾' : '▸'} Layer options
            </sp-action-button>
          </div>
          {layerOptionsOpen && (
            <div className="layer-options">
              <Slider label="Strength (opacity)" value={settings.opacity} min={0} max={100} unit=" %" onSlide={(opacity) => update({ opacity })} />
              <Picker<BlendMode>
                label="Blend mode"
                value={settings.blendMode}
                options={[
                  { value: 'normal', label: 'Normal' },
                  { value: 'luminosity', label: 'Luminosity (keep original colors)' },
                ]}
                onPick={(blendMode) => update({ blendMode })}
              />
              <Slider label="Grain" value={Math.round(settings.grain * 100)} min={0} max={100} unit=" %" onSlide={(g) => update({ grain: g / 100 })} />
              <Slider label="Grow selection" value={settings.grow} min={0} max={32} unit=" px" onSlide={(grow) => update({ grow })} />
              <Slider label="Feather" value={Math.round(settings.feather * 100)} min={0} max={50} unit=" %" onSlide={(f) => update({ feather: f / 100 })} />
            </div>
          )}

          <div className="actions">
            {operation === 'repair' ? (
              <>
                <sp-button variant="secondary" disabled={busy || !connected ? true : undefined} onClick={() => void find()}>
                  Find dust &amp; scratches
                </sp-button>
                <sp-button variant="cta" disabled={busy || !connected ? true : undefined} onClick={() => void runWith()}>
                  Repair
                </sp-button>
              </>
            ) : (
              <sp-button variant="cta" disabled={busy || !connected ? true : undefined} onClick={() => void runWith()}>
                Run
              </sp-button>
            )}
          </div>

          {running && (
            <div className="progress" role="progressbar" aria-valuenow={percent} aria-valuemin={0} aria-valuemax={100} aria-label={running.label}>
              <sp-progressbar max={100} value={percent} label={running.stage === 'processing' && running.progress ? `${running.label}: ${running.progress.done}/${running.progress.total}` : STAGE_LABELS[running.stage]} />
              <sp-body>
                {running.waitingBehind
                  ? `The helper is busy: waiting for ${running.waitingBehind} job${running.waitingBehind > 1 ? 's' : ''} ahead of this one…`
                  : running.stage === 'processing' && running.progress
                    ? `${running.label}: ${running.progress.done} of ${running.progress.total} tiles`
                    : STAGE_LABELS[running.stage]}
              </sp-body>
              <sp-button variant="secondary" onClick={() => running.cancel.cancel()}>
                Cancel
              </sp-button>
            </div>
          )}
          {error && (
            <div role="alert" className="error">
              <sp-body>{error.message}</sp-body>
              <ErrorDetails details={error.details} />
              {error.offerMerged && (
                <sp-button variant="secondary" onClick={() => (update({ source: 'merged' }), void runWith('merged'))}>
                  Use the merged image
                </sp-button>
              )}
            </div>
          )}
          {notice && <sp-body role="note">{notice}</sp-body>}

          {results.length > 0 && (
            <div role="region" aria-label="Results">
              <sp-heading size="XS">Results</sp-heading>
              <div className="results">
                {results.map((result) => (
                  <div className="result" key={`${result.layer.documentId}:${result.layer.layerId}`}>
                    <sp-action-button quiet onClick={() => void toggle(result)} aria-label={`${result.visible ? 'Hide' : 'Show'} ${result.name}`}>
                      {result.visible ? 'After' : 'Before'}
                    </sp-action-button>
                    <sp-action-button quiet onClick={() => void host.reveal(result.layer).catch((e: unknown) => setError(describeError(e)))}>
                      {result.name} — {result.documentTitle}
                    </sp-action-button>
                  </div>
                ))}
              </div>
            </div>
          )}
        </>
      )}
    </div>
  );
}
