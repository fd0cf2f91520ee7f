import type { JobOptions, PixelLayout } from '../../../native-helper/src/protocol';
import { CancelToken } from '../../../plugin/src/helper-client/cancel-token';
import type { BandSource, JobResult } from '../../../plugin/src/helper-client/helper-client';
import type { Host, HostMask, HostPixels, LayerWrite, NewDocumentWrite, ReadRequest, ResizeAndWrite, SourceRead } from '../../../plugin/src/workflows/host';
import { DEFAULT_LAYER_SETTINGS, type OperationRequest } from '../../../plugin/src/workflows/operations';
import { findDefects, runOperation, WorkflowError, type JobRunner } from '../../../plugin/src/workflows/run-operation';
import { banded, gather } from '../../helpers/banded-pixels';

/** A host that serves one read and records what the workflow asks it to write. */
function recordingHost(source: Omit<SourceRead, 'bounds' | 'pixels'> & { pixels: HostPixels; at: { left: number; top: number } }) {
  const writes: { layer: LayerWrite[]; document: NewDocumentWrite[]; resize: ResizeAndWrite[]; selection: HostMask[] } = { layer: [], document: [], resize: [], selection: [] };
  const requests: ReadRequest[] = [];
  const written = { documentId: 1, layerId: 99 };
  const host: Host = {
    async read(request, consume) {
      requests.push(request);
      const { at, pixels, ...rest } = source;
      return consume({ ...rest, pixels: banded(pixels), bounds: { left: at.left, top: at.top, right: at.left + pixels.width, bottom: at.top + pixels.height } });
    },
    writeLayer: async (w) => (writes.layer.push(w), written),
    writeNewDocument: async (w) => (writes.document.push(w), written),
    resizeAndWrite: async (w) => (writes.resize.push(w), written),
    selectMask: async (_id, mask) => void writes.selection.push(mask),
    setLayerVisible: async () => undefined,
    reveal: async () => undefined,
  };
  return { host, writes, requests };
}

function rgb(width: number, height: number, value = 100): HostPixels {
  return { width, height, channels: 3, bitDepth: 8, colorProfile: 'Adobe RGB (1998)', data: new Uint8Array(width * height * 3).fill(value) };
}

async function allBytes(source: BandSource, rows = 7): Promise<Uint8Array> {
  const { width, height, channels, bitDepth } = source.layout;
  const rowBytes = width * channels * (bitDepth / 8);
  const out = new Uint8Array(rowBytes * height);
  for (let top = 0; top < height; top += rows) out.set(await source.readBand(top, Math.min(rows, height - top)), top * rowBytes);
  return out;
}

/** A stand-in helper: answers each job with `answer(image bytes, layout)`, and keeps the options, layouts and masks it saw. */
function standInHelper(answer: (image: Uint8Array, layout: PixelLayout) => { layout: PixelLayout; bytes: Uint8Array }, models = ['tiny']) {
  const options: JobOptions[] = [];
  const layouts: PixelLayout[] = [];
  const masks: (Uint8Array | undefined)[] = [];
  const results = new Map<string, { layout: PixelLayout; bytes: Uint8Array }>();
  const helper: JobRunner = {
    async startJob(jobOptions, image, mask) {
      options.push(jobOptions);
      layouts.push(image.layout);
      masks.push(mask && (await allBytes(mask)));
      const id = String(results.size + 1);
      results.set(id, answer(await allBytes(image), image.layout));
      return id;
    },
    async awaitResult(id, callbacks = {}): Promise<JobResult> {
      callbacks.onProgress?.({ done: 1, total: 1, stage: 'tiny' });
      const result = results.get(id);
      if (!result) throw new Error(`no job ${id}`);
      const rowBytes = result.layout.width * result.layout.channels * (result.layout.bitDepth / 8);
      return {
        id,
        layout: result.layout,
        summary: { task: options[0].task, models, provider: 'cpu', tiles: 1, timings: { queuedMs: 0, runMs: 1 } },
        readBand: async (top, rows) => result.bytes.slice(top * rowBytes, (top + rows) * rowBytes),
      };
    },
  };
  return { helper, options, layouts, masks };
}

/** Scales the pixels by `factor` (nearest) and inverts them (8-bit). */
function nearestHelper(factor = 1, models = ['tiny']) {
  return standInHelper((image, layout) => {
    const { width, height, channels } = layout;
    const out = new Uint8Array(width * factor * height * factor * channels);
    for (let y = 0; y < height * factor; y++) {
      for (let x = 0; x < width * factor; x++) {
        for (let c = 0; c < channels; c++) out[(y * width * factor + x) * channels + c] = 255 - image[(Math.floor(y / factor) * width + Math.floor(x / factor)) * channels + c];
      }
    }
    return { layout: { ...layout, width: width * factor, height: height * factor }, bytes: out };
  }, models);
}

const base = { documentId: 1, documentTitle: 'print.tif', documentWidth: 200, documentHeight: 100, layerId: 7, layerName: 'Background' };
const restore: OperationRequest = { kind: 'restore', problem: 'noise-jpeg', strength: 'medium', ...DEFAULT_LAYER_SETTINGS };

describe('runOperation', () => {
  it('writes the result above the source at the place getPixels returned, named after the operation and model, with a reveal-all mask, in the source profile', async () => {
    const { host, writes } = recordingHost({ ...base, pixels: rgb(30, 20), at: { left: 50, top: 10 } });
    const { helper, options } = nearestHelper(1, ['waifu2x-cunet-noise2']);
    const result = await runOperation({ host, helper }, restore);
    expect(options[0]).toEqual({ task: 'restore', model: 'waifu2x-cunet-noise2' });
    const [write] = writes.layer;
    expect(write).toMatchObject({
      documentId: 1,
      aboveLayerId: 7,
      name: 'Restore · waifu2x-cunet-noise2',
      at: { left: 50, top: 10 },
      opacity: 100,
      blendMode: 'normal',
      historyName: 'Mend Restore',
    });
    const pixels = await gather(write.pixels);
    expect(pixels).toMatchObject({ width: 30, height: 20, channels: 3, bitDepth: 8, colorProfile: 'Adobe RGB (1998)' });
    expect(pixels.data.every((v) => v === 155)).toBe(true);
    // No selection: a reveal-all mask, which costs the panel no mask pixels.
    expect(write.mask).toBe('reveal-all');
    expect(result.name).toBe('Restore · waifu2x-cunet-noise2');
  });

  it("asks the helper for a Restore problem's model by its role, and names the layer after the model the helper ran", async () => {
    const { host, writes } = recordingHost({ ...base, pixels: rgb(30, 20), at: { left: 0, top: 0 } });
    const { helper, options } = nearestHelper(1, ['maxim-lowlight']);
    await runOperation({ host, helper }, { kind: 'restore', problem: 'lowlight', ...DEFAULT_LAYER_SETTINGS });
    expect(options[0]).toEqual({ task: 'restore', role: 'lowlight' });
    expect(writes.layer[0]).toMatchObject({ name: 'Restore · maxim-lowlight', historyName: 'Mend Restore' });
  });

  it('masks the result with the grown, feathered selection', async () => {
    const selection: HostMask = { bounds: { left: 60, top: 15, right: 70, bottom: 25 }, data: new Uint8Array(100).fill(255) };
    const { host, writes, requests } = recordingHost({ ...base, pixels: rgb(60, 50), at: { left: 30, top: 0 }, selection });
    await runOperation({ host, helper: nearestHelper().helper }, { ...restore, grow: 3, feather: 0 });
    const region = requests[0].regionForSelection(selection.bounds, { width: 200, height: 100 });
    expect(region).toEqual({ left: 28, top: 0, right: 102, bottom: 57 });
    const mask = writes.layer[0].mask as HostMask;
    expect(mask.bounds).toEqual({ left: 30, top: 0, right: 90, bottom: 50 });
    const at = (x: number, y: number) => mask.data[(y - 0) * 60 + (x - 30)];
    expect(at(65, 20)).toBe(255);
    expect(at(58, 20)).toBe(255);
    expect(at(56, 20)).toBe(0);
    expect(at(72, 27)).toBe(255);
    expect(at(74, 20)).toBe(0);
  });

  it('sends the selection as the inpainting mask and refuses to inpaint without one', async () => {
    const selection: HostMask = { bounds: { left: 10, top: 10, right: 12, bottom: 11 }, data: new Uint8Array([255, 128]) };
    const { host } = recordingHost({ ...base, pixels: rgb(20, 20), at: { left: 0, top: 0 }, selection });
    const { helper, masks } = nearestHelper();
    await runOperation({ host, helper }, { kind: 'inpaint', ...DEFAULT_LAYER_SETTINGS });
    expect(masks[0]?.length).toBe(20 * 20);
    expect(masks[0]?.[10 * 20 + 10]).toBe(255);
    expect(masks[0]?.[10 * 20 + 11]).toBe(128);
    expect(masks[0]?.reduce((n, v) => n + v, 0)).toBe(383);

    const bare = recordingHost({ ...base, pixels: rgb(20, 20), at: { left: 0, top: 0 } });
    await expect(runOperation({ host: bare.host, helper }, { kind: 'inpaint', ...DEFAULT_LAYER_SETTINGS })).rejects.toThrow(WorkflowError);
    await expect(runOperation({ host: bare.host, helper }, { kind: 'inpaint', ...DEFAULT_LAYER_SETTINGS })).rejects.toThrow(/select what to remove/);
    expect(bare.writes.layer).toHaveLength(0);
  });

  it('upscales into a new document by default, or resizes the document and places the result scaled', async () => {
    const { host, writes } = recordingHost({ ...base, pixels: rgb(30, 20), at: { left: 50, top: 10 } });
    const upscale: OperationRequest = { kind: 'upscale', scale: 2, cleanFirst: true, output: 'new-document', ...DEFAULT_LAYER_SETTINGS };
    const { helper, options } = nearestHelper(2, ['waifu2x-cunet-noise1', 'realesr-animevideov3-x2']);
    const result = await runOperation({ host, helper }, upscale);
    expect(options[0]).toMatchObject({ task: 'upscale', scale: 2, cleanFirst: 'waifu2x-cunet-noise1' });
    expect(writes.document[0]).toMatchObject({ title: 'print ×2', width: 60, height: 40, name: 'Upscale ×2 · waifu2x-cunet-noise1 + realesr-animevideov3-x2' });
    expect(result.documentTitle).toBe('print ×2');

    await runOperation({ host, helper }, { ...upscale, output: 'resize-document' });
    expect(writes.resize[0]).toMatchObject({ documentId: 1, aboveLayerId: 7, width: 400, height: 200, at: { left: 100, top: 20 } });
    expect(writes.resize[0].mask).toBe('reveal-all');
  });

  it('writes nothing when the job is cancelled, and keeps 16-bit results 16-bit', async () => {
    const { host, writes } = recordingHost({ ...base, pixels: rgb(8, 8), at: { left: 0, top: 0 } });
    const cancel = new CancelToken();
    const { helper } = nearestHelper();
    const cancelling: JobRunner = { ...helper, awaitResult: async (id, callbacks) => (cancel.cancel(), helper.awaitResult(id, callbacks)) };
    await expect(runOperation({ host, helper: cancelling }, restore, { cancel })).rejects.toThrow(/cancelled/i);
    expect(writes.layer).toHaveLength(0);

    const deep: HostPixels = { width: 4, height: 4, channels: 3, bitDepth: 16, colorProfile: 'sRGB IEC61966-2.1', data: new Uint16Array(48).fill(30000) };
    const sixteen = recordingHost({ ...base, pixels: deep, at: { left: 0, top: 0 } });
    const echo = standInHelper((image, layout) => ({ layout, bytes: image.slice() }));
    await runOperation({ host: sixteen.host, helper: echo.helper }, restore);
    expect(echo.layouts[0]).toEqual({ width: 4, height: 4, channels: 3, bitDepth: 16, maxValue: 32768 });
    const written = await gather(sixteen.writes.layer[0].pixels);
    expect(written).toMatchObject({ bitDepth: 16, channels: 3 });
    expect(written.data).toBeInstanceOf(Uint16Array);
    expect(written.data[5]).toBe(30000);
  });

  it('adds the same grain to a result whatever bands it is fetched in', async () => {
    const { host, writes } = recordingHost({ ...base, pixels: rgb(16, 12, 128), at: { left: 0, top: 0 } });
    await runOperation({ host, helper: nearestHelper().helper }, { ...restore, grain: 1 });
    const first = await gather(writes.layer[0].pixels, 12);
    const again = await gather(writes.layer[0].pixels, 12);
    expect(Array.from(again.data)).toEqual(Array.from(first.data));
    expect(first.data.some((v) => v !== 127)).toBe(true);
  });
});

describe('findDefects', () => {
  it('turns the defects found inside the selection into the document selection', async () => {
    const selection: HostMask = { bounds: { left: 0, top: 0, right: 2, bottom: 2 }, data: new Uint8Array([255, 255, 255, 0]) };
    const { host, writes } = recordingHost({ ...base, pixels: rgb(2, 2), at: { left: 0, top: 0 }, selection });
    const found = standInHelper((_image, layout) => ({ layout: { ...layout, channels: 1 }, bytes: new Uint8Array([255, 0, 0, 255]) }));
    const { share } = await findDefects({ host, helper: found.helper }, { source: 'layer', sensitivity: 0.5 });
    expect(found.options[0]).toEqual({ task: 'find-defects', sensitivity: 0.5 });
    expect(Array.from(writes.selection[0].data)).toEqual([255, 0, 0, 0]);
    expect(share).toBe(0.25);
  });
});
