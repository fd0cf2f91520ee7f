/**
 * @jest-environment jsdom
 *
 * The panel's Detail slider, its map of invented detail (Show map, Mask out) and Compare (variants ticked, A/B,
 * Next, Keep this), over stand-in workflows and a host that records what the panel asks of it.
 */
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { Panel } from '../../../plugin/src/ui/Panel';
import { type CompareResult, runCompare } from '../../../plugin/src/workflows/compare';
import type { BandedMask, Bounds, Host, KeepLayer, WrittenLayer } from '../../../plugin/src/workflows/host';
import type { CompareRequest, OperationRequest } from '../../../plugin/src/workflows/operations';
import { runOperation } from '../../../plugin/src/workflows/run-operation';
import { defineSpectrumPicker, pick } from '../../helpers/spectrum-picker';
import { fakeHelper, INFO, panelServices, RESULT_BOUNDS, RESULT_LAYER } from './panel-services';

jest.mock('../../../plugin/src/workflows/run-operation', () => ({
  ...jest.requireActual('../../../plugin/src/workflows/run-operation'),
  runOperation: jest.fn(),
}));
jest.mock('../../../plugin/src/workflows/compare', () => ({
  ...jest.requireActual('../../../plugin/src/workflows/compare'),
  runCompare: jest.fn(),
}));
const runOperationMock = runOperation as jest.MockedFunction<typeof runOperation>;
const runCompareMock = runCompare as jest.MockedFunction<typeof runCompare>;

const MODELS = [
  ...INFO.models,
  { id: 'realesrgan-x4plus', task: 'upscale', scale: 4, status: 'ready' as const },
  { id: 'realesrgan-x4fast', task: 'upscale', scale: 4, status: 'ready' as const },
  { id: 'waifu2x-cunet-noise1', task: 'restore', scale: 1, status: 'ready' as const },
  { id: 'identity', task: 'restore', scale: 1, status: 'ready' as const },
];
const OVERLAY: WrittenLayer = { documentId: 1, layerId: 51 };
const layer = (layerId: number): WrittenLayer => ({ documentId: 1, layerId });
const COMPARE: CompareResult = {
  documentTitle: 'print.png',
  group: layer(60),
  variants: [
    { name: 'realesrgan-x4plus', layer: layer(61) },
    { name: 'realesrgan-x4fast', layer: layer(62) },
    { name: 'realesr-animevideov3-x2', layer: layer(63) },
  ],
};

/** A host that keeps each layer's visibility, and records masks set and layers kept. */
function recordingHost() {
  const visible = new Map<number, boolean>();
  const masksSet: Array<{ layer: WrittenLayer; mask: BandedMask; historyName: string }> = [];
  const kept: KeepLayer[] = [];
  const host = {
    setLayerVisible: jest.fn(async ({ layerId }: WrittenLayer, shown: boolean) => void visible.set(layerId, shown)),
    reveal: jest.fn(async () => undefined),
    readLayerMask: jest.fn(async (_layer: WrittenLayer, b: Bounds) => new Uint8Array((b.right - b.left) * (b.bottom - b.top)).fill(255)),
    readLayerAlpha: jest.fn(async (_layer: WrittenLayer, b: Bounds) => new Uint8Array((b.right - b.left) * (b.bottom - b.top)).fill(200)),
    setLayerMask: jest.fn(async (written: WrittenLayer, mask: BandedMask, historyName: string) => void masksSet.push({ layer: written, mask, historyName })),
    keepLayer: jest.fn(async (keep: KeepLayer) => void kept.push(keep)),
  };
  return { host: host as Partial<Host> as Host, visible, masksSet, kept };
}

function requested(): OperationRequest {
  return runOperationMock.mock.calls.at(-1)?.[1] as OperationRequest;
}

function checkbox(label: string): HTMLElement {
  return screen.getByLabelText(label, { selector: 'sp-checkbox' });
}

/** Moves the slider labelled `label` as UXP reports it: its `value`, then an `input` event. */
function slide(label: string, value: string): void {
  const slider = screen.getByLabelText(label, { selector: 'sp-slider' }) as HTMLElement & { value?: string };
  slider.value = value;
  fireEvent.input(slider);
}

function tick(label: string, checked = true): void {
  fireEvent.change(checkbox(label), { target: { checked } });
}

beforeAll(defineSpectrumPicker);

beforeEach(() => {
  runOperationMock.mockReset();
  runCompareMock.mockReset();
  runOperationMock.mockImplementation(async (_deps, request) => ({
    layer: RESULT_LAYER,
    name: 'Upscale ×2 · realesrgan-x4plus',
    documentTitle: 'print.png',
    bounds: RESULT_BOUNDS,
    ...(request.kind === 'upscale' && request.inventedDetail ? { inventedDetail: OVERLAY } : {}),
  }));
  runCompareMock.mockResolvedValue(COMPARE);
});

async function connected(host: Host) {
  render(<Panel services={panelServices({ host, connect: () => fakeHelper({ models: MODELS }) })} />);
  await screen.findByText(/Connected/);
}

describe('Detail and the map of invented detail', () => {
  it('upscales at the Detail the slider shows (1 by default), in steps of 0.1', async () => {
    await connected(recordingHost().host);
    expect(screen.getByText('Detail: 1')).toBeTruthy();
    fireEvent.click(screen.getByText('Run'));
    await screen.findByRole('region', { name: 'Results' });
    expect(requested()).toMatchObject({ kind: 'upscale', detail: 1, inventedDetail: false });

    slide('Detail', '1.5000000001');
    expect(screen.getByText('Detail: 1.5')).toBeTruthy();
    fireEvent.click(screen.getByText('Run'));
    await waitFor(() => expect(requested()).toMatchObject({ detail: 1.5 }));
  });

  it('asks for the map, shows and hides its overlay, and masks the invented detail out of the result in one click', async () => {
    const { host, visible, masksSet } = recordingHost();
    await connected(host);
    expect(checkbox('Invented detail: add its map as a hidden layer').hasAttribute('checked')).toBe(false);
    tick('Invented detail: add its map as a hidden layer');
    fireEvent.click(screen.getByText('Run'));
    const results = await screen.findByRole('region', { name: 'Results' });
    expect(requested()).toMatchObject({ kind: 'upscale', inventedDetail: true });

    fireEvent.click(within(results).getByText('Show map'));
    await waitFor(() => expect(visible.get(OVERLAY.layerId)).toBe(true));
    fireEvent.click(within(results).getByText('Hide map'));
    await waitFor(() => expect(visible.get(OVERLAY.layerId)).toBe(false));

    fireEvent.click(within(results).getByLabelText('Mask out invented detail of Upscale ×2 · realesrgan-x4plus'));
    expect(await screen.findByText(/now hides the invented detail: paint white into it/)).toBeTruthy();
    const [set] = masksSet;
    expect(set.layer).toEqual(RESULT_LAYER);
    expect(set.historyName).toBe('Mend Mask Out Invented Detail');
    expect(set.mask.bounds).toEqual(RESULT_BOUNDS);
    // The inverted map (255 − 200) within the mask the result had (255).
    expect(Array.from(await set.mask.readBand(0, 1))).toEqual(new Array(8).fill(55));
  });

  it('offers no map buttons for a result written without one', async () => {
    await connected(recordingHost().host);
    fireEvent.click(screen.getByText('Run'));
    const results = await screen.findByRole('region', { name: 'Results' });
    expect(within(results).queryByText('Mask out invented detail')).toBeNull();
  });
});

describe('Compare', () => {
  it('runs 2–4 ticked upscalers as one Compare at the chosen scale and Detail, and says how many to tick', async () => {
    await connected(recordingHost().host);
    await pick('Operation', 'Compare');
    const run = screen.getByText('Run');
    expect(run.hasAttribute('disabled')).toBe(true);
    expect(screen.getByText('Tick 2 to 4 models to compare (0 ticked).')).toBeTruthy();
    tick('realesrgan-x4fast');
    tick('realesrgan-x4plus');
    expect(run.hasAttribute('disabled')).toBe(false);
    await pick('Scale', '×4');
    slide('Detail', '0.5');
    fireEvent.click(run);
    await screen.findByRole('region', { name: 'Results' });
    const request = runCompareMock.mock.calls[0][1] as Extract<CompareRequest, { of: 'upscale' }>;
    expect(request).toMatchObject({ kind: 'compare', of: 'upscale', scale: 4, output: 'new-document' });
    // In the order the panel lists them, whatever order they were ticked in.
    expect(request.variants).toEqual([
      { model: 'realesrgan-x4plus', detail: 0.5 },
      { model: 'realesrgan-x4fast', detail: 0.5 },
    ]);
    expect(screen.queryByLabelText('Invented detail: add its map as a hidden layer', { selector: 'sp-checkbox' })).toBeNull();
  });

  it('compares detail strengths of one upscaler, or restore models (not the self-test’s identity)', async () => {
    await connected(recordingHost().host);
    await pick('Operation', 'Compare');
    await pick('Compare', 'Detail strengths');
    await pick('Model', 'realesrgan-x4plus');
    expect(['Detail 0', 'Detail 1', 'Detail 2'].map((label) => checkbox(label).hasAttribute('checked'))).toEqual([true, true, true]);
    tick('Detail 1', false);
    tick('Detail 1.5');
    fireEvent.click(screen.getByText('Run'));
    await waitFor(() => expect(runCompareMock).toHaveBeenCalledTimes(1));
    expect(runCompareMock.mock.calls[0][1]).toMatchObject({
      of: 'upscale',
      variants: [
        { model: 'realesrgan-x4plus', detail: 0 },
        { model: 'realesrgan-x4plus', detail: 1.5 },
        { model: 'realesrgan-x4plus', detail: 2 },
      ],
    });

    await pick('Compare', 'Restore models');
    expect(screen.queryByLabelText('identity', { selector: 'sp-checkbox' })).toBeNull();
    expect(screen.queryByLabelText('Scale', { selector: 'sp-picker' })).toBeNull();
    expect(screen.getByText('Tick 2 to 4 models to compare (0 ticked).')).toBeTruthy();
  });

  it('shows one variant at a time (A/B), Next cycles through them, and Keep this keeps the one shown', async () => {
    const { host, visible, kept } = recordingHost();
    await connected(host);
    await pick('Operation', 'Compare');
    tick('realesrgan-x4plus');
    tick('realesrgan-x4fast');
    fireEvent.click(screen.getByText('Run'));
    const group = await screen.findByRole('group', { name: 'Compare — print.png' });
    const pressed = () => group.querySelector('[aria-pressed="true"]')?.textContent;
    const shown = () => [...visible].filter(([, on]) => on).map(([id]) => id);
    expect(pressed()).toBe('● realesrgan-x4plus');

    fireEvent.click(within(group).getByText(/realesr-animevideov3-x2/));
    await waitFor(() => expect(pressed()).toBe('● realesr-animevideov3-x2'));
    expect(shown()).toEqual([63]);
    fireEvent.click(within(group).getByText('Next'));
    await waitFor(() => expect(pressed()).toBe('● realesrgan-x4plus'));
    expect(shown()).toEqual([61]);
    fireEvent.click(within(group).getByText('Next'));
    await waitFor(() => expect(shown()).toEqual([62]));

    fireEvent.click(within(group).getByText('Keep this'));
    const results = screen.getByRole('region', { name: 'Results' });
    await within(results).findByText('realesrgan-x4fast — print.png');
    expect(screen.queryByRole('group', { name: 'Compare — print.png' })).toBeNull();
    expect(kept).toEqual([{ keep: layer(62), discard: [layer(61), layer(63)], group: layer(60), historyName: 'Mend Keep Variant' }]);
  });
});
