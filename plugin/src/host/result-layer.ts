import { constants, imaging } from 'photoshop';
import type { BlendMode as PhotoshopBlendMode } from 'photoshop/dom/Constants';
import type { Document } from 'photoshop/dom/Document';
import type { Layer } from 'photoshop/dom/Layer';
import { bandsOf, rowBytes, rowsPerBand } from '../workflows/bands';
import type { BandedPixels, BlendMode, LayerAbove, LayerContent, LayerStack } from '../workflows/host';
import { imageDataFromPixels, withImageData } from './image-data';
import { addLayerMask } from './layer-mask';
import { moveUnlessInPlace } from './layer-move';
import { prepareMendGroup, type ResultPlacement } from './mend-group';
import { selectOnly } from './select-layer';

/** The layers of one write, placed at `at`, the main layer masked by `mask`. */
export type ResultLayers = Omit<LayerStack, 'historyName'> & { at: { left: number; top: number }; mask: LayerAbove['mask'] };

/** The layers a write made, as Photoshop's handles. */
export interface AddedLayers {
  main: Layer;
  above: Layer[];
  group?: Layer;
}

const BLEND_MODES: Record<BlendMode, PhotoshopBlendMode> = {
  normal: constants.BlendMode.NORMAL,
  luminosity: constants.BlendMode.LUMINOSITY,
};

/**
 * Adds the result as new pixel layers in the "Mend" group above `source` (see prepareMendGroup): the main layer,
 * then `layersAbove` stacked over it, all inside a new group of their own when `group` names one. Their document
 * must be the active one: layer selection and masks are batchPlay commands on the active document.
 */
export async function addResultLayers(document: Document, source: Layer | null, result: ResultLayers): Promise<AddedLayers> {
  let placement = await prepareMendGroup(document, source);
  let group: Layer | undefined;
  if (result.group) {
    group = await addGroup(document, placement, result.group);
    placement = { relativeTo: group, placement: constants.ElementPlacement.PLACEINSIDE };
  }
  const main = await addLayer(document, placement, result, result.at, result.mask);
  const above: Layer[] = [];
  for (const layer of result.layersAbove ?? []) {
    const below = above.at(-1) ?? main;
    above.push(await addLayer(document, { relativeTo: below, placement: constants.ElementPlacement.PLACEBEFORE }, layer, result.at, layer.mask));
  }
  return { main, above, ...(group ? { group } : {}) };
}

async function addGroup(document: Document, placement: ResultPlacement, name: string): Promise<Layer> {
  // Created next to the selected layer, then moved: select where it goes so it is never made inside another group.
  await selectOnly(placement.relativeTo);
  const group = await document.createLayerGroup({ name });
  if (!group) throw new Error(`Photoshop did not create the group "${name}".`);
  moveUnlessInPlace(group, placement.relativeTo, placement.placement);
  return group;
}

async function addLayer(document: Document, placement: ResultPlacement, content: LayerContent, at: { left: number; top: number }, mask: LayerAbove['mask']): Promise<Layer> {
  await selectOnly(placement.relativeTo);
  const layer = await document.createPixelLayer({ name: content.name, opacity: content.opacity, blendMode: BLEND_MODES[content.blendMode] });
  if (!layer) throw new Error(`Photoshop did not create the layer "${content.name}".`);
  moveUnlessInPlace(layer, placement.relativeTo, placement.placement);
  await putBands(document, layer, content.pixels, at);
  await addLayerMask(layer, mask);
  if (content.visible === false) layer.visible = false;
  return layer;
}

/** Writes the pixels band by band into the new (empty) layer, so only one band is in the panel's memory. */
async function putBands(document: Document, layer: Layer, pixels: BandedPixels, at: { left: number; top: number }): Promise<void> {
  for (const band of bandsOf(pixels.height, rowsPerBand(rowBytes(pixels)))) {
    const data = await pixels.readBand(band.top, band.rows);
    await withImageData(imageDataFromPixels({ ...pixels, height: band.rows, data }), (imageData) =>
      imaging.putPixels({
        documentID: document.id,
        layerID: layer.id,
        imageData,
        // The layer is new and empty; replace: true would discard the bands written before this one.
        replace: false,
        targetBounds: { left: at.left, top: at.top + band.top, width: pixels.width, height: band.rows },
      }),
    );
  }
}
