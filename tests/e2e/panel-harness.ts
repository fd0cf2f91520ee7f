/**
 * The built panel (dist/plugin/index.js, as Photoshop loads it) in jsdom over the in-memory Photoshop,
 * paired with a real `mend serve`. Used by the E2E tests and `npm run selftest`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { fireEvent, screen } from '@testing-library/dom';
import nodeFetch, { Response as NodeResponse } from 'node-fetch';
import WebSocket from 'ws';
import * as photoshop from '../fakes/photoshop';
import { fakePhotoshop } from '../fakes/photoshop/control';
import * as uxp from '../fakes/photoshop/uxp';
import { freePort } from '../../native-helper/src/bench/free-port';
import { routes } from '../../native-helper/src/protocol';
import { defineSpectrumPicker } from '../helpers/spectrum-picker';

const ROOT = path.join(__dirname, '..', '..');
const BUNDLE = path.join(ROOT, 'dist', 'plugin', 'index.js');
const MANIFEST = JSON.parse(readFileSync(path.join(ROOT, 'manifest.json'), 'utf8'));
const PANEL_PORT = ':47811';
export const PANEL_ID: string = MANIFEST.entrypoints[0].id;

/** Starts `mend serve` and resolves with its pairing code once it listens. */
function startHelper(port: number, configDir: string, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; code: string }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'native-helper', 'bin', 'mend.js'), 'serve', '--port', String(port)], {
    env: { ...process.env, MEND_CONFIG_DIR: configDir, MEND_PROVIDER: 'cpu', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const code = /Pairing code: (\d{6})/.exec(out)?.[1];
      if (code) resolve({ child, code });
    });
    child.once('exit', (status) => reject(new Error(`mend serve exited with ${status}: ${out}`)));
  });
}

export interface PanelHarness {
  pairingCode: string;
  /** Called on every fetch the panel makes, before it is sent (the memory probe samples here). */
  onFetch?: (url: string, init?: Parameters<typeof nodeFetch>[1]) => void;
  /** Rewrites the helper's GET /v1/info answers before the panel reads them (a helper of another version). */
  rewriteInfo?: (info: Record<string, unknown>) => Record<string, unknown>;
  /** Types the pairing code and waits until the panel says it is connected. */
  pair(): Promise<void>;
  close(): void;
}

/** Starts a helper (with `helperEnv` added to its environment), loads the built bundle into this jsdom window and creates its panel. */
export async function startPanel(helperEnv: NodeJS.ProcessEnv = {}): Promise<PanelHarness> {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run \`npm run build\` first (npm test does)`);
  const configDir = mkdtempSync(path.join(tmpdir(), 'mend-e2e-'));
  const port = await freePort();
  const { child, code } = await startHelper(port, configDir, helperEnv);
  // The panel talks to the port its manifest allows; the test's helper listens on a free one.
  const rewrite = (url: string) => url.replace(PANEL_PORT, `:${port}`);
  const harness: PanelHarness = {
    pairingCode: code,
    async pair() {
      fireEvent.change(await screen.findByLabelText('Pairing code', {}, { timeout: 20_000 }), { target: { value: code } });
      fireEvent.click(screen.getByText('Pair'));
      await screen.findByText(/Connected · CPU/, {}, { timeout: 20_000 });
    },
    close() {
      child.kill();
      rmSync(configDir, { recursive: true, force: true });
    },
  };
  // UXP documents neither TextEncoder nor TextDecoder: the panel must work without them.
  delete (window as Partial<typeof window>).TextDecoder;
  Object.assign(window, {
    // structuredClone is the fake Photoshop's, for its history.
    structuredClone: <T>(value: T): T => deserialize(serialize(value)) as T,
    fetch: async (url: string, init?: Parameters<typeof nodeFetch>[1]) => {
      harness.onFetch?.(url, init);
      const response = await nodeFetch(rewrite(url), init);
      const { rewriteInfo } = harness;
      if (!rewriteInfo || !response.ok || new URL(url).pathname !== routes.info) return response;
      return new NodeResponse(JSON.stringify(rewriteInfo((await response.json()) as Record<string, unknown>)), { status: 200, headers: { 'content-type': 'application/json' } });
    },
    WebSocket: function PanelSocket(url: string) {
      return new WebSocket(rewrite(url));
    },
  });
  fakePhotoshop.reset();
  // Pickers as UXP's: the choice is `selectedIndex`, there is no `value`.
  defineSpectrumPicker();
  const bundleRequire = (name: string) => {
    if (name === 'photoshop') return photoshop;
    if (name === 'uxp') return uxp;
    throw new Error(`the bundle asked for "${name}", which Photoshop does not provide`);
  };
  new Function('require', readFileSync(BUNDLE, 'utf8'))(bundleRequire);
  const root = document.createElement('div');
  document.body.appendChild(root);
  await uxp.registeredPanel(PANEL_ID)?.create?.(root);
  return harness;
}
