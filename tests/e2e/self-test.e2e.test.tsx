/**
 * @jest-environment jsdom
 * @jest-environment-options {"customExportConditions": ["node", "require"]}
 *
 * The self-test a tester runs in a real Photoshop (panel menu → Run self-test), run here by the built panel
 * over the in-memory Photoshop with a real helper: every check passes, the scratch documents are closed, and
 * the saved report ends with "N passed, 0 failed". `npm run selftest` runs this and prints the report.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fireEvent, screen } from '@testing-library/dom';
import { fakePhotoshop } from '../fakes/photoshop/control';
import * as uxp from '../fakes/photoshop/uxp';
import { PANEL_ID, startPanel, type PanelHarness } from './panel-harness';

/** Where `npm run selftest` finds the report (tests/e2e/print-self-test-report.js prints it). */
const REPORT_PATH = path.join(__dirname, '..', '..', 'dist', 'self-test-report.txt');

describe('the self-test, over the fake Photoshop', () => {
  let panel: PanelHarness;

  beforeAll(async () => {
    panel = await startPanel();
  }, 60_000);

  afterAll(() => panel?.close());

  it('passes every check, leaves no scratch document open, and saves a report that ends with its summary', async () => {
    const user = fakePhotoshop.addDocument({
      title: 'work.psd',
      width: 8,
      height: 8,
      layers: [{ name: 'Photo', active: true, pixels: { left: 0, top: 0, width: 8, height: 8, data: new Array(8 * 8 * 4).fill(200) } }],
    });
    const userBefore = fakePhotoshop.snapshot(user.id);
    await panel.pair();

    await uxp.registeredPanel(PANEL_ID)?.invokeMenu?.('run-self-test');
    const summary = await screen.findByText(/^\d+ passed, \d+ failed$/, {}, { timeout: 120_000 });
    fireEvent.click(screen.getByText('Save report…'));
    await screen.findByText(/Saved/i, {}, { timeout: 10_000 });
    const [report] = [...uxp.storage.localFileSystem.written.values()];
    mkdirSync(path.dirname(REPORT_PATH), { recursive: true });
    writeFileSync(REPORT_PATH, report);

    expect(report.trim().split('\n').at(-1)).toBe(summary.textContent);
    expect(report).not.toMatch(/^FAIL/m);
    expect(summary.textContent).toBe('27 passed, 0 failed');
    expect(fakePhotoshop.documentIds()).toEqual([user.id]);
    expect(fakePhotoshop.snapshot(user.id)).toEqual(userBefore);
    expect(fakePhotoshop.liveImageDataCount()).toBe(0);
  }, 180_000);
});
