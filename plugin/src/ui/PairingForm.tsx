import { useState } from 'react';
import { describeError, type PanelError } from './error-message';
import { ErrorDetails } from './ErrorDetails';

/** The code `mend serve` printed, typed once; a wrong code says why under the form. */
export function PairingForm({ onPair }: { onPair(code: string): Promise<void> }) {
  const [code, setCode] = useState('');
  const [pairError, setPairError] = useState<PanelError>();
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
      <sp-body>Enter the 6-digit pairing code that the helper printed when it started (once; for a helper started at login, `mend service pairing-code` prints it).</sp-body>
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
