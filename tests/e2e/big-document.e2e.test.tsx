/**
 * @jest-environment jsdom
 * @jest-environment-options {"customExportConditions": ["node", "require"]}
 *
 * A 100-megapixel 16-bit document through the built panel (dist/plugin/index.js) and a real helper:
 * the panel streams it in bands both ways, so its own memory is bounded by a few bands, not by the
 * document (issue "Big documents": peak ≤ 256 MB of ArrayBuffers, while the document alone is 600 MB).
 *
 * The helper runs the shipped identity model, so the result must equal the source bit for bit. The panel
 * offers no identity model (Restore's strengths are waifu2x models, far too slow on 100 MP on a CPU), so
 * the test swaps the model id in the job's header on its way to the helper; everything else is the
 * panel as built, driven through its UI.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { fireEvent, screen, within } from '@testing-library/dom';
import { decodeFrameHeader, encodeFrameHeader, IDENTITY_MODEL_ID, jobRequestHeaderSchema } from '../../native-helper/src/protocol';
import { RESTORE_MODELS } from '../../plugin/src/workflows/operations';
import { imaging } from '../fakes/photoshop';
import { fakePhotoshop } from '../fakes/photoshop/control';
import { pick } from '../helpers/spectrum-picker';
import { startPanel, type PanelHarness } from './panel-harness';

const WIDTH = 10_000;
const HEIGHT = 10_000;
const MAX = 32768;
const MB = 1024 * 1024;
const PEAK_LIMIT = 256 * MB;

/** A cheap deterministic 16-bit sample (0..32768) per pixel and channel. */
function sample(x: number, y: number, c: number): number {
  return (x * 31 + y * 17 + c * 9973 + ((x ^ y) & 255)) % (MAX + 1);
}

/** Color only (3 samples per pixel), as a background layer's pixels are given. */
function pattern(): Uint16Array {
  const data = new Uint16Array(WIDTH * HEIGHT * 3);
  let i = 0;
  for (let y = 0; y < HEIGHT; y++) for (let x = 0; x < WIDTH; x++) for (let c = 0; c < 3; c++) data[i++] = sample(x, y, c);
  return data;
}

/** Rows [top, top + rows) as the fake reads a background layer back: color + opaque alpha. */
function expectedRows(top: number, rows: number): Uint16Array {
  const data = new Uint16Array(WIDTH * rows * 4);
  let i = 0;
  for (let y = top; y < top + rows; y++) {
    for (let x = 0; x < WIDTH; x++) {
      for (let c = 0; c < 3; c++) data[i++] = sample(x, y, c);
      data[i++] = MAX;
    }
  }
  return data;
}

function bytesOf(samples: Uint8Array | Uint16Array): Buffer {
  return Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
}

setFlagsFromString('--expose-gc');
// V8 otherwise releases freed ArrayBuffers on a background thread after gc() returns, so a buffer the fake
// Photoshop just dropped (its 800 MB history snapshot) would still be counted, as if the panel held it.
setFlagsFromString('--no-concurrent-array-buffer-sweeping');
const gc = runInNewContext('gc') as () => void;

/** ArrayBuffer bytes the panel holds: everything alive after a full GC, less what Photoshop itself holds. */
function panelBytes(): number {
  gc();
  return process.memoryUsage().arrayBuffers - fakePhotoshop.photoshopOwnedBytes();
}

const isArrayBuffer = (value: unknown): value is ArrayBuffer => Object.prototype.toString.call(value) === '[object ArrayBuffer]';

describe('a 100-megapixel 16-bit document through the built panel', () => {
  let panel: PanelHarness;

  beforeAll(async () => {
    panel = await startPanel();
  }, 60_000);

  afterAll(() => panel?.close());

  it('restores it in bands with the panel holding at most 256 MB of ArrayBuffers, the result equal to the source', async () => {
    const started = Date.now();
    const doc = fakePhotoshop.addDocument({
      title: 'poster.tif',
      width: WIDTH,
      height: HEIGHT,
      depth: 16,
      layers: [{ name: 'Background', background: true, pixels: { left: 0, top: 0, width: WIDTH, height: HEIGHT, data: pattern() }, active: true }],
    });
    const background = doc.layer('Background');

    // The panel offers no identity model: the job's header goes to the helper with it instead of Light's model.
    const swapped: string[] = [];
    const harnessFetch = window.fetch;
    window.fetch = ((url: string, init?: RequestInit) => {
      if (init?.method === 'POST' && /\/v1\/jobs$/.test(url) && isArrayBuffer(init.body)) {
        const { header } = decodeFrameHeader(new Uint8Array(init.body), jobRequestHeaderSchema);
        if (header.options.task !== 'restore') throw new Error(`the panel asked for a ${header.options.task} job, not a restore`);
        swapped.push(header.options.model ?? '(default)');
        init = { ...init, body: encodeFrameHeader({ ...header, options: { ...header.options, model: IDENTITY_MODEL_ID } }).buffer };
      }
      return harnessFetch(url, init);
    }) as typeof window.fetch;

    await panel.pair();
    const baseline = panelBytes();
    let peak = baseline;
    let samples = 0;
    const measure = () => {
      peak = Math.max(peak, panelBytes());
      samples++;
    };
    // At every fetch the panel makes, and before and after every Imaging API call.
    panel.onFetch = measure;
    const wrapped = imaging as unknown as Record<string, (...args: unknown[]) => unknown>;
    const originals = { ...wrapped };
    for (const [name, original] of Object.entries(originals)) {
      wrapped[name] = (...args: unknown[]) => {
        measure();
        const result = original(...args);
        if (result instanceof Promise) return result.then((value) => (measure(), value));
        measure();
        return result;
      };
    }

    const runStarted = Date.now();
    try {
      await pick('Operation', 'Restore');
      await pick('Strength', 'Light');
      fireEvent.click(screen.getByText('Run'));
      const results = await screen.findByRole('region', { name: 'Results' }, { timeout: 540_000, interval: 1000 });
      expect(within(results).getByText('Restore · identity — poster.tif')).toBeTruthy();
      expect(screen.queryByRole('alert')).toBeNull();
    } finally {
      Object.assign(wrapped, originals);
      panel.onFetch = undefined;
      window.fetch = harnessFetch;
    }
    const runSeconds = (Date.now() - runStarted) / 1000;
    expect(swapped).toEqual([RESTORE_MODELS.light]);

    const panelPeak = peak - baseline;
    process.stdout.write(
      `\nbig document: 10000×10000 16-bit RGB; panel peak ArrayBuffers ${(panelPeak / MB).toFixed(1)} MB above the baseline ` +
        `(${samples} samples; baseline ${(baseline / MB).toFixed(1)} MB, Photoshop-owned excluded); run ${runSeconds.toFixed(1)} s\n`,
    );
    expect(panelPeak).toBeLessThanOrEqual(PEAK_LIMIT);

    expect(fakePhotoshop.tree(doc.id)).toEqual([
      { name: 'Mend', kind: 'group', children: [{ name: 'Restore · identity', kind: 'pixel' }] },
      { name: 'Background', kind: 'pixel' },
    ]);
    expect(fakePhotoshop.history(doc.id)).toEqual(['Mend Restore']);
    expect(fakePhotoshop.liveImageDataCount()).toBe(0);

    // Chunk by chunk: whole 800 MB arrays (and jest's deep equality on them) would not fit.
    const result = fakePhotoshop.findLayer(doc.id, 'Restore · identity') as number;
    const ROWS = 250;
    let mismatch: number | undefined;
    let sourceChanged: number | undefined;
    for (let top = 0; top < HEIGHT && mismatch === undefined && sourceChanged === undefined; top += ROWS) {
      const rect = { left: 0, top, right: WIDTH, bottom: top + ROWS };
      const expected = bytesOf(expectedRows(top, ROWS));
      if (!bytesOf(fakePhotoshop.layerPixels(doc.id, background, rect)).equals(expected)) sourceChanged = top;
      if (!bytesOf(fakePhotoshop.layerPixels(doc.id, result, rect)).equals(expected)) mismatch = top;
    }
    expect(sourceChanged).toBeUndefined();
    expect(mismatch).toBeUndefined();
    process.stdout.write(`big document: whole test ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }, 600_000);
});
