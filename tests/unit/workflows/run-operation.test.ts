import type { JobRequestHeader } from '../../../native-helper/src/protocol';
import type { JobResult } from '../../../plugin/src/helper-client/helper-client';
import type { Host, HostMask, HostPixels, LayerWrite, NewDocumentWrite, ReadRequest, ResizeAndWrite, SourceRead } from '../../../plugin/src/workflows/host';
import { DEFAULT_LAYER_SETTINGS, type OperationRequest } from '../../../plugin/src/workflows/operations';
import { findDefects, runOperation, WorkflowError, type JobRunner } from '../../../plugin/src/workflows/run-operation';

/** A host that serves one read and records what the workflow asks it to write. */
function recordingHost(source: Omit<SourceRead, 'bounds' | 'pixels'> & { pixels: HostPixels; at: { left: number; top: number } }) {
  const writes: { layer: LayerWrite[]; document: NewDocumentWrite[]; resize: ResizeAndWrite[]; selection: HostMask[] } = { layer: [], document: [], resize: [], selection: [] };
  const requests: ReadRequest[] = [];
  const written = { documentId: 1, layerId: 99 };
  const host: Host = {
    async read(request) {
      requests.push(request);
      const { at, ...rest } = source;
      return { ...rest, bounds: { left: at.left, top: at.top, right: at.left + source.pixels.width, bottom: at.top + source.pixels.height } };
    },
    writeLayer: async (w) => (writes.layer.push(w), written),
    writeNewDocument: async (w) => (writes.document.push(w), written),
    resizeAndWrite: async (w) => (writes.resize.push(w), written),
    selectMask: async (_id, mask) => void writes.selection.push(mask),
    setLayerVisible: async () => undefined,
    reveal: async () => undefined,
    exists: async () => true,
  };
  return { host, writes, requests };
}

function rgb(width: number, height: number, value = 100): HostPixels {
  return { width, height, components: 3, bitDepth: 8, data: new Uint8Array(width * height * 3).fill(value) };
}

/** A helper that answers every job by scaling the pixels by `factor` (nearest) and inverting them, and keeps the headers it saw. */
function nearestHelper(factor = 1, models = ['tiny']): JobRunner & { headers: JobRequestHeader[]; masks: (Uint8Array | undefined)[] } {
  const headers: JobRequestHeader[] = [];
  const masks: (Uint8Array | undefined)[] = [];
  return {
    headers,
    masks,
    async runJob(header, image, mask, options): Promise<JobResult> {
      headers.push(header);
      masks.push(mask);
      options.onProgress?.({ done: 1, total: 1, stage: 'tiny' });
      const { width, height, channels } = header.image;
      const out = new Uint8Array(width * factor * height * factor * channels);
      for (let y = 0; y < height * factor; y++) {
        for (let x = 0; x < width * factor; x++) {
          for (let c = 0; c < channels; c++) out[(y * width * factor + x) * channels + c] = 255 - image[(Math.floor(y / factor) * width + Math.floor(x / factor)) * channels + c];
        }
      }
      return { header: { image: { ...header.image, width: width * factor, height: height * factor }, summary: { task: header.options.task, models, provider: 'cpu', tiles: 1, timings: { queuedMs: 0, runMs: 1 } } }, pixels: out };
    },
  };
}

const base = { documentId: 1, documentTitle: 'print.tif', documentWidth: 200, documentHeight: 100, layerId: 7, layerName: 'Background' };
const restore: OperationRequest = { kind: 'restore', strength: 'medium', ...DEFAULT_LAYER_SETTINGS };

describe('runOperation', () => {
  it('writes the result above the source at the place getPixels returned, named after the operation and model, with a reveal-all mask', async () => {
    const { host, writes } = recordingHost({ ...base, pixels: rgb(30, 20), at: { left: 50, top: 10 } });
    const helper = nearestHelper(1, ['waifu2x-cunet-noise2']);
    const result = await runOperation({ host, helper }, restore);
    expect(helper.headers[0].options).toEqual({ task: 'restore', model: 'waifu2x-cunet-noise2' });
    const [write] = writes.layer;
    expect(write).toMatchObject({ documentId: 1, aboveLayerId: 7, name: 'Restore · waifu2x-cunet-noise2', at: { left: 50, top: 10 }, opacity: 100, blendMode: 'normal', historyName: 'Mend Restore' });
    expect(write.pixels.data[0]).toBe(155);
    expect(write.mask?.bounds).toEqual({ left: 50, top: 10, right: 80, bottom: 30 });
    expect(write.mask?.data.every((v) => v === 255)).toBe(true);
    expect(result.name).toBe('Restore · waifu2x-cunet-noise2');
  });

  it('masks the result with the grown, feathered selection', async () => {
    const selection: HostMask = { bounds: { left: 60, top: 15, right: 70, bottom: 25 }, data: new Uint8Array(100).fill(255) };
    const { host, writes, requests } = recordingHost({ ...base, pixels: rgb(60, 50), at: { left: 30, top: 0 }, selection });
    await runOperation({ host, helper: nearestHelper() }, { ...restore, grow: 3, feather: 0 });
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
    const helper = nearestHelper();
    await runOperation({ host, helper }, { kind: 'inpaint', ...DEFAULT_LAYER_SETTINGS });
    expect(helper.headers[0].mask).toEqual({ width: 20, height: 20, channels: 1, bitDepth: 8, maxValue: 255 });
    expect(helper.masks[0]?.[10 * 20 + 10]).toBe(255);
    expect(helper.masks[0]?.[10 * 20 + 11]).toBe(128);
    expect(helper.masks[0]?.reduce((n, v) => n + v, 0)).toBe(383);

    const bare = recordingHost({ ...base, pixels: rgb(20, 20), at: { left: 0, top: 0 } });
    await expect(runOperation({ host: bare.host, helper }, { kind: 'inpaint', ...DEFAULT_LAYER_SETTINGS })).rejects.toThrow(WorkflowError);
    await expect(runOperation({ host: bare.host, helper }, { kind: 'inpaint', ...DEFAULT_LAYER_SETTINGS })).rejects.toThrow(/select what to remove/);
    expect(bare.writes.layer).toHaveLength(0);
  });

  it('upscales into a new document by default, or resizes the document and places the result scaled', async () => {
    const { host, writes } = recordingHost({ ...base, pixels: rgb(30, 20), at: { left: 50, top: 10 } });
    const upscale: OperationRequest = { kind: 'upscale', scale: 2, cleanFirst: true, output: 'new-document', ...DEFAULT_LAYER_SETTINGS };
    const helper = nearestHelper(2, ['waifu2x-cunet-noise1', 'realesr-animevideov3-x2']);
    const result = await runOperation({ host, helper }, upscale);
    expect(helper.headers[0].options).toMatchObject({ task: 'upscale', scale: 2, cleanFirst: 'waifu2x-cunet-noise1' });
    expect(writes.document[0]).toMatchObject({ title: 'print ×2', width: 60, height: 40, name: 'Upscale ×2 · waifu2x-cunet-noise1 + realesr-animevideov3-x2' });
    expect(result.documentTitle).toBe('print ×2');

    await runOperation({ host, helper }, { ...upscale, output: 'resize-document' });
    expect(writes.resize[0]).toMatchObject({ documentId: 1, aboveLayerId: 7, width: 400, height: 200, at: { left: 100, top: 20 } });
    expect(writes.resize[0].mask?.bounds).toEqual({ left: 100, top: 20, right: 160, bottom: 60 });
  });

  it('writes nothing when the job is cancelled, and keeps 16-bit results 16-bit', async () => {
    const { host, writes } = recordingHost({ ...base, pixels: rgb(8, 8), at: { left: 0, top: 0 } });
    const controller = new AbortController();
    const cancelling: JobRunner = { runJob: async (...args) => (controller.abort(), nearestHelper().runJob(...args)) };
    await expect(runOperation({ host, helper: cancelling }, restore, { signal: controller.signal })).rejects.toThrow();
    expect(writes.layer).toHaveLength(0);

    const deep: HostPixels = { width: 4, height: 4, components: 3, bitDepth: 16, data: new Uint16Array(48).fill(30000) };
    const sixteen = recordingHost({ ...base, pixels: deep, at: { left: 0, top: 0 } });
    const echo: JobRunner = {
      runJob: async (header, image) => ({ header: { image: header.image, summary: { task: 'restore', models: ['m'], provider: 'cpu', tiles: 1, timings: { queuedMs: 0, runMs: 0 } } }, pixels: image.slice() }),
    };
    await runOperation({ host: sixteen.host, helper: echo }, restore);
    expect(sixteen.writes.layer[0].pixels).toMatchObject({ bitDepth: 16, components: 3 });
    expect(sixteen.writes.layer[0].pixels.data[5]).toBe(30000);
  });
});

describe('size limits', () => {
  it('refuses a result too large to bring back before the helper is asked, saying what to do', async () => {
    // Only the size matters here: a stand-in for 16000×12000 RGBA samples that has just their byte length.
    const huge = { width: 16000, height: 12000, components: 4 as const, bitDepth: 8 as const, data: { byteLength: 16000 * 12000 * 4 } as unknown as Uint8Array };
    const { host, writes } = recordingHost({ ...base, pixels: huge, at: { left: 0, top: 0 } });
    const helper = nearestHelper();
    await expect(runOperation({ host, helper }, { kind: 'upscale', scale: 4, cleanFirst: false, output: 'new-document', ...DEFAULT_LAYER_SETTINGS })).rejects.toThrow(
      /64000×48000 \(11\.4 GB\).*select a part, choose a smaller scale/,
    );
    expect(helper.headers).toHaveLength(0);
    expect(writes.document).toHaveLength(0);
  });
});

describe('findDefects', () => {
  it('turns the defects found inside the selection into the document selection', async () => {
    const selection: HostMask = { bounds: { left: 0, top: 0, right: 2, bottom: 2 }, data: new Uint8Array([255, 255, 255, 0]) };
    const { host, writes } = recordingHost({ ...base, pixels: rgb(2, 2), at: { left: 0, top: 0 }, selection });
    const found: JobRunner = {
      runJob: async (header) => ({
        header: { image: { ...header.image, channels: 1 }, summary: { task: 'find-defects', models: [], provider: 'cpu', tiles: 1, timings: { queuedMs: 0, runMs: 0 } } },
        pixels: new Uint8Array([255, 0, 0, 255]),
      }),
    };
    const { share } = await findDefects({ host, helper: found }, { source: 'layer', sensitivity: 0.5 });
    expect(Array.from(writes.selection[0].data)).toEqual([255, 0, 0, 0]);
    expect(share).toBe(0.25);
  });
});
