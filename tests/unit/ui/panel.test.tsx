/**
 * @jest-environment jsdom
 */
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { CancelToken } from '../../../plugin/src/helper-client/cancel-token';
import { HelperError } from '../../../plugin/src/helper-client/helper-client';
import { Panel } from '../../../plugin/src/ui/Panel';
import { HostError } from '../../../plugin/src/workflows/host';
import { jobOptionsFor, type OperationRequest } from '../../../plugin/src/workflows/operations';
import { findDefects, runOperation, type WorkflowCallbacks } from '../../../plugin/src/workflows/run-operation';
import { defineSpectrumPicker, pick } from '../../helpers/spectrum-picker';
import { fakeHelper, fakeHost, memoryTokens, panelServices, RESULT_BOUNDS, RESULT_LAYER } from './panel-services';

jest.mock('../../../plugin/src/workflows/run-operation', () => ({
  ...jest.requireActual('../../../plugin/src/workflows/run-operation'),
  runOperation: jest.fn(),
  findDefects: jest.fn(),
}));

const runOperationMock = runOperation as jest.MockedFunction<typeof runOperation>;
const findDefectsMock = findDefects as jest.MockedFunction<typeof findDefects>;

/** The request of the n-th operation the panel ran. */
function requested(call = 0): OperationRequest {
  return runOperationMock.mock.calls[call][1];
}

/** The item a picker shows as chosen. */
function shown(label: string): string | undefined {
  return screen.getByLabelText(label, { selector: 'sp-picker' }).querySelector('sp-menu-item[selected]')?.textContent ?? undefined;
}

/** An operation that reports one tile of two done, then holds until the panel cancels it. */
function holdUntilCancelled(callbacks: WorkflowCallbacks | undefined): Promise<never> {
  callbacks?.onStage?.('processing');
  callbacks?.onProgress?.({ done: 1, total: 2, stage: 'model' });
  const cancel = callbacks?.cancel as CancelToken;
  return new Promise((_resolve, reject) => cancel.onCancel(() => reject(new HelperError('cancelled', 'Cancelled.'))));
}

beforeAll(defineSpectrumPicker);

beforeEach(() => {
  runOperationMock.mockReset();
  findDefectsMock.mockReset();
  // A new layer each run, as Photoshop makes one.
  runOperationMock.mockImplementation(async (_deps, request) => ({
    layer: { ...RESULT_LAYER, layerId: RESULT_LAYER.layerId + runOperationMock.mock.calls.length },
    name: `${request.kind === 'restore' ? 'Restore' : 'Upscale'} · waifu2x-cunet-noise2`,
    documentTitle: 'print.png',
    bounds: RESULT_BOUNDS,
  }));
});

describe('Mend panel', () => {
  it('says how to start the helper, then connects by itself when it comes up', async () => {
    let running = false;
    render(<Panel services={panelServices({ connect: () => fakeHelper({ running: () => running }) })} />);
    expect(await screen.findByText(/npm start/)).toBeTruthy();
    running = true;
    expect(await screen.findByText(/Connected · CPU/)).toBeTruthy();
  });

  it('"not running" says how to start the installed helper, and the developer’s way second', async () => {
    render(<Panel services={panelServices({ connect: () => fakeHelper({ running: () => false }) })} />);
    const status = await screen.findByText(/is not running/);
    expect(status.textContent).toMatch(
      /folder you unpacked the Mend helper into and run `\.\/mend service install` to start it now and at every login, or `\.\/mend serve`.*from a source checkout, `npm start`/,
    );
  });

  it('refuses a helper of another protocol with what to update, and comes back by itself once it is updated', async () => {
    let updated = false;
    const incompatible = new HelperError(
      'incompatible',
      'The Mend panel is version 0.1.0 and the helper version 2.0.0: they speak different protocols (1 and 2), so the panel cannot use this helper. Update the Mend panel: double-click the mend-2.0.0.ccx of the same release (Creative Cloud installs it), then reopen the panel.',
      'panel 0.1.0 (protocol 1), helper 2.0.0 (protocol 2)',
    );
    render(<Panel services={panelServices({ connect: () => fakeHelper({ infoError: () => (updated ? undefined : incompatible) }) })} />);
    expect(await screen.findByText(/Update the Mend panel: double-click the mend-2\.0\.0\.ccx/)).toBeTruthy();
    expect(screen.getByText('Details: panel 0.1.0 (protocol 1), helper 2.0.0 (protocol 2)')).toBeTruthy();
    expect(screen.getByText('Run').closest('sp-button')?.hasAttribute('disabled')).toBe(true);
    updated = true;
    expect(await screen.findByText(/Connected · CPU/)).toBeTruthy();
    expect(screen.getByText('Run').closest('sp-button')?.hasAttribute('disabled')).toBe(false);
  });

  it('connects to a helper of another app version of the same protocol, and notes which to update', async () => {
    render(<Panel services={panelServices({ connect: () => fakeHelper({ version: '0.0.1' }) })} />);
    expect(await screen.findByText(/Connected · CPU/)).toBeTruthy();
    expect(screen.getByRole('note').textContent).toMatch(/helper version 0\.0\.1; they work together, but the helper is older\. Update the Mend helper/);
  });

  it('pairs once with the code and keeps the token', async () => {
    const tokens = memoryTokens();
    const helper = fakeHelper({ paired: () => tokens.token !== undefined });
    render(<Panel services={panelServices({ tokens, connect: () => helper })} />);
    const input = await screen.findByLabelText('Pairing code');
    fireEvent.change(input, { target: { value: '000000' } });
    fireEvent.click(screen.getByText('Pair'));
    expect((await screen.findByRole('alert')).textContent).toMatch(/^That pairing code is not right\./);
    fireEvent.change(input, { target: { value: '123456' } });
    fireEvent.click(screen.getByText('Pair'));
    expect(await screen.findByText(/Connected/)).toBeTruthy();
    expect(tokens.token).toBe('secret');
  });

  it('runs what the pickers show, chosen by their selected index as UXP reports it, and toggles before/after', async () => {
    const { host, calls } = fakeHost();
    render(<Panel services={panelServices({ host })} />);
    await screen.findByText(/Connected/);
    await pick('Operation', 'Restore');
    await pick('Strength', 'Strong');
    fireEvent.click(screen.getByText('Run'));
    const results = await screen.findByRole('region', { name: 'Results' });
    expect(within(results).getByText('Restore · waifu2x-cunet-noise2 — print.png')).toBeTruthy();
    expect(requested()).toMatchObject({ kind: 'restore', problem: 'noise-jpeg', strength: 'strong', source: 'layer' });
    fireEvent.click(within(results).getByLabelText(/Hide Restore/));
    await waitFor(() => expect(calls).toEqual(['visible false']));
    expect(within(results).getByText('Before')).toBeTruthy();
  });

  it("offers Restore's problems: Noise & JPEG with its strength, the others asked for by role", async () => {
    render(<Panel services={panelServices()} />);
    await screen.findByText(/Connected/);
    await pick('Operation', 'Restore');
    expect(shown('Problem')).toBe('Noise & JPEG');
    await pick('Problem', 'Motion blur');
    expect(screen.queryByLabelText('Strength', { selector: 'sp-picker' })).toBeNull();
    fireEvent.click(screen.getByText('Run'));
    await screen.findByRole('region', { name: 'Results' });
    expect(requested()).toEqual(expect.objectContaining({ kind: 'restore', problem: 'deblur' }));
    expect(requested()).not.toHaveProperty('strength');
    for (const [label, problem] of [
      ['Noise (camera)', 'denoise-camera'],
      ['Low light', 'lowlight'],
      ['Haze', 'dehaze'],
      ['Rain', 'derain'],
      ['Auto retouch', 'retouch'],
    ]) {
      await pick('Problem', label);
      fireEvent.click(screen.getByText('Run'));
      await waitFor(() => expect(runOperationMock.mock.calls.at(-1)?.[1]).toMatchObject({ kind: 'restore', problem }));
    }
  });

  it('blends Low light, Haze and Auto retouch Normal; the other problems keep the Luminosity the user chose', async () => {
    render(<Panel services={panelServices()} />);
    await screen.findByText(/Connected/);
    await pick('Operation', 'Restore');
    fireEvent.click(screen.getByText(/Layer options/));
    await pick('Blend mode', 'Luminosity (keep original colors)');
    for (const [problem, blend] of [
      ['Motion blur', 'Luminosity (keep original colors)'],
      ['Noise (camera)', 'Luminosity (keep original colors)'],
      ['Rain', 'Luminosity (keep original colors)'],
      ['Low light', 'Normal'],
    ]) {
      await pick('Problem', problem);
      expect([problem, shown('Blend mode')]).toEqual([problem, blend]);
    }
    for (const problem of ['Haze', 'Auto retouch']) {
      await pick('Blend mode', 'Luminosity (keep original colors)');
      await pick('Problem', problem);
      expect([problem, shown('Blend mode')]).toEqual([problem, 'Normal']);
    }
    fireEvent.click(screen.getByText('Run'));
    await screen.findByRole('region', { name: 'Results' });
    expect(requested()).toMatchObject({ problem: 'retouch', blendMode: 'normal' });
    // Still the user's choice after that.
    await pick('Blend mode', 'Luminosity (keep original colors)');
    fireEvent.click(screen.getByText('Run'));
    await waitFor(() => expect(requested(1)).toMatchObject({ problem: 'retouch', blendMode: 'luminosity' }));
  });

  it("says that a problem's first run downloads and prepares its model, and how slow it is on a CPU", async () => {
    const models = [
      { id: 'maxim-lowlight', task: 'restore', scale: 1, status: 'available' as const, roles: ['lowlight'] },
      { id: 'maxim-deblur', task: 'restore', scale: 1, status: 'ready' as const, roles: ['deblur'] },
      { id: 'waifu2x-cunet-noise3', task: 'restore', scale: 1, status: 'ready' as const, roles: ['denoise', 'denoise-camera'] },
    ];
    render(<Panel services={panelServices({ connect: () => fakeHelper({ models }) })} />);
    await screen.findByText(/Connected · CPU/);
    await pick('Operation', 'Restore');
    expect(screen.queryByText(/first run downloads/)).toBeNull();
    expect(screen.queryByText(/Slow on a CPU/)).toBeNull();
    await pick('Problem', 'Low light');
    expect(screen.getByText(/The first run downloads this model \(about 54 MB\) and prepares it/)).toBeTruthy();
    expect(screen.getByText(/Slow on a CPU: .* minutes for a 12-megapixel photo/)).toBeTruthy();
    await pick('Problem', 'Motion blur');
    expect(screen.queryByText(/first run downloads/)).toBeNull();
    expect(screen.getByText(/Slow on a CPU/)).toBeTruthy();
    // The eval gave camera noise to a light model: nothing to warn about.
    await pick('Problem', 'Noise (camera)');
    expect(screen.queryByText(/Slow on a CPU/)).toBeNull();
  });

  it("shows the model's download and conversion on its first use, and Cancel stops it", async () => {
    let report: WorkflowCallbacks['onProgress'];
    runOperationMock.mockImplementation((_deps, _request, callbacks) => {
      callbacks?.onStage?.('processing');
      report = callbacks?.onProgress;
      report?.({ done: 30_000_000, total: 75_000_000, stage: 'prepare:download' });
      const cancel = callbacks?.cancel as CancelToken;
      return new Promise((_resolve, reject) => cancel.onCancel(() => reject(new HelperError('cancelled', 'Cancelled.'))));
    });
    render(<Panel services={panelServices()} />);
    await screen.findByText(/Connected/);
    await pick('Operation', 'Restore');
    await pick('Problem', 'Low light');
    fireEvent.click(screen.getByText('Run'));
    expect(await screen.findByText('First use: downloading the model, 30 of 75 MB…')).toBeTruthy();
    expect(screen.getByRole('progressbar', { name: 'Restore · Low light' }).getAttribute('aria-valuenow')).toBe('40');
    act(() => report?.({ done: 1, total: 2, stage: 'prepare:convert' }));
    expect(screen.getByText('First use: converting the model, 1 of 2 files…')).toBeTruthy();
    act(() => report?.({ done: 0, total: 1, stage: 'maxim-lowlight' }));
    expect(screen.getByText('Restore · Low light: 0 of 1 tiles')).toBeTruthy();
    await act(async () => fireEvent.click(screen.getByText('Cancel')));
    expect(await screen.findByText('Cancelled. The document was not changed.')).toBeTruthy();
    expect(screen.queryByRole('progressbar')).toBeNull();
  });

  it('runs Upscale and Restore at the Precision chosen, which reaches the job options (fp32, the default, is left out)', async () => {
    render(<Panel services={panelServices()} />);
    await screen.findByText(/Connected/);
    expect(shown('Precision')).toBe('Full (fp32, default)');
    fireEvent.click(screen.getByText('Run'));
    await screen.findByRole('region', { name: 'Results' });
    expect(requested(0)).toMatchObject({ kind: 'upscale', precision: 'fp32' });
    expect(jobOptionsFor(requested(0))).not.toHaveProperty('precision');

    await pick('Precision', 'Fast (int8, CPU)');
    expect(screen.getByText(/int8: faster on the CPU/)).toBeTruthy();
    fireEvent.click(screen.getByText('Run'));
    await waitFor(() => expect(runOperationMock).toHaveBeenCalledTimes(2));
    expect(jobOptionsFor(requested(1))).toMatchObject({ task: 'upscale', precision: 'int8' });

    await pick('Operation', 'Restore');
    expect(shown('Precision')).toBe('Fast (int8, CPU)');
    await pick('Problem', 'Motion blur');
    fireEvent.click(screen.getByText('Run'));
    await waitFor(() => expect(runOperationMock).toHaveBeenCalledTimes(3));
    expect(jobOptionsFor(requested(2))).toEqual({ task: 'restore', role: 'deblur', precision: 'int8' });

    await pick('Operation', 'Inpaint selection');
    expect(screen.queryByLabelText('Precision', { selector: 'sp-picker' })).toBeNull();
  });

  it('keeps the layer options folded away until asked, then applies them', async () => {
    render(<Panel services={panelServices()} />);
    await screen.findByText(/Connected/);
    const toggle = screen.getByText(/Layer options/);
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByLabelText('Blend mode', { selector: 'sp-picker' })).toBeNull();
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    await pick('Blend mode', 'Luminosity (keep original colors)');
    fireEvent.click(screen.getByText('Run'));
    await screen.findByRole('region', { name: 'Results' });
    expect(requested()).toMatchObject({ kind: 'upscale', blendMode: 'luminosity' });
    fireEvent.click(toggle);
    expect(screen.queryByLabelText('Blend mode', { selector: 'sp-picker' })).toBeNull();
  });

  it('shows progress, and Cancel stops the job through the cancel token and leaves the document alone', async () => {
    runOperationMock.mockImplementation((_deps, _request, callbacks) => holdUntilCancelled(callbacks));
    render(<Panel services={panelServices()} />);
    await screen.findByText(/Connected/);
    fireEvent.click(screen.getByText('Run'));
    expect(await screen.findByText(/1 of 2 tiles/)).toBeTruthy();
    await act(async () => fireEvent.click(screen.getByText('Cancel')));
    expect(await screen.findByText('Cancelled. The document was not changed.')).toBeTruthy();
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('finds dust and scratches as a selection to review, then repairs the selection into a layer', async () => {
    findDefectsMock.mockResolvedValue({ share: 0.0625 });
    runOperationMock.mockResolvedValue({ layer: RESULT_LAYER, name: 'Inpaint · classical-pushpull', documentTitle: 'scan.png', bounds: RESULT_BOUNDS });
    render(<Panel services={panelServices()} />);
    await screen.findByText(/Connected/);
    await pick('Operation', 'Dust & scratches');
    fireEvent.click(await screen.findByText('Find dust & scratches'));
    expect(await screen.findByRole('note')).toHaveProperty('textContent', expect.stringMatching(/6\.25 % of the pixels.*review the selection.*Repair/));
    expect(findDefectsMock.mock.calls[0][1]).toEqual({ source: 'layer', sensitivity: 0.5 });
    fireEvent.click(screen.getByText('Repair'));
    const results = await screen.findByRole('region', { name: 'Results' });
    expect(within(results).getByText(/Inpaint · classical-pushpull — scan.png/)).toBeTruthy();
    expect(requested()).toMatchObject({ kind: 'inpaint' });
  });

  it('says when the helper is busy with other jobs', async () => {
    runOperationMock.mockImplementation((_deps, _request, callbacks) => {
      callbacks?.onQueued?.(2);
      return holdUntilCancelled({ cancel: callbacks?.cancel });
    });
    render(<Panel services={panelServices()} />);
    await screen.findByText(/Connected/);
    fireEvent.click(screen.getByText('Run'));
    expect(await screen.findByText('The helper is busy: waiting for 2 jobs ahead of this one…')).toBeTruthy();
    await act(async () => fireEvent.click(screen.getByText('Cancel')));
  });

  it('explains a text layer and offers the merged image instead', async () => {
    runOperationMock.mockImplementation(async (_deps, request) => {
      if (request.source === 'layer')
        throw new HostError('not_pixel_layer', '“Title” is a text layer, which has no pixels to process. Use the merged image, or rasterize the layer.');
      return { layer: RESULT_LAYER, name: 'Upscale ×2 · realesr-animevideov3-x2', documentTitle: 'print ×2', bounds: RESULT_BOUNDS };
    });
    render(<Panel services={panelServices()} />);
    await screen.findByText(/Connected/);
    fireEvent.click(screen.getByText('Run'));
    expect((await screen.findByRole('alert')).textContent).toMatch(/text layer/);
    fireEvent.click(screen.getByText('Use the merged image'));
    await screen.findByRole('region', { name: 'Results' });
    expect(requested(1).source).toBe('merged');
  });

  it('shows the underlying error under "not running", so a tester can report the real cause', async () => {
    const illegal = new HelperError('not_running', 'The Mend helper is not running at http://127.0.0.1:47811.', 'TypeError: Illegal invocation');
    render(<Panel services={panelServices({ connect: () => fakeHelper({ infoError: () => illegal }) })} />);
    const details = await screen.findByText('Details: TypeError: Illegal invocation');
    expect(screen.getByRole('status').textContent).toMatch(/not running.*npm start/);
    expect(screen.getByRole('status').contains(details)).toBe(true);
  });

  it('names an unexpected error reaching the helper instead of calling it "not running"', async () => {
    render(<Panel services={panelServices({ connect: () => fakeHelper({ infoError: () => new TypeError('Illegal invocation') }) })} />);
    expect(await screen.findByText('Details: TypeError: Illegal invocation')).toBeTruthy();
    expect(screen.getByRole('status').textContent).not.toMatch(/is not running/);
  });

  it('shows the details of a failed operation under its message', async () => {
    runOperationMock.mockRejectedValue(new HelperError('request_failed', 'The helper stopped answering while the image was sent.', 'TypeError: Failed to fetch'));
    render(<Panel services={panelServices()} />);
    await screen.findByText(/Connected/);
    fireEvent.click(screen.getByText('Run'));
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('The helper stopped answering while the image was sent.')).toBeTruthy();
    expect(within(alert).getByText('Details: TypeError: Failed to fetch')).toBeTruthy();
  });
});
