/**
 * @jest-environment jsdom
 * @jest-environment-options {"customExportConditions": ["node", "require"]}
 *
 * The version handshake of the built panel with a real `mend serve`: the panel sends its versions with every
 * info request, connects to a helper of its own version without a note, and when the helper answers a newer
 * protocol, says in words to update the panel and keeps Run off until the helper is one it can use again.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fireEvent, screen, waitFor } from '@testing-library/dom';
import { PANEL_API_HEADER, PANEL_VERSION_HEADER, PROTOCOL_VERSION, routes } from '../../native-helper/src/protocol';
import { startPanel, type PanelHarness } from './panel-harness';

const PACKAGE_VERSION: string = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version;

describe('the built panel’s version handshake with a real helper', () => {
  let panel: PanelHarness;

  beforeAll(async () => {
    panel = await startPanel();
  }, 60_000);

  afterAll(() => panel?.close());

  it('names the panel as the side to update when the helper answers a newer protocol, then connects once it does not', async () => {
    const sent: Record<string, string>[] = [];
    panel.onFetch = (url, init) => {
      if (new URL(url).pathname === routes.info) sent.push(init?.headers as Record<string, string>);
    };
    panel.rewriteInfo = (info) => ({ ...info, version: '9.0.0', api: PROTOCOL_VERSION + 1 });
    fireEvent.change(await screen.findByLabelText('Pairing code', {}, { timeout: 20_000 }), { target: { value: panel.pairingCode } });
    fireEvent.click(screen.getByText('Pair'));
    expect(await screen.findByText(/different protocols.*Update the Mend panel: double-click the mend-9\.0\.0\.ccx/, {}, { timeout: 20_000 })).toBeTruthy();
    expect(screen.getByText('Run').closest('sp-button')?.hasAttribute('disabled')).toBe(true);

    // The helper updated: the panel, polling while it has no helper to use, connects by itself, with no note.
    panel.rewriteInfo = undefined;
    await screen.findByText(/Connected · CPU/, {}, { timeout: 20_000 });
    await waitFor(() => expect(screen.getByText('Run').closest('sp-button')?.hasAttribute('disabled')).toBe(false));
    expect(screen.queryByRole('note')).toBeNull();
    expect(sent.at(-1)).toMatchObject({ [PANEL_VERSION_HEADER]: PACKAGE_VERSION, [PANEL_API_HEADER]: String(PROTOCOL_VERSION) });
    panel.onFetch = undefined;
  }, 60_000);
});
