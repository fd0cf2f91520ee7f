/**
 * @jest-environment jsdom
 *
 * The flyout menu's "Run self-test", as a tester in a new Photoshop version uses it.
 */
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { HelperError } from '../../../plugin/src/helper-client/helper-client';
import { registerPanel } from '../../../plugin/src/host/panel-entrypoint';
import { formatReport, type SelfTestCheck, type SelfTestReport } from '../../../plugin/src/selftest/report';
import { Panel } from '../../../plugin/src/ui/Panel';
import type { HelperApi } from '../../../plugin/src/ui/helper-connection';
import { createPanelMenu, PANEL_MENU_ITEMS } from '../../../plugin/src/ui/panel-menu';
import { runOperation } from '../../../plugin/src/workflows/run-operation';
import { registeredPanel } from '../../fakes/photoshop/uxp';
import { fakeHelper, panelServices, PASSING_REPORT } from './panel-services';

jest.mock('../../../plugin/src/workflows/run-operation', () => ({
  ...jest.requireActual('../../../plugin/src/workflows/run-operation'),
  runOperation: jest.fn(),
}));

const READ_LAYER: SelfTestCheck = { name: 'read layer (8-bit RGB)', passed: true, ms: 12 };
const WRITE_16: SelfTestCheck = { name: 'write pixels (16-bit RGB)', passed: false, error: 'putPixels: The image data is not the document’s bit depth (8 ≠ 16)', ms: 7 };
const REPORT: SelfTestReport = { ...PASSING_REPORT, checks: [READ_LAYER, WRITE_16] };

/** A self-test the test steps through: each check is reported when the test says, then the report. */
function steppedSelfTest() {
  let report!: (checks: SelfTestCheck[]) => void;
  let check!: (check: SelfTestCheck) => void;
  const run = jest.fn((_deps: { helper: HelperApi | undefined }, onCheck: (check: SelfTestCheck) => void) => {
    check = onCheck;
    return new Promise<SelfTestReport>((resolve) => (report = (checks) => resolve({ ...PASSING_REPORT, checks })));
  });
  return { run, check: (c: SelfTestCheck) => act(() => check(c)), finish: (checks: SelfTestCheck[]) => act(async () => report(checks)) };
}

async function openSelfTest(services: ReturnType<typeof panelServices>) {
  render(<Panel services={services} />);
  await screen.findByText(/Connected/);
  act(() => services.menu.choose('run-self-test'));
  return screen.findByRole('region', { name: 'Self-test' });
}

describe('Run self-test', () => {
  it('lists each check as it ends, with the exact error, and ends with "N passed, M failed"', async () => {
    const selfTest = steppedSelfTest();
    const view = await openSelfTest(panelServices({ runSelfTest: selfTest.run }));
    expect(within(view).getByRole('status').textContent).toBe('Running…');
    selfTest.check(READ_LAYER);
    expect(within(view).getByText('✓ read layer (8-bit RGB) · 12 ms')).toBeTruthy();
    selfTest.check(WRITE_16);
    expect(within(view).getByText('✗ write pixels (16-bit RGB) · 7 ms')).toBeTruthy();
    expect(within(view).getByText(WRITE_16.error as string)).toBeTruthy();
    await selfTest.finish([READ_LAYER, WRITE_16]);
    expect(within(view).getByRole('status').textContent).toBe('1 passed, 1 failed');
    expect(within(view).getAllByRole('listitem')).toHaveLength(2);
  });

  it('hands the self-test the host and the connected helper', async () => {
    const services = panelServices();
    await openSelfTest(services);
    expect(services.runSelfTest.mock.calls[0][0]).toEqual({ host: services.host, helper: expect.objectContaining({ info: expect.any(Function) }) });
  });

  it('runs without a helper when none is running, so the Photoshop checks still report', async () => {
    const services = panelServices({ connect: () => fakeHelper({ running: () => false }) });
    render(<Panel services={services} />);
    await screen.findByText(/npm start/);
    act(() => services.menu.choose('run-self-test'));
    await screen.findByText('1 passed, 0 failed');
    expect(services.runSelfTest.mock.calls[0][0]).toEqual({ host: services.host, helper: undefined });
  });

  it('copies the report as text', async () => {
    const services = panelServices({ runSelfTest: jest.fn(async () => REPORT) });
    const view = await openSelfTest(services);
    fireEvent.click(await within(view).findByText('Copy report'));
    expect(await within(view).findByText('Report copied to the clipboard.')).toBeTruthy();
    expect(services.reportFile.copy).toHaveBeenCalledWith(formatReport(REPORT));
  });

  it('saves the report to the file the user picks, and says nothing when the dialog is cancelled', async () => {
    const services = panelServices({ runSelfTest: jest.fn(async () => REPORT) });
    const view = await openSelfTest(services);
    fireEvent.click(await within(view).findByText('Save report…'));
    expect(await within(view).findByText('Report saved as mend-self-test-2025-03-04T05-06-07.txt.')).toBeTruthy();
    expect(services.reportFile.save).toHaveBeenCalledWith('mend-self-test-2025-03-04T05-06-07.txt', formatReport(REPORT));

    services.reportFile.save.mockResolvedValueOnce(undefined);
    fireEvent.click(within(view).getByText('Save report…'));
    // Awaits the same answer the panel awaits: the panel has handled it by then.
    await act(() => services.reportFile.save.mock.results[1].value);
    expect(within(view).queryByText(/Report saved/)).toBeNull();
  });

  it('says why the report could not be copied, e.g. when this Photoshop has no clipboard for plugins', async () => {
    const services = panelServices({ runSelfTest: jest.fn(async () => REPORT) });
    services.reportFile.copy.mockRejectedValueOnce(new Error('This Photoshop gives plugins no clipboard. Use “Save report…” instead.'));
    const view = await openSelfTest(services);
    fireEvent.click(await within(view).findByText('Copy report'));
    expect((await within(view).findByRole('alert')).textContent).toBe('This Photoshop gives plugins no clipboard. Use “Save report…” instead.');
  });

  it('shows why the self-test stopped, with the checks it had run', async () => {
    const runSelfTest = jest.fn(async (_deps: unknown, onCheck: (check: SelfTestCheck) => void): Promise<SelfTestReport> => {
      onCheck(READ_LAYER);
      throw new TypeError("Cannot read properties of undefined (reading 'getSelection')");
    });
    const view = await openSelfTest(panelServices({ runSelfTest }));
    const alert = await within(view).findByRole('alert');
    expect(alert.textContent).toMatch(/^The self-test stopped: .*getSelection/);
    expect(within(alert).getByText("Details: TypeError: Cannot read properties of undefined (reading 'getSelection')")).toBeTruthy();
    expect(within(view).getByText('✓ read layer (8-bit RGB) · 12 ms')).toBeTruthy();
  });

  it('waits for a running operation instead of opening documents under it', async () => {
    (runOperation as jest.MockedFunction<typeof runOperation>).mockImplementationOnce(
      (_deps, _request, callbacks) => new Promise((_resolve, reject) => callbacks?.cancel?.onCancel(() => reject(new HelperError('cancelled', 'Cancelled.')))),
    );
    const services = panelServices();
    render(<Panel services={services} />);
    await screen.findByText(/Connected/);
    fireEvent.click(screen.getByText('Run'));
    await screen.findByText('Cancel');
    act(() => services.menu.choose('run-self-test'));
    expect(screen.getByRole('note').textContent).toBe('Wait for the running operation to finish (or cancel it), then run the self-test.');
    expect(services.runSelfTest).not.toHaveBeenCalled();
    await act(async () => fireEvent.click(screen.getByText('Cancel')));
  });

  it('goes back to the operations when closed', async () => {
    const view = await openSelfTest(panelServices());
    await within(view).findByText('1 passed, 0 failed');
    fireEvent.click(within(view).getByText('Close'));
    expect(screen.queryByRole('region', { name: 'Self-test' })).toBeNull();
    expect(screen.getByLabelText('Operation', { selector: 'sp-picker' })).toBeTruthy();
  });
});

describe('the panel flyout menu', () => {
  it('offers "Run self-test" to Photoshop through entrypoints.setup and forwards the choice to the panel', () => {
    const menu = createPanelMenu();
    const mount = jest.fn();
    registerPanel('mend.panel', { mount, menuItems: PANEL_MENU_ITEMS, onMenuItem: (id) => menu.choose(id) });
    const panel = registeredPanel('mend.panel');
    expect(panel?.menuItems).toEqual([{ id: 'run-self-test', label: 'Run self-test' }]);

    const chosen: string[] = [];
    // Chosen before the panel subscribed (React mounts asynchronously): delivered when it does.
    void panel?.invokeMenu?.('run-self-test');
    menu.onChoose((id) => chosen.push(id));
    expect(chosen).toEqual(['run-self-test']);
    void panel?.invokeMenu?.('run-self-test');
    expect(chosen).toEqual(['run-self-test', 'run-self-test']);
    const root = document.createElement('div');
    void panel?.create?.(root);
    expect(mount).toHaveBeenCalledWith(root);
  });
});
