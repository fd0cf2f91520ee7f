import { app, core } from 'photoshop';
import { createPhotoshopHost } from '../../../plugin/src/host/photoshop-host';
import { createTokenStore } from '../../../plugin/src/host/token-store';
import {
  HostError,
  type Bounds,
  type HostErrorCode,
  type HostMask,
  type HostPixels,
  type LayerWrite,
  type ReadRequest,
  type ResizeAndWrite,
} from '../../../plugin/src/workflows/host';
import { fakePhotoshop, type DocumentSpec, type LayerSpec } from '../../fakes/photoshop/control';
import { banded, readWhole } from '../../helpers/banded-pixels';

/** Samples for a width × height rectangle, `pixel(x, y)` giving each pixel's channels. */
function samples(width: number, height: number, pixel: (x: number, y: number) => number[]): number[] {
  const out: number[] = [];
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out.push(...pixel(x, y));
  return out;
}

const photoPixels = samples(4, 3, (x, y) => [10 + x, 20 + y, 30 + x + y, 255]);

function photoDocument(overrides: Partial<DocumentSpec> = {}, photo: Partial<LayerSpec> = {}): ReturnType<typeof fakePhotoshop.addDocument> {
  return fakePhotoshop.addDocument({
    title: 'family.psd',
    width: 10,
    height: 8,
    layers: [
      { name: 'Photo', active: true, pixels: { left: 2, top: 1, width: 4, height: 3, data: photoPixels }, ...photo },
      { name: 'Background', background: true, pixels: { left: 0, top: 0, width: 10, height: 8, data: samples(10, 8, () => [200, 200, 200]) } },
    ],
    ...overrides,
  });
}

const wholeLayer: ReadRequest = {
  source: 'layer',
  regionForSelection: () => {
    throw new Error('not called without a selection');
  },
};

const mergedImage: ReadRequest = { ...wholeLayer, source: 'merged' };

function resultPixels(width: number, height: number, bitDepth: 8 | 16 = 8): HostPixels {
  const data = samples(width, height, (x, y) => [100 + x, 110 + y, 120, 255]);
  return { width, height, channels: 4, bitDepth, colorProfile: 'sRGB IEC61966-2.1', data: bitDepth === 16 ? Uint16Array.from(data) : Uint8Array.from(data) };
}

function layerWrite(documentId: number, aboveLayerId: number | null, overrides: Partial<LayerWrite> = {}): LayerWrite {
  return {
    documentId,
    aboveLayerId,
    name: 'Restore · test-model',
    pixels: banded(resultPixels(3, 2)),
    at: { left: 4, top: 5 },
    mask: 'reveal-all',
    opacity: 80,
    blendMode: 'luminosity',
    historyName: 'Mend Restore',
    ...overrides,
  };
}

async function expectHostError(promise: Promise<unknown>, code: HostErrorCode, messagePart: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(HostError);
  expect((error as HostError).code).toBe(code);
  expect((error as HostError).message).toMatch(messagePart);
}

/** The samples of a full-canvas buffer over `bounds`, one component per pixel. */
function crop(canvas: Uint8Array, canvasWidth: number, bounds: Bounds): number[] {
  const out: number[] = [];
  for (let y = bounds.top; y < bounds.bottom; y++) for (let x = bounds.left; x < bounds.right; x++) out.push(canvas[y * canvasWidth + x]);
  return out;
}

const host = createPhotoshopHost();

beforeEach(() => fakePhotoshop.reset());

afterEach(() => {
  // Every piece of image data the host asked for was disposed, and no modal scope was left open.
  expect(fakePhotoshop.liveImageDataCount()).toBe(0);
  expect(fakePhotoshop.isModal()).toBe(false);
});

describe('read', () => {
  it('reads the active layer with the bounds trimmed to its pixels', async () => {
    const document = photoDocument();

    const read = await readWhole(host, wholeLayer);

    expect(read).toMatchObject({
      documentId: document.id,
      documentTitle: 'family.psd',
      documentWidth: 10,
      documentHeight: 8,
      layerId: document.layer('Photo'),
      layerName: 'Photo',
      bounds: { left: 2, top: 1, right: 6, bottom: 4 },
    });
    expect(read.selection).toBeUndefined();
    expect(read.pixels).toMatchObject({ width: 4, height: 3, channels: 4, bitDepth: 8 });
    expect(Array.from(read.pixels.data)).toEqual(photoPixels);
    expect(fakePhotoshop.history(document.id)).toEqual([]);
  });

  it('reads a locked layer: reading writes nothing into it', async () => {
    photoDocument({}, { allLocked: true });
    const read = await readWhole(host, wholeLayer);
    expect(read.bounds).toEqual({ left: 2, top: 1, right: 6, bottom: 4 });
  });

  it('reads the merged image of the whole document, without alpha over a background', async () => {
    const document = photoDocument();

    const read = await readWhole(host, mergedImage);

    expect(read).toMatchObject({ layerId: null, layerName: 'Merged image', bounds: { left: 0, top: 0, right: 10, bottom: 8 } });
    expect(read.pixels).toMatchObject({ width: 10, height: 8, channels: 3, bitDepth: 8 });
    const at = (x: number, y: number): number[] => Array.from(read.pixels.data.slice((y * 10 + x) * 3, (y * 10 + x) * 3 + 3));
    expect(at(0, 0)).toEqual([200, 200, 200]);
    expect(at(2, 1)).toEqual([10, 20, 30]);
    expect(at(5, 3)).toEqual([13, 22, 35]);
    expect(fakePhotoshop.history(document.id)).toEqual([]);
  });

  it('with a selection, reads the region the workflow asks for and the selection with its soft edges', async () => {
    const softEdges = [255, 128, 64, 255];
    photoDocument({ selection: { left: 3, top: 2, width: 2, height: 2, data: softEdges } });
    const asked: Array<{ selection: Bounds; document: { width: number; height: number } }> = [];

    const read = await readWhole(host, {
      source: 'layer',
      regionForSelection: (selection, document) => {
        asked.push({ selection, document });
        return { left: selection.left - 1, top: selection.top - 1, right: selection.right + 1, bottom: selection.bottom + 1 };
      },
    });

    expect(asked).toEqual([{ selection: { left: 3, top: 2, right: 5, bottom: 4 }, document: { width: 10, height: 8 } }]);
    expect(read.selection).toEqual({ bounds: { left: 3, top: 2, right: 5, bottom: 4 }, data: Uint8Array.from(softEdges) });
    // The region {2,1,6,5} holds pixels of the layer only down to row 3.
    expect(read.bounds).toEqual({ left: 2, top: 1, right: 6, bottom: 4 });
    expect(Array.from(read.pixels.data)).toEqual(photoPixels);
  });

  it('reads only the asked region of the merged image', async () => {
    photoDocument({ selection: { left: 7, top: 6, width: 2, height: 1 } });
    const read = await readWhole(host, { source: 'merged', regionForSelection: (selection) => selection });
    expect(read.bounds).toEqual({ left: 7, top: 6, right: 9, bottom: 7 });
    expect(Array.from(read.pixels.data)).toEqual([200, 200, 200, 200, 200, 200]);
  });

  it('keeps 16-bit samples 16-bit (0..32768)', async () => {
    const sixteenBit = samples(2, 2, (x, y) => [32768, 1000 * x + 7, 12345 + y, 32768]);
    fakePhotoshop.addDocument({ width: 4, height: 4, depth: 16, layers: [{ name: 'Scan', active: true, pixels: { left: 1, top: 1, width: 2, height: 2, data: sixteenBit } }] });

    const read = await readWhole(host, wholeLayer);

    expect(read.pixels.bitDepth).toBe(16);
    expect(read.pixels.data).toBeInstanceOf(Uint16Array);
    expect(Array.from(read.pixels.data)).toEqual(sixteenBit);
  });

  it('reads a Grayscale document as gray + alpha', async () => {
    fakePhotoshop.addDocument({
      width: 3,
      height: 1,
      mode: 'grayscaleMode',
      layers: [{ name: 'Gray', active: true, pixels: { left: 0, top: 0, width: 3, height: 1, data: [0, 255, 128, 255, 255, 255] } }],
    });
    const read = await readWhole(host, wholeLayer);
    expect(read.pixels).toMatchObject({ channels: 2, width: 3, height: 1 });
    expect(Array.from(read.pixels.data)).toEqual([0, 255, 128, 255, 255, 255]);
  });

  it('reads a Lab document as RGB', async () => {
    photoDocument({ mode: 'labColorMode' });
    const read = await readWhole(host, wholeLayer);
    expect(read.pixels.channels).toBe(4);
  });

  describe('says what to do when it cannot read', () => {
    it('no document', async () => {
      await expectHostError(readWhole(host, wholeLayer), 'no_document', /Open an image/);
    });

    it('no selected layer, or several', async () => {
      const document = photoDocument();
      fakePhotoshop.selectLayers(document.id, []);
      await expectHostError(readWhole(host, wholeLayer), 'no_layer', /No layer is selected in "family.psd"/);
      fakePhotoshop.selectLayers(document.id, [document.layer('Photo'), document.layer('Background')]);
      await expectHostError(readWhole(host, wholeLayer), 'no_layer', /2 layers are selected.*merged image/);
    });

    it.each([
      ['text', 'a text layer'],
      ['smartObject', 'a smart object'],
      ['curves', 'an adjustment layer'],
      ['solidColor', 'a fill layer'],
      ['group', 'a group'],
    ] as const)('a %s layer', async (kind, described) => {
      photoDocument({}, { kind, pixels: undefined, children: kind === 'group' ? [] : undefined });
      await expectHostError(readWhole(host, wholeLayer), 'not_pixel_layer', new RegExp(`"Photo" is ${described}.*Use the merged image instead`));
    });

    it('an empty layer', async () => {
      photoDocument({}, { pixels: undefined });
      await expectHostError(readWhole(host, wholeLayer), 'empty_layer', /"Photo" is empty/);
    });

    it("a selection away from the layer's pixels", async () => {
      photoDocument({ selection: { left: 7, top: 6, width: 2, height: 2 } });
      await expectHostError(readWhole(host, { source: 'layer', regionForSelection: (selection) => selection }), 'empty_selection', /does not cover any pixels of "Photo"/);
    });

    it.each([
      ['CMYKColorMode', /CMYK Color mode.*Image > Mode > RGB Color/],
      ['indexedColorMode', /Indexed Color mode.*Image > Mode > RGB Color/],
      ['bitmapMode', /Bitmap mode.*Image > Mode > Grayscale/],
    ] as const)('a %s document', async (mode, message) => {
      photoDocument({ mode });
      await expectHostError(readWhole(host, wholeLayer), 'unsupported_mode', message);
      await expectHostError(readWhole(host, mergedImage), 'unsupported_mode', message);
    });

    it('a 32-bit document', async () => {
      photoDocument({ depth: 32 });
      await expectHostError(readWhole(host, wholeLayer), 'unsupported_depth', /32 bits\/channel.*not support.*yet/);
    });

    it('another plugin holding Photoshop', async () => {
      photoDocument();
      fakePhotoshop.setOtherPluginModal(true);
      await expectHostError(readWhole(host, wholeLayer), 'busy', /busy/);
    });
  });
});

describe('writeLayer', () => {
  const mask: HostMask = { bounds: { left: 4, top: 5, right: 6, bottom: 7 }, data: Uint8Array.from([255, 200, 100, 0]) };

  it('adds the result in a "Mend" group directly above the source, as one history step', async () => {
    const document = photoDocument();
    const photo = document.layer('Photo');
    const photoBefore = fakePhotoshop.layerPixels(document.id, photo);

    const written = await host.writeLayer(layerWrite(document.id, photo, { mask }));

    expect(written.documentId).toBe(document.id);
    expect(fakePhotoshop.tree(document.id)).toEqual([
      { name: 'Mend', kind: 'group', children: [{ name: 'Restore · test-model', kind: 'pixel' }] },
      { name: 'Photo', kind: 'pixel' },
      { name: 'Background', kind: 'pixel' },
    ]);
    expect(fakePhotoshop.layer(document.id, written.layerId)).toMatchObject({ name: 'Restore · test-model', opacity: 80, blendMode: 'luminosity', parentName: 'Mend' });
    expect(Array.from(fakePhotoshop.layerPixels(document.id, written.layerId, { left: 4, top: 5, right: 7, bottom: 7 }))).toEqual(Array.from(resultPixels(3, 2).data));
    expect(Array.from(fakePhotoshop.layerPixels(document.id, written.layerId, { left: 0, top: 0, right: 10, bottom: 5 })).every((value) => value === 0)).toBe(true);

    const writtenMask = fakePhotoshop.layerMask(document.id, written.layerId);
    if (!writtenMask) throw new Error('the result layer has no mask');
    expect(crop(writtenMask, 10, mask.bounds)).toEqual(Array.from(mask.data));
    // Outside the mask's bounds the result is hidden.
    expect(writtenMask.reduce((sum, value) => sum + value, 0)).toBe(255 + 200 + 100);

    expect(fakePhotoshop.layerPixels(document.id, photo)).toEqual(photoBefore);
    expect(fakePhotoshop.history(document.id)).toEqual(['Mend Restore']);
  });

  it('with a reveal-all mask shows the whole layer, and sends no mask pixels', async () => {
    const document = photoDocument();
    const written = await host.writeLayer(layerWrite(document.id, document.layer('Photo'), { blendMode: 'normal', opacity: 100, mask: 'reveal-all' }));
    expect(fakePhotoshop.layerMask(document.id, written.layerId)?.every((value) => value === 255)).toBe(true);
    expect(fakePhotoshop.layer(document.id, written.layerId)).toMatchObject({ blendMode: 'normal', opacity: 100 });
  });

  it('puts the next result on top of the same Mend group', async () => {
    const document = photoDocument();
    const photo = document.layer('Photo');
    await host.writeLayer(layerWrite(document.id, photo, { name: 'first' }));
    await host.writeLayer(layerWrite(document.id, photo, { name: 'second' }));

    expect(fakePhotoshop.tree(document.id)[0]).toEqual({
      name: 'Mend',
      kind: 'group',
      children: [
        { name: 'second', kind: 'pixel' },
        { name: 'first', kind: 'pixel' },
      ],
    });
    expect(fakePhotoshop.history(document.id)).toEqual(['Mend Restore', 'Mend Restore']);
  });

  it('puts a result of a result directly above it inside the Mend group', async () => {
    const document = photoDocument();
    const first = await host.writeLayer(layerWrite(document.id, document.layer('Photo'), { name: 'first' }));
    await host.writeLayer(layerWrite(document.id, document.layer('Photo'), { name: 'second' }));
    await host.writeLayer(layerWrite(document.id, first.layerId, { name: 'first, again' }));

    expect(fakePhotoshop.tree(document.id)[0].children?.map((layer) => layer.name)).toEqual(['second', 'first, again', 'first']);
  });

  it('keeps the Mend group next to a source inside another group', async () => {
    const document = fakePhotoshop.addDocument({
      width: 10,
      height: 8,
      layers: [{ name: 'Scans', children: [{ name: 'Top' }, { name: 'Photo', active: true, pixels: { left: 2, top: 1, width: 4, height: 3, data: photoPixels } }] }],
    });
    await host.writeLayer(layerWrite(document.id, document.layer('Photo')));
    expect(fakePhotoshop.tree(document.id)[0].children?.map((layer) => layer.name)).toEqual(['Top', 'Mend', 'Photo']);
  });

  it('puts a result of the merged image in a Mend group at the top of the document', async () => {
    const document = photoDocument();
    const written = await host.writeLayer(layerWrite(document.id, null));
    expect(fakePhotoshop.tree(document.id).map((layer) => layer.name)).toEqual(['Mend', 'Photo', 'Background']);
    expect(fakePhotoshop.layer(document.id, written.layerId).parentName).toBe('Mend');
  });

  it('adds a merged-image result at the top even while a layer in a locked group is selected', async () => {
    const document = fakePhotoshop.addDocument({
      width: 10,
      height: 8,
      layers: [{ name: 'Scans', allLocked: true, children: [{ name: 'Photo', active: true, pixels: { left: 2, top: 1, width: 4, height: 3, data: photoPixels } }] }],
    });
    await host.writeLayer(layerWrite(document.id, null));
    expect(fakePhotoshop.tree(document.id).map((layer) => layer.name)).toEqual(['Mend', 'Scans']);
  });

  it('refuses to add to a locked group and leaves the document unchanged', async () => {
    const document = fakePhotoshop.addDocument({
      width: 10,
      height: 8,
      layers: [{ name: 'Scans', allLocked: true, children: [{ name: 'Photo', active: true, pixels: { left: 2, top: 1, width: 4, height: 3, data: photoPixels } }] }],
    });
    const before = fakePhotoshop.snapshot(document.id);
    await expectHostError(host.writeLayer(layerWrite(document.id, document.layer('Photo'))), 'locked_layer', /group "Scans" is locked.*Unlock/);
    expect(fakePhotoshop.snapshot(document.id)).toEqual(before);
    expect(fakePhotoshop.history(document.id)).toEqual([]);
  });

  it.each([
    ['Photoshop fails to put the mask', () => fakePhotoshop.failNext('imaging.putLayerMask'), mask],
    ['the mask does not match its bounds', () => undefined, { ...mask, data: new Uint8Array(3) }],
  ])('leaves the document unchanged when %s', async (_case, prepare, badMask) => {
    const document = photoDocument();
    const before = fakePhotoshop.snapshot(document.id);
    prepare();

    await expect(host.writeLayer(layerWrite(document.id, document.layer('Photo'), { mask: badMask }))).rejects.toThrow();

    expect(fakePhotoshop.snapshot(document.id)).toEqual(before);
    expect(fakePhotoshop.findLayer(document.id, 'Mend')).toBeUndefined();
    expect(fakePhotoshop.history(document.id)).toEqual([]);
  });

  it('says so when the source layer or its document is gone', async () => {
    const document = photoDocument();
    await expectHostError(host.writeLayer(layerWrite(document.id, 999)), 'document_changed', /no longer in "family.psd"/);
    await expectHostError(host.writeLayer(layerWrite(998, null)), 'document_changed', /has been closed/);
  });

  it('round-trips 16-bit pixels', async () => {
    const sixteenBit = samples(2, 2, (x, y) => [32768, 1000 * x + 7, 12345 + y, 32768]);
    const document = fakePhotoshop.addDocument({
      width: 4,
      height: 4,
      depth: 16,
      layers: [{ name: 'Scan', active: true, pixels: { left: 1, top: 1, width: 2, height: 2, data: sixteenBit } }],
    });
    const read = await readWhole(host, wholeLayer);

    const written = await host.writeLayer(layerWrite(document.id, read.layerId, { pixels: banded(read.pixels), at: read.bounds }));

    expect(Array.from(fakePhotoshop.layerPixels(document.id, written.layerId, read.bounds))).toEqual(sixteenBit);
    expect(fakePhotoshop.layerPixels(document.id, written.layerId)).toBeInstanceOf(Uint16Array);
  });
});

describe('writeNewDocument', () => {
  it('opens a document holding the result as its only layer, in a Mend group', async () => {
    const source = photoDocument();

    const written = await host.writeNewDocument({
      title: 'family ×4',
      width: 3,
      height: 2,
      name: 'Upscale · x4',
      pixels: banded(resultPixels(3, 2)),
      opacity: 100,
      blendMode: 'normal',
      historyName: 'Mend Upscale',
    });

    expect(written.documentId).not.toBe(source.id);
    expect(fakePhotoshop.activeDocumentId()).toBe(written.documentId);
    expect(fakePhotoshop.document(written.documentId)).toMatchObject({ title: 'family ×4', width: 3, height: 2, mode: 'RGBColorMode', depth: 8 });
    expect(fakePhotoshop.tree(written.documentId)).toEqual([{ name: 'Mend', kind: 'group', children: [{ name: 'Upscale · x4', kind: 'pixel' }] }]);
    expect(Array.from(fakePhotoshop.layerPixels(written.documentId, written.layerId))).toEqual(Array.from(resultPixels(3, 2).data));
    expect(fakePhotoshop.history(written.documentId)).toEqual(['Mend Upscale']);
  });

  it('closes the new document again when writing into it fails', async () => {
    const source = photoDocument();
    fakePhotoshop.failNext('imaging.putPixels');
    await expect(
      host.writeNewDocument({
        title: 'family ×4',
        width: 3,
        height: 2,
        name: 'Upscale',
        pixels: banded(resultPixels(3, 2)),
        opacity: 100,
        blendMode: 'normal',
        historyName: 'Mend Upscale',
      }),
    ).rejects.toThrow(/putPixels failed/);
    expect(fakePhotoshop.documentIds()).toEqual([source.id]);
  });
});

describe('resizeAndWrite', () => {
  const upscale = (documentId: number, aboveLayerId: number): ResizeAndWrite => ({
    ...layerWrite(documentId, aboveLayerId, { name: 'Upscale · x2', historyName: 'Mend Upscale', blendMode: 'normal', opacity: 100 }),
    width: 20,
    height: 16,
  });

  it('resamples the document and adds the result where asked in the new size, as one history step', async () => {
    const document = photoDocument();
    const mask: HostMask = { bounds: { left: 12, top: 10, right: 14, bottom: 11 }, data: Uint8Array.from([255, 255]) };

    const written = await host.resizeAndWrite({ ...upscale(document.id, document.layer('Photo')), pixels: banded(resultPixels(4, 2)), at: { left: 12, top: 10 }, mask });

    expect(fakePhotoshop.document(document.id)).toMatchObject({ width: 20, height: 16 });
    // The source layer was resampled with the document: its pixels now cover twice the rows and columns.
    expect(fakePhotoshop.layerPixels(document.id, document.layer('Photo'), { left: 4, top: 2, right: 5, bottom: 3 })).toEqual(Uint8Array.from([10, 20, 30, 255]));
    expect(fakePhotoshop.layerPixels(document.id, document.layer('Photo'), { left: 11, top: 7, right: 12, bottom: 8 })).toEqual(Uint8Array.from([13, 22, 35, 255]));
    expect(fakePhotoshop.tree(document.id).map((layer) => layer.name)).toEqual(['Mend', 'Photo', 'Background']);
    expect(Array.from(fakePhotoshop.layerPixels(document.id, written.layerId, { left: 12, top: 10, right: 16, bottom: 12 }))).toEqual(Array.from(resultPixels(4, 2).data));
    expect(crop(fakePhotoshop.layerMask(document.id, written.layerId) ?? new Uint8Array(), 20, mask.bounds)).toEqual([255, 255]);
    expect(fakePhotoshop.history(document.id)).toEqual(['Mend Upscale']);
  });

  it('leaves the size as it was when the write fails', async () => {
    const document = photoDocument();
    const before = fakePhotoshop.snapshot(document.id);
    fakePhotoshop.failNext('imaging.putPixels');
    await expect(host.resizeAndWrite(upscale(document.id, document.layer('Photo')))).rejects.toThrow(/putPixels failed/);
    expect(fakePhotoshop.snapshot(document.id)).toEqual(before);
    expect(fakePhotoshop.history(document.id)).toEqual([]);
  });
});

describe('selectMask', () => {
  it('makes the mask the selection, as one history step', async () => {
    const document = photoDocument({ selection: { left: 0, top: 0, width: 10, height: 8 } });
    const found: HostMask = { bounds: { left: 1, top: 2, right: 3, bottom: 3 }, data: Uint8Array.from([255, 90]) };

    await host.selectMask(document.id, found, 'Mend Find Dust');

    const selection = fakePhotoshop.document(document.id).selection;
    if (!selection) throw new Error('nothing is selected');
    expect(crop(selection, 10, found.bounds)).toEqual([255, 90]);
    expect(selection.reduce((sum, value) => sum + value, 0)).toBe(255 + 90);
    expect(fakePhotoshop.history(document.id)).toEqual(['Mend Find Dust']);
  });
});

describe('result layers afterwards', () => {
  it('shows and hides a result without a history step', async () => {
    const document = photoDocument();
    const written = await host.writeLayer(layerWrite(document.id, document.layer('Photo')));

    await host.setLayerVisible(written, false);
    expect(fakePhotoshop.layer(document.id, written.layerId).visible).toBe(false);
    await host.setLayerVisible(written, true);
    expect(fakePhotoshop.layer(document.id, written.layerId).visible).toBe(true);
    expect(fakePhotoshop.history(document.id)).toEqual(['Mend Restore']);
  });

  it("brings the result's document to the front with the layer selected", async () => {
    const first = photoDocument();
    const written = await host.writeLayer(layerWrite(first.id, first.layer('Photo')));
    const second = photoDocument({ title: 'other.psd' });
    expect(fakePhotoshop.activeDocumentId()).toBe(second.id);

    await host.reveal(written);

    expect(fakePhotoshop.activeDocumentId()).toBe(first.id);
    expect(fakePhotoshop.document(first.id).activeLayerIds).toEqual([written.layerId]);
  });

  it('says so when the user deleted the result before toggling it', async () => {
    const document = photoDocument();
    const written = await host.writeLayer(layerWrite(document.id, document.layer('Photo')));

    await core.executeAsModal(
      async () => {
        const layer = app.activeDocument.layers[0].layers?.[0];
        layer?.delete();
      },
      { commandName: 'user deletes the result' },
    );
    await expectHostError(host.setLayerVisible(written, false), 'document_changed', /no longer/);
  });
});

describe('token store', () => {
  it('keeps the token in secure storage', async () => {
    const store = createTokenStore();
    expect(await store.load()).toBeUndefined();

    await store.save('mend_0123456789abcdef');
    expect(await store.load()).toBe('mend_0123456789abcdef');
    expect(await createTokenStore().load()).toBe('mend_0123456789abcdef');
    expect([...fakePhotoshop.secureStorageItems().values()]).toHaveLength(1);
  });

  it('refuses a token it could not read back as it was', async () => {
    await expect(createTokenStore().save('tökén')).rejects.toThrow(/ASCII/);
    await expect(createTokenStore().save('')).rejects.toThrow(/ASCII/);
  });
});
