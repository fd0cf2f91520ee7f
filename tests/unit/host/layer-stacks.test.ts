/**
 * The host's writes of several layers in one step (the map of invented detail above a result, the variants of
 * a Compare in their group), keeping one variant, and reading and setting masks, over the fake Photoshop.
 */
import { app, core } from 'photoshop';
import { createPhotoshopHost } from '../../../plugin/src/host/photoshop-host';
import type { HostPixels, LayerAbove, LayerWrite } from '../../../plugin/src/workflows/host';
import { fakePhotoshop } from '../../fakes/photoshop/control';
import { banded } from '../../helpers/banded-pixels';

const host = createPhotoshopHost();

beforeEach(() => fakePhotoshop.reset());
afterEach(() => {
  expect(fakePhotoshop.liveImageDataCount()).toBe(0);
  expect(fakePhotoshop.isModal()).toBe(false);
});

function flat(width: number, height: number, rgba: number[], bitDepth: 8 | 16 = 8): HostPixels {
  const data = Array.from({ length: width * height }, () => rgba).flat();
  return { width, height, channels: 4, bitDepth, colorProfile: 'sRGB IEC61966-2.1', data: bitDepth === 16 ? Uint16Array.from(data) : Uint8Array.from(data) };
}

function photoDocument(depth: 8 | 16 = 8) {
  const max = depth === 16 ? 32768 : 255;
  return fakePhotoshop.addDocument({
    title: 'family.psd',
    width: 8,
    height: 6,
    depth,
    layers: [{ name: 'Photo', active: true, pixels: { left: 0, top: 0, width: 8, height: 6, data: new Array(8 * 6 * 4).fill(max) } }],
  });
}

function layerWrite(documentId: number, aboveLayerId: number, overrides: Partial<LayerWrite> = {}): LayerWrite {
  return {
    documentId,
    aboveLayerId,
    name: 'Upscale · x',
    pixels: banded(flat(4, 3, [10, 20, 30, 255])),
    at: { left: 2, top: 1 },
    mask: 'reveal-all',
    opacity: 100,
    blendMode: 'normal',
    historyName: 'Mend Upscale',
    ...overrides,
  };
}

function above(name: string, rgba: number[], overrides: Partial<LayerAbove> = {}): LayerAbove {
  return { name, pixels: banded(flat(4, 3, rgba)), opacity: 100, blendMode: 'normal', mask: 'reveal-all', ...overrides };
}

describe('several layers in one write', () => {
  it('puts a hidden overlay directly above the result, both in the Mend group, as one history step', async () => {
    const document = photoDocument();
    const written = await host.writeLayer(layerWrite(document.id, document.layer('Photo'), { layersAbove: [above('Invented detail', [255, 0, 0, 128], { visible: false })] }));

    expect(fakePhotoshop.tree(document.id)).toEqual([
      {
        name: 'Mend',
        kind: 'group',
        children: [
          { name: 'Invented detail', kind: 'pixel' },
          { name: 'Upscale · x', kind: 'pixel' },
        ],
      },
      { name: 'Photo', kind: 'pixel' },
    ]);
    const [overlay] = written.layersAbove;
    expect(fakePhotoshop.layer(document.id, overlay.layerId)).toMatchObject({ name: 'Invented detail', visible: false, parentName: 'Mend' });
    expect(fakePhotoshop.layer(document.id, written.layerId).visible).toBe(true);
    expect(Array.from(fakePhotoshop.layerPixels(document.id, overlay.layerId, { left: 2, top: 1, right: 3, bottom: 2 }))).toEqual([255, 0, 0, 128]);
    expect(fakePhotoshop.history(document.id)).toEqual(['Mend Upscale']);
  });

  it('puts the variants of a Compare into a "Compare" group inside the Mend group, in one history step', async () => {
    const document = photoDocument();
    const written = await host.writeLayer(
      layerWrite(document.id, document.layer('Photo'), {
        name: 'model-a',
        group: 'Compare',
        historyName: 'Mend Compare',
        layersAbove: [above('model-b', [1, 1, 1, 255], { visible: false }), above('model-c', [2, 2, 2, 255], { visible: false })],
      }),
    );

    expect(fakePhotoshop.tree(document.id)).toEqual([
      {
        name: 'Mend',
        kind: 'group',
        children: [
          {
            name: 'Compare',
            kind: 'group',
            children: [
              { name: 'model-c', kind: 'pixel' },
              { name: 'model-b', kind: 'pixel' },
              { name: 'model-a', kind: 'pixel' },
            ],
          },
        ],
      },
      { name: 'Photo', kind: 'pixel' },
    ]);
    expect(written.group && fakePhotoshop.layer(document.id, written.group.layerId)).toMatchObject({ name: 'Compare', parentName: 'Mend' });
    expect([written, ...written.layersAbove].map(({ layerId }) => fakePhotoshop.layer(document.id, layerId).visible)).toEqual([true, false, false]);
    expect(fakePhotoshop.history(document.id)).toEqual(['Mend Compare']);
  });

  it('leaves nothing behind when a layer above fails to write', async () => {
    const document = photoDocument();
    const before = fakePhotoshop.snapshot(document.id);
    const failing = { ...above('model-b', [1, 1, 1, 255]), pixels: { ...banded(flat(4, 3, [1, 1, 1, 255])), readBand: () => Promise.reject(new Error('helper gone')) } };
    await expect(host.writeLayer(layerWrite(document.id, document.layer('Photo'), { group: 'Compare', layersAbove: [failing] }))).rejects.toThrow('helper gone');
    expect(fakePhotoshop.snapshot(document.id)).toEqual(before);
    expect(fakePhotoshop.history(document.id)).toEqual([]);
  });

  it("gives a new document's result a reveal-all mask, and its layers above it, in one step", async () => {
    photoDocument();
    const written = await host.writeNewDocument({
      title: 'family ×2',
      width: 4,
      height: 3,
      name: 'Upscale · x',
      pixels: banded(flat(4, 3, [10, 20, 30, 255])),
      opacity: 100,
      blendMode: 'normal',
      historyName: 'Mend Upscale',
      layersAbove: [above('Invented detail', [255, 0, 0, 9], { visible: false })],
    });
    expect(fakePhotoshop.layerMask(written.documentId, written.layerId)?.every((value) => value === 255)).toBe(true);
    expect(fakePhotoshop.tree(written.documentId)).toEqual([
      {
        name: 'Mend',
        kind: 'group',
        children: [
          { name: 'Invented detail', kind: 'pixel' },
          { name: 'Upscale · x', kind: 'pixel' },
        ],
      },
    ]);
    expect(fakePhotoshop.history(written.documentId)).toEqual(['Mend Upscale']);
  });
});

describe('keepLayer', () => {
  async function compareOfThree() {
    const document = photoDocument();
    const written = await host.writeLayer(
      layerWrite(document.id, document.layer('Photo'), {
        name: 'model-a',
        group: 'Compare',
        historyName: 'Mend Compare',
        layersAbove: [above('model-b', [1, 1, 1, 255], { visible: false }), above('model-c', [2, 2, 2, 255], { visible: false })],
      }),
    );
    const [a, b, c] = [{ documentId: document.id, layerId: written.layerId }, ...written.layersAbove];
    if (!written.group) throw new Error('no Compare group');
    return { document, a, b, c, group: written.group };
  }

  it('keeps the chosen variant shown where the Compare group was, and deletes the others and the group, in one history step', async () => {
    const { document, a, b, c, group } = await compareOfThree();
    await host.keepLayer({ keep: b, discard: [a, c], group, historyName: 'Mend Keep Variant' });

    expect(fakePhotoshop.tree(document.id)).toEqual([
      { name: 'Mend', kind: 'group', children: [{ name: 'model-b', kind: 'pixel' }] },
      { name: 'Photo', kind: 'pixel' },
    ]);
    expect(fakePhotoshop.layer(document.id, b.layerId)).toMatchObject({ visible: true, parentName: 'Mend' });
    expect(fakePhotoshop.history(document.id)).toEqual(['Mend Compare', 'Mend Keep Variant']);
  });

  it('skips variants already deleted, and keeps the group while anything else is left in it', async () => {
    const { document, a, b, c, group } = await compareOfThree();
    await host.keepLayer({ keep: a, discard: [b], group, historyName: 'Mend Keep Variant' });
    await host.keepLayer({ keep: c, discard: [a, b], group: { documentId: document.id, layerId: 999 }, historyName: 'Mend Keep Variant' });
    expect(fakePhotoshop.findLayer(document.id, 'model-c')).toBe(c.layerId);
    expect(fakePhotoshop.findLayer(document.id, 'model-a')).toBeUndefined();
  });
});

describe('masks and transparency', () => {
  it.each([8, 16] as const)('reads back a mask, sets it band by band as one history step, and reads transparency (%i-bit)', async (depth) => {
    const document = photoDocument(depth);
    const max = depth === 16 ? 32768 : 255;
    const written = await host.writeLayer(
      layerWrite(document.id, document.layer('Photo'), {
        pixels: banded(flat(4, 3, [max, 0, 0, max], depth)),
        layersAbove: [{ ...above('Overlay', [0, 0, 0, 0]), pixels: banded({ ...flat(4, 3, [0, 0, 0, 0], depth), data: depth === 16 ? new Uint16Array(48) : new Uint8Array(48) }) }],
      }),
    );
    const result = { documentId: document.id, layerId: written.layerId };
    const bounds = { left: 2, top: 1, right: 6, bottom: 4 };

    expect(Array.from(await host.readLayerMask(result, bounds)).every((value) => value === 255)).toBe(true);
    // The overlay holds no pixels: fully transparent, and nothing is asked of getPixels outside its pixels.
    expect(Array.from(await host.readLayerAlpha(written.layersAbove[0], bounds)).every((value) => value === 0)).toBe(true);
    expect(Array.from(await host.readLayerAlpha(result, { left: 1, top: 1, right: 3, bottom: 2 }))).toEqual([0, 255]);

    const values = Uint8Array.from({ length: 12 }, (_v, i) => i * 20);
    const bands: Array<[number, number]> = [];
    await host.setLayerMask(
      result,
      {
        bounds,
        readBand: async (top, rows) => {
          bands.push([top, rows]);
          return values.slice(top * 4, (top + rows) * 4);
        },
      },
      'Mend Mask Out Invented Detail',
    );
    expect(Array.from(await host.readLayerMask(result, bounds))).toEqual(Array.from(values));
    expect(fakePhotoshop.layerMask(document.id, written.layerId)?.[0]).toBe(255);
    expect(bands).toEqual([[0, 3]]);
    expect(fakePhotoshop.history(document.id)).toEqual(['Mend Upscale', 'Mend Mask Out Invented Detail']);
  });

  it('reads layers of the same document from inside setLayerMask (nested modal scopes), and rolls back on failure', async () => {
    const document = photoDocument();
    const written = await host.writeLayer(layerWrite(document.id, document.layer('Photo')));
    const result = { documentId: document.id, layerId: written.layerId };
    const bounds = { left: 2, top: 1, right: 6, bottom: 4 };
    await host.setLayerMask(
      result,
      { bounds, readBand: async (top, rows) => (await host.readLayerMask(result, { ...bounds, top: 1 + top, bottom: 1 + top + rows })).map((v) => v - 55) },
      'Mend step',
    );
    expect(Array.from(await host.readLayerMask(result, bounds)).every((value) => value === 200)).toBe(true);

    const before = fakePhotoshop.snapshot(document.id);
    await expect(host.setLayerMask(result, { bounds, readBand: () => Promise.reject(new Error('read failed')) }, 'Mend step')).rejects.toThrow('read failed');
    expect(fakePhotoshop.snapshot(document.id)).toEqual(before);
    expect(fakePhotoshop.history(document.id)).toEqual(['Mend Upscale', 'Mend step']);
  });
});

it('sets a mask with no selection active, and gives the user their selection back, in the same step', async () => {
  const document = fakePhotoshop.addDocument({
    width: 8,
    height: 6,
    layers: [{ name: 'Photo', active: true, pixels: { left: 0, top: 0, width: 8, height: 6, data: new Array(8 * 6 * 4).fill(255) } }],
  });
  const written = await host.writeLayer(layerWrite(document.id, document.layer('Photo')));
  await core.executeAsModal(() => app.activeDocument.selection.selectRectangle({ left: 0, top: 0, right: 2, bottom: 2 }), { commandName: 'test' });
  const selection = fakePhotoshop.document(document.id).selection?.slice();
  const bounds = { left: 2, top: 1, right: 6, bottom: 4 };
  await host.setLayerMask(written, { bounds, readBand: async (_top, rows) => new Uint8Array(4 * rows).fill(7) }, 'Mend step');
  expect(Array.from(await host.readLayerMask(written, bounds)).every((value) => value === 7)).toBe(true);
  expect(fakePhotoshop.document(document.id).selection).toEqual(selection);
  expect(fakePhotoshop.history(document.id)).toEqual(['Mend Upscale', 'Rectangular Marquee', 'Mend step']);
});
