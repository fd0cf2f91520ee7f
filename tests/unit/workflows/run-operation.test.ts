import { CancelToken } from '../../../plugin/src/helper-client/cancel-token';
import type { HostMask, HostPixels } from '../../../plugin/src/workflows/host';
import { DEFAULT_LAYER_SETTINGS, type OperationRequest } from '../../../plugin/src/workflows/operations';
import { findDefects, runOperation, WorkflowError, type JobRunner } from '../../../plugin/src/workflows/run-operation';
import { gather } from '../../helpers/banded-pixels';
import { recordingHost, rgb } from '../../helpers/recording-host';
import { standInHelper } from '../../helpers/stand-in-helper';

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
    const upscale: OperationRequest = { kind: 'upscale', scale: 2, cleanFirst: true, output: 'new-document', detail: 1, inventedDetail: false, ...DEFAULT_LAYER_SETTINGS };
    const { helper, options } = nearestHelper(2, ['waifu2x-cunet-noise1', 'realesr-animevideov3-x2']);
    const result = await runOperation({ host, helper }, upscale);
    expect(options[0]).toMatchObject({ task: 'upscale', scale: 2, cleanFirst: 'waifu2x-cunet-noise1' });
    // The default strength and no map: neither is asked for, so any helper version answers the same.
    expect(JSON.parse(JSON.stringify(options[0]))).not.toHaveProperty('detail');
    expect(options[0]).not.toHaveProperty('inventedDetailMap');
    expect(writes.document[0].layersAbove).toEqual([]);
    expect(writes.document[0]).toMatchObject({ title: 'print ×2', width: 60, height: 40, name: 'Upscale ×2 · waifu2x-cunet-noise1 + realesr-animevideov3-x2' });
    expect(result.documentTitle).toBe('print ×2');

    await runOperation({ host, helper }, { ...upscale, output: 'resize-document' });
    expect(writes.resize[0]).toMatchObject({ documentId: 1, aboveLayerId: 7, width: 400, height: 200, at: { left: 100, top: 20 } });
    expect(writes.resize[0].mask).toBe('reveal-all');
  });

  it('sends a detail strength other than the default, and names the layer after it', async () => {
    const { host, writes } = recordingHost({ ...base, pixels: rgb(30, 20), at: { left: 0, top: 0 } });
    const { helper, options } = nearestHelper(2, ['realesrgan-x4plus']);
    const upscale: OperationRequest = { kind: 'upscale', scale: 2, cleanFirst: false, output: 'new-document', detail: 1.5, inventedDetail: false, ...DEFAULT_LAYER_SETTINGS };
    const result = await runOperation({ host, helper }, upscale);
    expect(options[0]).toMatchObject({ task: 'upscale', scale: 2, detail: 1.5 });
    expect(result.name).toBe('Upscale ×2 · realesrgan-x4plus · detail 1.5');
    expect(writes.document[0].name).toBe('Upscale ×2 · realesrgan-x4plus · detail 1.5');
    await runOperation({ host, helper }, { ...upscale, detail: 0 });
    expect(options[1]).toMatchObject({ detail: 0 });
  });

  it('asks for the map of invented detail and writes it as a hidden heat overlay above the result, in the same write', async () => {
    const { host, writes } = recordingHost({ ...base, pixels: rgb(3, 2), at: { left: 10, top: 5 } });
    const map = Uint8Array.from([0, 255, 128, 0, 64, 255]);
    const { helper, options, fetchedOutputs } = standInHelper(
      (image, layout) => [
        { kind: 'result', label: 'Upscale', layout, bytes: image.slice() },
        { kind: 'invented-detail', label: 'Invented detail', layout: { ...layout, channels: 1 }, bytes: map },
      ],
      ['realesrgan-x4plus'],
    );
    const upscale: OperationRequest = { kind: 'upscale', scale: 2, cleanFirst: false, output: 'resize-document', detail: 1, inventedDetail: true, ...DEFAULT_LAYER_SETTINGS };
    const result = await runOperation({ host, helper }, upscale);

    expect(options[0]).toMatchObject({ task: 'upscale', inventedDetailMap: true });
    const [write] = writes.layer;
    expect(write).toMatchObject({ name: 'Upscale ×2 · realesrgan-x4plus', historyName: 'Mend Upscale', at: { left: 10, top: 5 } });
    expect(write.layersAbove).toHaveLength(1);
    const [overlay] = write.layersAbove ?? [];
    expect(overlay).toMatchObject({ name: 'Invented detail', visible: false, blendMode: 'normal', opacity: 100, mask: 'reveal-all' });
    const heat = await gather(overlay.pixels);
    expect(heat).toMatchObject({ width: 3, height: 2, channels: 4, bitDepth: 8, colorProfile: 'Adobe RGB (1998)' });
    // Alpha is the map; where most is invented the colour is red, where little is, yellow.
    expect(Array.from(heat.data.filter((_v, i) => i % 4 === 3))).toEqual(Array.from(map));
    expect(Array.from(heat.data.slice(4, 7))).toEqual([255, 0, 0]);
    expect(Array.from(heat.data.slice(16, 19))).toEqual([255, 191, 0]);
    // The map came from output 1 of the same job.
    expect(fetchedOutputs).toEqual([1]);
    expect(result).toMatchObject({ layer: { layerId: 99 }, inventedDetail: { layerId: 100 }, bounds: { left: 10, top: 5, right: 13, bottom: 7 } });
  });

  it('refuses an answer that lacks the map it asked for, or holds one of another size, and writes nothing', async () => {
    const { host, writes } = recordingHost({ ...base, pixels: rgb(3, 2), at: { left: 0, top: 0 } });
    const upscale: OperationRequest = { kind: 'upscale', scale: 2, cleanFirst: false, output: 'resize-document', detail: 1, inventedDetail: true, ...DEFAULT_LAYER_SETTINGS };
    const without = standInHelper((image, layout) => ({ layout, bytes: image.slice() }));
    await expect(runOperation({ host, helper: without.helper }, upscale)).rejects.toThrow(/no map of invented detail/);
    const smaller = standInHelper((image, layout) => [
      { kind: 'result', layout, bytes: image.slice() },
      { kind: 'invented-detail', layout: { ...layout, width: 1, height: 1, channels: 1 }, bytes: new Uint8Array(1) },
    ]);
    await expect(runOperation({ host, helper: smaller.helper }, upscale)).rejects.toThrow(/1×1×1 8-bit/);
    expect(writes.layer).toHaveLength(0);
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
