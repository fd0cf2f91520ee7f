import { useEffect, useRef } from 'react';
import { useHelperConnection } from './helper-connection';
import { HelperStatus } from './HelperStatus';
import { OperationError } from './OperationError';
import { OperationForm } from './OperationForm';
import type { PanelMenuItemId } from './panel-menu';
import type { PanelServices } from './panel-services';
import { ProgressView } from './ProgressView';
import { ResultsList } from './ResultsList';
import { SelfTestView } from './SelfTestView';
import { usePanelState } from './use-panel-state';

export function Panel({ services }: { services: PanelServices }) {
  const connection = useHelperConnection(services.tokens, services.connect, services.pollMs);
  const connected = connection.state.kind === 'connected' ? connection.state.info : undefined;
  const panel = usePanelState(services, () => (connected ? connection.client() : undefined));

  // UXP calls the flyout from outside React: the subscription always reaches this render's handlers.
  const menuActions = useRef<Record<PanelMenuItemId, () => void>>();
  menuActions.current = { 'run-self-test': panel.startSelfTest };
  useEffect(() => services.menu.onChoose((id) => menuActions.current?.[id]()), [services.menu]);

  const busy = panel.running !== undefined;
  return (
    <div className="mend-panel">
      <HelperStatus state={connection.state} onPair={connection.pair} />
      <sp-divider size="s" />
      {panel.selfTest ? (
        <SelfTestView run={panel.selfTest} reportFile={services.reportFile} onClose={panel.closeSelfTest} />
      ) : (
        <>
          <OperationForm
            choices={panel.choices}
            onChoose={panel.choose}
            onLayerChange={panel.changeLayer}
            models={connected?.models ?? []}
            onCpu={connected?.provider.name === 'cpu'}
            canRun={!busy && connected !== undefined}
            busy={busy}
            faces={panel.faces}
            onTickFace={panel.tickFace}
            onRun={panel.run}
            onFind={panel.find}
          />
          {panel.running && <ProgressView running={panel.running} />}
          {panel.error && <OperationError error={panel.error} onUseMerged={panel.retryOnMerged} />}
          {panel.notice && <sp-body role="note">{panel.notice}</sp-body>}
          <ResultsList results={panel.results} actions={panel.actions} />
        </>
      )}
    </div>
  );
}
