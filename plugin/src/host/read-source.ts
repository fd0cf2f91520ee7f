import { imaging } from 'photoshop';
import type { Document } from 'photoshop/dom/Document';
import type { Layer } from 'photoshop/dom/Layer';
import { HostError, type BandedPixels, type Bounds, type HostMask, type HostPixels, type ReadRequest, type SourceRead } from '../workflows/host';
import { clipToCanvas, intersection, isEmpty, plainBounds } from './bounds';
import { activeDocument } from './document-lookup';
import { boundsHeight, boundsWidth } from '../workflows/region';
import { takeMaskSamples, takePixels } from './image-data';
import { inModalScope } from './modal-scope';
import { readFormat, type ColorSpace } from './pixel-format';
import { activePixelLayer } from './source-layer';

/**
 * Reads the active layer (or the merged image) of the document in front, and its selection, in one modal
 * scope that lasts while `consume` reads the pixels band by band. With a selection, only the region the
 * workflow asks for around it is read.
 */
export function readSource<T>(request: ReadRequest, consume: (source: SourceRead) => Promise<T>): Promise<T> {
  return inModalScope('Mend: read pixels', async () => {
    const document = activeDocument();
    const format = readFormat(document);
    const layer = request.source === 'layer' ? activePixelLayer(document) : null;
    const canvas = { width: document.width, height: document.height };
    const selection = await readSelection(document, canvas);
    const area = areaToRead(request, canvas, layer, selection);
    const reader = new BandReader(document, layer, format, area);
    return consume({
      documentId: document.id,
      documentTitle: document.title,
      documentWidth: canvas.width,
      documentHeight: canvas.height,
      layerId: layer ? layer.id : null,
      layerName: layer ? layer.name : 'Merged image',
      pixels: await reader.describe(),
      bounds: area,
      ...(selection ? { selection } : {}),
    });
  });
}

/** The layer's pixels (or the canvas), narrowed to the region around the selection when there is one. */
function areaToRead(request: ReadRequest, canvas: { width: number; height: number }, layer: Layer | null, selection: HostMask | undefined): Bounds {
  const whole = layer ? clipToCanvas(layer.boundsNoEffects, canvas) : { left: 0, top: 0, right: canvas.width, bottom: canvas.height };
  if (!selection) return whole;
  const region = clipToCanvas(request.regionForSelection(selection.bounds, canvas), canvas);
  if (isEmpty(region)) throw new Error('regionForSelection returned a region outside the document.');
  const area = intersection(region, whole);
  if (isEmpty(area)) {
    throw new HostError('empty_selection', `The selection does not cover any pixels of "${layer?.name}". Select an area where the layer has pixels, or use the merged image.`);
  }
  return area;
}

/** Reads `area` of a layer or of the merged image in bands of whole rows. */
class BandReader {
  constructor(
    private readonly document: Document,
    private readonly layer: Layer | null,
    private readonly format: { colorSpace: ColorSpace; componentSize: 8 | 16 },
    private readonly area: Bounds,
  ) {}

  /** The pixels' format, learnt from their first row: whether there is alpha, and the profile they come in. */
  async describe(): Promise<BandedPixels> {
    const { width, channels, bitDepth, colorProfile } = await this.read(0, 1);
    return { width, height: boundsHeight(this.area), channels, bitDepth, colorProfile, readBand: async (top, rows) => (await this.read(top, rows)).data };
  }

  private async read(top: number, rows: number): Promise<HostPixels> {
    const wanted = { left: this.area.left, right: this.area.right, top: this.area.top + top, bottom: this.area.top + top + rows };
    const result = await imaging.getPixels({
      documentID: this.document.id,
      ...(this.layer ? { layerID: this.layer.id } : {}),
      sourceBounds: wanted,
      ...this.format,
    });
    const pixels = await takePixels(result.imageData);
    return padTo(pixels, plainBounds(result.sourceBounds), wanted);
  }
}

/**
 * getPixels trims a request "to only that region that contains pixel data"; a band that comes back smaller
 * than asked is placed into transparent pixels of the size asked for, so every band lines up.
 */
function padTo(pixels: HostPixels, got: Bounds, wanted: Bounds): HostPixels {
  if (got.left === wanted.left && got.top === wanted.top && got.right === wanted.right && got.bottom === wanted.bottom) return pixels;
  if (pixels.channels % 2 === 1) throw new Error('Photoshop trimmed pixels that have no transparency.');
  const width = boundsWidth(wanted);
  const height = boundsHeight(wanted);
  const data = pixels.bitDepth === 16 ? new Uint16Array(width * height * pixels.channels) : new Uint8Array(width * height * pixels.channels);
  const rowSamples = pixels.width * pixels.channels;
  for (let y = 0; y < pixels.height; y++) {
    const from = y * rowSamples;
    data.set(pixels.data.subarray(from, from + rowSamples), ((got.top - wanted.top + y) * width + (got.left - wanted.left)) * pixels.channels);
  }
  return { ...pixels, width, height, data };
}

/** The selection within the canvas with its soft edges, or undefined when nothing is selected. */
async function readSelection(document: Document, canvas: { width: number; height: number }): Promise<HostMask | undefined> {
  const selected = document.selection.bounds;
  if (!selected) return undefined;
  // A selection may reach past the canvas; only the part on it can be read.
  const bounds = clipToCanvas(selected, canvas);
  const emptySelection = new HostError(
    'empty_selection',
    'The selection is empty: no pixel of the image is selected. Make a new selection, or deselect (Select > Deselect) to work on the whole image.',
  );
  if (isEmpty(bounds)) throw emptySelection;
  const result = await imaging.getSelection({ documentID: document.id, sourceBounds: bounds });
  const data = await takeMaskSamples(result.imageData);
  if (data.every((value) => value === 0)) throw emptySelection;
  return { bounds: plainBounds(result.sourceBounds), data };
}
