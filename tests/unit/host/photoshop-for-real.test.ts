/**
 * What a real Photoshop would break, per Adobe's documentation, checked over the stricter fake: selections at
 * the document's depth, writes aimed at the job's own document, exact buffers for image data, no-op moves,
 * writes with no selection active, wide-gamut profiles, and pixels streamed in bands.
 */
import { core, imaging } from 'photoshop';
import { takeMaskSamples } from '../../../plugin/src/host/image-data';
import { createPhotoshopHost } from '../../../plugin/src/host/photoshop-host';
import type { HostPixels, LayerWrite, ReadRequest } from '../../../plugin/src/workflows/host';
import { convertProfile } from '../../fakes/photoshop/color';
import { fakePhotoshop } from '../../fakes/photoshop/control';
import { banded, readWhole } from '../../helpers/banded-pixels';

const host = createPhotoshopHost();
const wholeLayer: ReadRequest = { source: 'layer', regionForSelection: (selection) => selection };
const PROPHOTO = 'ProPhoto RGB';

beforeEach(() => fakePhotoshop.reset());
afterEach(() => {
  expect(fakePhotoshop.liveImageDataCount()).toBe(0);
  expect(fakePhotoshop.isModal()).toBe(false);
});

function opaque(width: number, height: number, pixel: (x: number, y: number) => [number, number, number], alpha = 255): number[] {
  const out: number[] = [];
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out.push(...pixel(x, y), alpha);
  return out;
}

function write(documentId: number, aboveLayerId: number | null, pixels: HostPixels, overrides: Partial<LayerWrite> = {}): LayerWrite {
  return {
    documentId,
    aboveLayerId,
    name: 'Restore · identity',
    pixels: banded(pixels),
    at: { left: 0, top: 0 },
    mask: 'reveal-all',
    opacity: 100,
    blendMode: 'normal',
    historyName: 'Mend Restore',
    ...overrides,
  };
}

describe('selections at the document depth', () => {
  const soft = [255, 128, 64, 0];

  it.each([8, 16] as const)('reads the soft selection of a %i-bit document as 8-bit', async (depth) => {
    const max = depth === 16 ? 32768 : 255;
    fakePhotoshop.addDocument({
      width: 4,
      height: 2,
      depth,
      layers: [{ name: 'Photo', active: true, pixels: { left: 0, top: 0, width: 4, height: 2, data: opaque(4, 2, () => [max, 0, 0], max) } }],
      selection: { left: 1, top: 0, width: 2, height: 2, data: soft },
    });
    const read = await readWhole(host, wholeLayer);
    expect(Array.from(read.selection?.data ?? [])).toEqual(soft);
  });

  it('converts the float selection of a 32-bit document', async () => {
    fakePhotoshop.addDocument({ width: 2, height: 1, depth: 32, layers: [{ name: 'HDR', active: true }], selection: { left: 0, top: 0, width: 2, height: 1, data: [255, 51] } });
    const samples = await core.executeAsModal(async () => takeMaskSamples((await imaging.getSelection({ sourceBounds: { left: 0, top: 0, right: 2, bottom: 1 } })).imageData), {
      commandName: 'test',
    });
    expect(Array.from(samples)).toEqual([255, 51]);
  });
});

describe('writes go to the document the job came from', () => {
  it('writes into the source document while the user works in another, and leaves the user there', async () => {
    const family = fakePhotoshop.addDocument({
      title: 'family.psd',
      width: 4,
      height: 2,
      layers: [{ name: 'Photo', active: true, pixels: { left: 0, top: 0, width: 4, height: 2, data: opaque(4, 2, () => [10, 20, 30]) } }],
    });
    const read = await readWhole(host, wholeLayer);
    // The user opens another document during the job; Photoshop's layer ids repeat across documents.
    const other = fakePhotoshop.addDocument({
      title: 'other.psd',
      width: 4,
      height: 2,
      layers: [{ name: 'Other', active: true, pixels: { left: 0, top: 0, width: 4, height: 2, data: opaque(4, 2, () => [1, 2, 3]) } }],
    });
    expect(other.layer('Other')).toBe(family.layer('Photo'));
    const otherBefore = fakePhotoshop.snapshot(other.id);

    const written = await host.writeLayer(write(read.documentId, read.layerId, read.pixels));

    expect(written.documentId).toBe(family.id);
    expect(fakePhotoshop.tree(family.id)).toEqual([
      { name: 'Mend', kind: 'group', children: [{ name: 'Restore · identity', kind: 'pixel' }] },
      { name: 'Photo', kind: 'pixel' },
    ]);
    expect(fakePhotoshop.layerMask(family.id, written.layerId)?.every((value) => value === 255)).toBe(true);
    expect(fakePhotoshop.snapshot(other.id)).toEqual(otherBefore);
    expect(fakePhotoshop.activeDocumentId()).toBe(other.id);
  });
});

describe('image data', () => {
  it('the fake refuses a view into a larger buffer, as Photoshop reads the whole buffer', async () => {
    const buffer = new Uint8Array(16);
    await expect(imaging.createImageDataFromBuffer(buffer.subarray(4, 8), { width: 1, height: 1, components: 4, colorSpace: 'RGB' })).rejects.toThrow(/whole buffer/);
  });

  it('writes bands that arrive as views into a larger response', async () => {
    const document = fakePhotoshop.addDocument({
      width: 2,
      height: 1,
      layers: [{ name: 'Photo', active: true, pixels: { left: 0, top: 0, width: 2, height: 1, data: opaque(2, 1, () => [9, 9, 9]) } }],
    });
    const data = Uint8Array.from(opaque(2, 1, (x) => [x, 50, 60]));
    const response = new Uint8Array(100);
    response.set(data, 40);
    const pixels = { ...banded({ width: 2, height: 1, channels: 4, bitDepth: 8, colorProfile: 'sRGB IEC61966-2.1', data }), readBand: async () => response.subarray(40, 48) };
    const written = await host.writeLayer({
      ...write(document.id, document.layer('Photo'), { width: 2, height: 1, channels: 4, bitDepth: 8, colorProfile: 'sRGB IEC61966-2.1', data }),
      pixels,
    });
    expect(Array.from(fakePhotoshop.layerPixels(document.id, written.layerId))).toEqual(Array.from(data));
  });
});

describe('moves', () => {
  it('the fake throws on a move that does nothing (Photoshop 23.4.1 known issue); the host never asks for one', async () => {
    const document = fakePhotoshop.addDocument({
      width: 2,
      height: 1,
      layers: [{ name: 'Top' }, { name: 'Photo', active: true, pixels: { left: 0, top: 0, width: 2, height: 1, data: opaque(2, 1, () => [1, 1, 1]) } }],
    });
    const { app, constants } = await import('photoshop');
    await expect(
      core.executeAsModal(
        async () => {
          const [top, photo] = app.activeDocument.layers;
          top.move(photo, constants.ElementPlacement.PLACEBEFORE);
        },
        { commandName: 'test' },
      ),
    ).rejects.toThrow(/already there/);
    for (const level of [5, 6]) {
      await host.writeLayer(
        write(document.id, document.layer('Photo'), {
          width: 2,
          height: 1,
          channels: 4,
          bitDepth: 8,
          colorProfile: 'sRGB IEC61966-2.1',
          data: Uint8Array.from(opaque(2, 1, () => [level, level, level])),
        }),
      );
    }
    expect(fakePhotoshop.tree(document.id)[1]).toMatchObject({ name: 'Mend', children: [{ name: 'Restore · identity' }, { name: 'Restore · identity' }] });
  });
});

describe('writing with a selection active', () => {
  it('writes with nothing selected and gives the user back the same soft selection, in one history step', async () => {
    const soft = [255, 200, 100, 0, 30, 255];
    const document = fakePhotoshop.addDocument({
      width: 3,
      height: 2,
      layers: [{ name: 'Photo', active: true, pixels: { left: 0, top: 0, width: 3, height: 2, data: opaque(3, 2, () => [1, 2, 3]) } }],
      selection: { left: 0, top: 0, width: 3, height: 2, data: soft },
    });
    const selectionBefore = fakePhotoshop.document(document.id).selection?.slice();
    const result = { width: 3, height: 2, channels: 4 as const, bitDepth: 8 as const, colorProfile: 'sRGB IEC61966-2.1', data: Uint8Array.from(opaque(3, 2, (x, y) => [x, y, 7])) };

    const written = await host.writeLayer(write(document.id, document.layer('Photo'), result));

    expect(Array.from(fakePhotoshop.layerPixels(document.id, written.layerId))).toEqual(Array.from(result.data));
    expect(fakePhotoshop.document(document.id).selection).toEqual(selectionBefore);
    expect(fakePhotoshop.document(document.id).alphaChannels).toEqual([]);
    expect(fakePhotoshop.history(document.id)).toEqual(['Mend Restore']);
  });
});

describe("the document's own colours", () => {
  // Saturated ProPhoto colours that sRGB cannot hold.
  const wide: Array<[number, number, number]> = [
    [250, 10, 5],
    [5, 240, 20],
    [10, 20, 250],
    [128, 128, 128],
  ];

  it.each([
    [8, 255, 1],
    [16, 32768, 4],
  ] as const)('a ProPhoto %i-bit document keeps its out-of-sRGB colours through read and write', async (depth, max, tolerance) => {
    const pixels = opaque(4, 1, (x) => wide[x].map((v) => Math.round((v / 255) * max)) as [number, number, number], max);
    const document = fakePhotoshop.addDocument({
      width: 4,
      height: 1,
      depth,
      profile: PROPHOTO,
      layers: [{ name: 'Photo', active: true, pixels: { left: 0, top: 0, width: 4, height: 1, data: pixels } }],
    });
    // For scale: the same colours through sRGB come back visibly changed.
    const viaSrgb = convertProfile(convertProfile(Uint16Array.from(pixels), 4, max, PROPHOTO, 'sRGB IEC61966-2.1'), 4, max, 'sRGB IEC61966-2.1', PROPHOTO);
    expect(Math.max(...Array.from(viaSrgb, (v, i) => Math.abs(v - pixels[i])))).toBeGreaterThan(20 * tolerance);

    const read = await readWhole(host, wholeLayer);
    expect(read.pixels.colorProfile).toBe(PROPHOTO);
    const written = await host.writeLayer(write(read.documentId, read.layerId, read.pixels));

    const back = fakePhotoshop.layerPixels(document.id, written.layerId);
    expect(Math.max(...Array.from(back, (v, i) => Math.abs(v - pixels[i])))).toBeLessThanOrEqual(tolerance);
  });

  it('an upscale into a new document carries the source profile', async () => {
    fakePhotoshop.addDocument({
      width: 2,
      height: 1,
      profile: PROPHOTO,
      layers: [{ name: 'Photo', active: true, pixels: { left: 0, top: 0, width: 2, height: 1, data: opaque(2, 1, () => [250, 10, 5]) } }],
    });
    const read = await readWhole(host, wholeLayer);
    const written = await host.writeNewDocument({
      title: 'x2',
      width: 2,
      height: 1,
      name: 'Upscale',
      pixels: banded(read.pixels),
      opacity: 100,
      blendMode: 'normal',
      historyName: 'Mend Upscale',
    });
    expect(fakePhotoshop.document(written.documentId).profile).toBe(PROPHOTO);
    expect(Array.from(fakePhotoshop.layerPixels(written.documentId, written.layerId))).toEqual(opaque(2, 1, () => [250, 10, 5]));
  });
});

describe('bands', () => {
  it('reads and writes a large layer in bands, never the whole image at once', async () => {
    const width = 2048;
    const height = 2100;
    const data = new Uint8Array(width * height * 4);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7 + (i >> 13)) % 256;
    for (let p = 3; p < data.length; p += 4) data[p] = 255;
    const document = fakePhotoshop.addDocument({ width, height, layers: [{ name: 'Big', active: true, pixels: { left: 0, top: 0, width, height, data } }] });
    const bandHeights: number[] = [];

    const read = await host.read(wholeLayer, async (source) => {
      const rows = 700;
      const parts: Uint8Array[] = [];
      for (let top = 0; top < source.pixels.height; top += rows) {
        const band = await source.pixels.readBand(top, Math.min(rows, source.pixels.height - top));
        bandHeights.push(band.length / (width * 4));
        parts.push(band as Uint8Array);
      }
      return { ...source, parts };
    });
    expect(bandHeights).toEqual([700, 700, 700]);
    const writes: Array<{ top: number; rows: number }> = [];
    const written = await host.writeLayer({
      ...write(read.documentId, read.layerId, { ...read.pixels, data }),
      pixels: banded({ width, height, channels: 4, bitDepth: 8, colorProfile: 'sRGB IEC61966-2.1', data }, writes),
    });
    // 16 MB bands: 2048 rows of 8 KB, then the rest.
    expect(writes).toEqual([
      { top: 0, rows: 2048 },
      { top: 2048, rows: 52 },
    ]);
    // Compared as bytes: jest's deep equality on 17 MB arrays runs out of memory.
    expect(Buffer.from(fakePhotoshop.layerPixels(document.id, written.layerId)).equals(Buffer.from(data))).toBe(true);
  });
});
