/**
 * @jest-environment jsdom
 */
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { CancelToken } from '../../../plugin/src/helper-client/cancel-token';
import { HelperError } from '../../../plugin/src/helper-client/helper-client';
import { Panel } from '../../../plugin/src/ui/Panel';
import { HostError } from '../../../plugin/src/workflows/host';
import type { OperationRequest } from '../../../plugin/src/workflows/operations';
import { findDefects, runOperation, type WorkflowCallbacks } from '../../../plugin/src/workflows/run-operation';
import { defineSpectrumPicker, pick } from '../../helpers/spectrum-picker';
import { fakeHelper, fakeHost, memoryTokens, panelServices, RESULT_LAYER } from './panel-services';

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
  runOperationMock.mockImplementation(async (_deps, request) => ({
    layer: RESULT_LAYER,
    name: `${request.kind === 'restore' ? 'Restore' : 'Upscale'} · waifu2x-cunet-noise2`,
    documentTitle: 'print.png',
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
    await pick('Operation', 'Restore (noise, JPEG)');
    await pick('Strength', 'Strong');
    fireEvent.click(screen.getByText('Run'));
    const results = await screen.findByRole('region', { name: 'Results' });
    expect(within(results).getByText('Restore · waifu2x-cunet-noise2 — print.png')).toBeTruthy();
    expect(requested()).toMatchObject({ kind: 'restore', strength: 'strong', source: 'layer' });
    fireEvent.click(within(results).getByLabelText(/Hide Restore/));
    await waitFor(() => expect(calls).toEqual(['visible false']));
    expect(within(results).getByText('Before')).toBeTruthy();
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
    runOperationMock.mockResolvedValue({ layer: RESULT_LAYER, name: 'Inpaint · classical-pushpull', documentTitle: 'scan.png' });
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
      return { layer: RESULT_LAYER, name: 'Upscale ×2 · realesr-animevideov3-x2', documentTitle: 'print ×2' };
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
