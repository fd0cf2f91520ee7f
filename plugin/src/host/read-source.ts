import { imaging } from 'photoshop';
import type { Document } from 'photoshop/dom/Document';
import type { Layer } from 'photoshop/dom/Layer';
import { HostError, type Bounds, type HostMask, type ReadRequest, type SourceRead } from '../workflows/host';
import { clipToCanvas, intersection, isEmpty, plainBounds } from './bounds';
import { activeDocument } from './document-lookup';
import { takeMaskSamples, takePixels } from './image-data';
import { inModalScope } from './modal-scope';
import { readFormat } from './pixel-format';
import { activePixelLayer } from './source-layer';

/**
 * Reads the active layer (or the merged image) of the document in front, and its selection, in one short
 * modal scope. With a selection, only the region the workflow asks for around it is read.
 */
export function readSource(request: ReadRequest): Promise<SourceRead> {
  return inModalScope('Mend: read pixels', async () => {
    const document = activeDocument();
    const format = readFormat(document);
    const layer = request.source === 'layer' ? activePixelLayer(document) : null;
    const canvas = { width: document.width, height: document.height };

    const selection = await readSelection(document, canvas);
    let region: Bounds | undefined;
    if (selection) {
      region = clipToCanvas(request.regionForSelection(selection.bounds, canvas), canvas);
      if (isEmpty(region)) throw new Error('regionForSelection returned a region outside the document.');
      if (layer && isEmpty(intersection(region, layer.boundsNoEffects))) {
        throw new HostError(
          'empty_selection',
          `The selection does not cover any pixels of "${layer.name}". Select an area where the layer has pixels, or use the merged image.`,
        );
      }
    }

    const result = await imaging.getPixels({
      documentID: document.id,
      ...(layer ? { layerID: layer.id } : {}),
      ...(region ? { sourceBounds: region } : {}),
      ...format,
    });
    const pixels = await takePixels(result.imageData);
    return {
      documentId: document.id,
      documentTitle: document.title,
      documentWidth: canvas.width,
      documentHeight: canvas.height,
      layerId: layer ? layer.id : null,
      layerName: layerName(layer),
      pixels,
      // getPixels trims the request to where the source has pixels; these are the bounds it read.
      bounds: plainBounds(result.sourceBounds),
      ...(selection ? { selection } : {}),
    };
  });
}

function layerName(layer: Layer | null): string {
  return layer ? layer.name : 'Merged image';
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
