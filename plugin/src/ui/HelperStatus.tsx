import { ErrorDetails } from './ErrorDetails';
import type { ConnectionState } from './helper-connection';
import { PairingForm } from './PairingForm';

/** Where the helper stands: looked for, not running (and why), of another version, waiting for its pairing code, or connected. */
export function HelperStatus({ state, onPair }: { state: ConnectionState; onPair(code: string): Promise<void> }) {
  if (state.kind === 'checking') return <sp-detail role="status">Looking for the Mend helper…</sp-detail>;
  if (state.kind === 'not-running' || state.kind === 'incompatible') {
    return (
      <div role="status" className="status missing">
        <sp-body>{state.message}</sp-body>
        <ErrorDetails details={state.details} />
      </div>
    );
  }
  if (state.kind === 'not-paired') return <PairingForm onPair={onPair} />;
  const { provider } = state.info;
  const connected = (
    <sp-detail role="status" title={provider.fallbackReason}>
      Connected · {provider.name === 'cpu' ? 'CPU' : provider.name.toUpperCase()}
      {provider.fallbackReason ? ' (no GPU available)' : ''}
    </sp-detail>
  );
  if (!state.versionNote) return connected;
  return (
    <div>
      {connected}
      <sp-body role="note" className="version-note">
        {state.versionNote}
      </sp-body>
    </div>
  );
}
