import { useCallback, useEffect, useRef, useState } from 'react';
import { versionVerdict, type Info } from '@mend/protocol';
import { HelperError, PANEL_SIDE, START_HELPER_HINT } from '../helper-client/helper-client';
import type { TokenStore } from '../workflows/host';
import { underlyingError } from './error-message';
import type { JobRunner } from '../workflows/run-operation';

/** The helper as the panel uses it: the HelperClient in Photoshop, the same class against a real helper in tests. */
export interface HelperApi extends JobRunner {
  pair(code: string): Promise<string>;
  info(): Promise<Info>;
}

export type ConnectionState =
  | { kind: 'checking' }
  /** `details`: what failed underneath (e.g. fetch's TypeError), so "not running" never hides another cause. */
  | { kind: 'not-running'; message: string; details?: string }
  | { kind: 'not-paired' }
  /** The helper speaks another protocol: `message` says whether to update the panel or the helper. */
  | { kind: 'incompatible'; message: string; details?: string }
  /** `versionNote`: the panel and helper are of other app versions (same protocol), and which to update. */
  | { kind: 'connected'; info: Info; versionNote?: string };

/** The connected state, with the handshake's note when the helper's app version is not the panel's. */
function connectedTo(info: Info): ConnectionState {
  const verdict = versionVerdict(PANEL_SIDE, info);
  return { kind: 'connected', info, ...(verdict.kind === 'versions-differ' ? { versionNote: verdict.message } : {}) };
}

export interface PollIntervals {
  missing: number;
  connected: number;
}

/** How often the panel looks for the helper (ms): often while it is missing, rarely once connected. */
export const POLL_MS: PollIntervals = { missing: 3000, connected: 15000 };

/**
 * Keeps the panel connected: finds the helper, reconnects by itself when it comes back, and pairs
 * once with the code `mend serve` prints (the token is kept in secure storage, never typed again).
 */
export function useHelperConnection(tokens: TokenStore, connect: (token: string | undefined) => HelperApi, pollMs: PollIntervals = POLL_MS) {
  const [state, setState] = useState<ConnectionState>({ kind: 'checking' });
  const client = useRef<HelperApi | undefined>(undefined);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const alive = useRef(true);

  const check = useCallback(async () => {
    clearTimeout(timer.current);
    if (!client.current) client.current = connect(await tokens.load());
    let next: ConnectionState;
    try {
      next = connectedTo(await client.current.info());
    } catch (error) {
      if (error instanceof HelperError && error.code === 'not_paired') next = { kind: 'not-paired' };
      else if (error instanceof HelperError && error.code === 'incompatible') next = { kind: 'incompatible', message: error.message, details: error.details };
      else if (error instanceof HelperError)
        next = { kind: 'not-running', message: error.code === 'not_running' ? `The Mend helper is not running. ${START_HELPER_HINT}` : error.message, details: error.details };
      else
        next = {
          kind: 'not-running',
          message: `The Mend helper could not be reached. ${START_HELPER_HINT}`,
          details: error instanceof Error ? underlyingError(error) : String(error),
        };
    }
    if (!alive.current) return;
    setState(next);
    timer.current = setTimeout(() => void check(), next.kind === 'connected' ? pollMs.connected : pollMs.missing);
  }, [connect, tokens, pollMs]);

  useEffect(() => {
    alive.current = true;
    void check();
    return () => {
      alive.current = false;
      clearTimeout(timer.current);
    };
  }, [check]);

  const pair = useCallback(
    async (code: string) => {
      const pairing = connect(undefined);
      const token = await pairing.pair(code.trim());
      await tokens.save(token);
      client.current = pairing;
      await check();
    },
    [connect, tokens, check],
  );

  return { state, pair, client: () => client.current };
}
