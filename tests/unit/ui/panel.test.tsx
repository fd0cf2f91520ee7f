/**
 * @jest-environment jsdom
 */
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { Info } from '../../../native-helper/src/protocol';
import { HelperError } from '../../../plugin/src/helper-client/helper-client';
import { Panel } from '../../../plugin/src/ui/Panel';
import type { HelperApi } from '../../../plugin/src/ui/helper-connection';
import { HostError, type Host, type SourceRead, type TokenStore, type WrittenLayer } from '../../../plugin/src/workflows/host';

const INFO: Info = {
  name: 'mend',
  version: '0.1.0',
  api: 1,
  provider: { name: 'cpu', fallbackReason: 'no GPU' },
  availableProviders: ['cpu'],
  queue: { running: 0, waiting: 0 },
  models: [{ id: 'realesr-animevideov3-x2', task: 'upscale', scale: 2, status: 'ready', default: true }],
};

const FAST = { missing: 20, connected: 1000 };

function memoryTokens(initial?: string): TokenStore & { token?: string } {
  const store: TokenStore & { token?: string } = {
    token: initial,
    load: async () => store.token,
    save: async (t) => void (store.token = t),
    clear: async () => void (store.token = undefined),
  };
  return store;
}

function source(): SourceRead {
  return {
    documentId: 1,
    documentTitle: 'print.png',
    documentWidth: 4,
    documentHeight: 4,
    layerId: 2,
    layerName: 'Background',
    pixels: { width: 4, height: 4, components: 3, bitDepth: 8, data: new Uint8Array(48).fill(10) },
    bounds: { left: 0, top: 0, right: 4, bottom: 4 },
  };
}

function fakeHost(read: Host['read'] = async () => source()) {
  const calls: string[] = [];
  const layer: WrittenLayer = { documentId: 1, layerId: 50 };
  const host: Host = {
    read: jest.fn(read),
    writeLayer: jest.fn(async (w) => (calls.push(`write ${w.name}`), layer)),
    writeNewDocument: jest.fn(async (w) => (calls.push(`new ${w.title}`), layer)),
    resizeAndWrite: jest.fn(async () => layer),
    selectMask: jest.fn(async () => undefined),
    setLayerVisible: jest.fn(async (_l, visible) => void calls.push(`visible ${visible}`)),
    reveal: jest.fn(async () => undefined),
    exists: jest.fn(async () => true),
  };
  return { host, calls };
}

/** A helper that answers instantly, or holds the job until it is aborted when `hold` is set. */
function fakeHelper(options: { running?: () => boolean; paired?: () => boolean; hold?: boolean; queuedBehind?: number } = {}): HelperApi & { jobs: string[] } {
  const jobs: string[] = [];
  return {
    jobs,
    pair: jest.fn(async (code: string) => {
      if (code !== '123456') throw new HelperError('rejected', 'That pairing code is not right.');
      return 'secret';
    }),
    info: jest.fn(async () => {
      if (options.running && !options.running()) throw new HelperError('not_running', 'not running');
      if (options.paired && !options.paired()) throw new HelperError('not_paired', 'not paired');
      return INFO;
    }),
    runJob: jest.fn(async (header, image, _mask, { signal, onProgress, onQueued }) => {
      jobs.push(header.options.task);
      if (options.queuedBehind) onQueued?.(options.queuedBehind);
      else onProgress?.({ done: 1, total: 2, stage: 'model' });
      if (options.hold) {
        await new Promise<void>((_resolve, reject) => signal?.addEventListener('abort', () => reject(new HelperError('cancelled', 'Cancelled.'))));
      }
      if (header.options.task === 'find-defects') {
        const mask = new Uint8Array(header.image.width * header.image.height);
        mask[5] = 255;
        return { header: { image: { ...header.image, channels: 1 as const }, summary: { task: 'find-defects' as const, models: [], provider: 'cpu', tiles: 1, timings: { queuedMs: 0, runMs: 1 } } }, pixels: mask };
      }
      const models = header.options.task === 'inpaint' ? ['classical-pushpull'] : ['waifu2x-cunet-noise2'];
      return { header: { image: header.image, summary: { task: header.options.task, models, provider: 'cpu', tiles: 2, timings: { queuedMs: 0, runMs: 1 } } }, pixels: image.slice() };
    }),
  };
}

function pick(label: string, value: string) {
  const picker = screen.getByLabelText(label, { selector: 'sp-picker' }) as HTMLElement & { value: string };
  picker.value = value;
  fireEvent(picker, new Event('change', { bubbles: true }));
}

describe('Mend panel', () => {
  it('says how to start the helper, then connects by itself when it comes up', async () => {
    let running = false;
    render(<Panel services={{ host: fakeHost().host, tokens: memoryTokens('t'), connect: () => fakeHelper({ running: () => running }), pollMs: FAST }} />);
    expect(await screen.findByText(/npm start/)).toBeTruthy();
    running = true;
    expect(await screen.findByText(/Connected · CPU/)).toBeTruthy();
  });

  it('pairs once with the code and keeps the token', async () => {
    const tokens = memoryTokens();
    const helper = fakeHelper({ paired: () => tokens.token !== undefined });
    render(<Panel services={{ host: fakeHost().host, tokens, connect: () => helper, pollMs: FAST }} />);
    const input = await screen.findByLabelText('Pairing code');
    fireEvent.change(input, { target: { value: '000000' } });
    fireEvent.click(screen.getByText('Pair'));
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', 'That pairing code is not right.');
    fireEvent.change(input, { target: { value: '123456' } });
    fireEvent.click(screen.getByText('Pair'));
    expect(await screen.findByText(/Connected/)).toBeTruthy();
    expect(tokens.token).toBe('secret');
  });

  it('restores the active layer into a new named layer and toggles before/after', async () => {
    const { host, calls } = fakeHost();
    render(<Panel services={{ host, tokens: memoryTokens('t'), connect: () => fakeHelper(), pollMs: FAST }} />);
    await screen.findByText(/Connected/);
    pick('Operation', 'restore');
    pick('Strength', 'strong');
    fireEvent.click(screen.getByText('Run'));
    const results = await screen.findByRole('region', { name: 'Results' });
    expect(within(results).getByText(/Restore · waifu2x-cunet-noise2 — print.png/)).toBeTruthy();
    expect(calls).toEqual(['write Restore · waifu2x-cunet-noise2']);
    expect((host.read as jest.Mock).mock.calls[0][0].source).toBe('layer');
    fireEvent.click(within(results).getByLabelText(/Hide Restore/));
    await waitFor(() => expect(calls).toContain('visible false'));
    expect(within(results).getByText('Before')).toBeTruthy();
  });

  it('shows progress, and Cancel stops the job and leaves the document alone', async () => {
    const { host, calls } = fakeHost();
    render(<Panel services={{ host, tokens: memoryTokens('t'), connect: () => fakeHelper({ hold: true }), pollMs: FAST }} />);
    await screen.findByText(/Connected/);
    fireEvent.click(screen.getByText('Run'));
    expect(await screen.findByText(/1 of 2 tiles/)).toBeTruthy();
    await act(async () => fireEvent.click(screen.getByText('Cancel')));
    expect(await screen.findByText(/Cancelled. The document was not changed./)).toBeTruthy();
    expect(calls).toEqual([]);
    expect(screen.queryByRole('progressbar')).toBeNull();
  });

  it('finds dust and scratches as a selection to review, then repairs the selection into a layer', async () => {
    const selected = { ...source(), selection: { bounds: { left: 0, top: 0, right: 4, bottom: 4 }, data: new Uint8Array(16).fill(255) } };
    const { host, calls } = fakeHost(async () => selected);
    const helper = fakeHelper();
    render(<Panel services={{ host, tokens: memoryTokens('t'), connect: () => helper, pollMs: FAST }} />);
    await screen.findByText(/Connected/);
    pick('Operation', 'repair');
    fireEvent.click(await screen.findByText('Find dust & scratches'));
    expect(await screen.findByRole('note')).toHaveProperty('textContent', expect.stringMatching(/6\.25 % of the pixels.*review the selection.*Repair/));
    const selectedMask = (host.selectMask as jest.Mock).mock.calls[0][1];
    expect(Array.from(selectedMask.data).filter((v) => v === 255)).toHaveLength(1);
    fireEvent.click(screen.getByText('Repair'));
    const results = await screen.findByRole('region', { name: 'Results' });
    expect(within(results).getByText(/Inpaint · classical-pushpull/)).toBeTruthy();
    expect(helper.jobs).toEqual(['find-defects', 'inpaint']);
    expect(calls).toEqual(['write Inpaint · classical-pushpull']);
  });

  it('says when the helper is busy with other jobs', async () => {
    render(<Panel services={{ host: fakeHost().host, tokens: memoryTokens('t'), connect: () => fakeHelper({ hold: true, queuedBehind: 2 }), pollMs: FAST }} />);
    await screen.findByText(/Connected/);
    fireEvent.click(screen.getByText('Run'));
    expect(await screen.findByText('The helper is busy: waiting for 2 jobs ahead of this one…')).toBeTruthy();
    await act(async () => fireEvent.click(screen.getByText('Cancel')));
  });

  it('explains a text layer and offers the merged image instead', async () => {
    const read = jest.fn(async (request: { source: string }) => {
      if (request.source === 'layer') throw new HostError('not_pixel_layer', '“Title” is a text layer, which has no pixels to process. Use the merged image, or rasterize the layer.');
      return source();
    });
    const { host, calls } = fakeHost(read as unknown as Host['read']);
    render(<Panel services={{ host, tokens: memoryTokens('t'), connect: () => fakeHelper(), pollMs: FAST }} />);
    await screen.findByText(/Connected/);
    fireEvent.click(screen.getByText('Run'));
    expect((await screen.findByRole('alert')).textContent).toMatch(/text layer/);
    fireEvent.click(screen.getByText('Use the merged image'));
    await waitFor(() => expect(calls).toEqual(['new print ×2']));
    expect(read.mock.calls[1][0].source).toBe('merged');
  });
});
