import { constants, imaging } from 'photoshop';
import type { BlendMode as PhotoshopBlendMode } from 'photoshop/dom/Constants';
import type { Document } from 'photoshop/dom/Document';
import type { Layer } from 'photoshop/dom/Layer';
import { bandsOf, rowBytes, rowsPerBand } from '../workflows/bands';
import type { BandedPixels, BlendMode, LayerWrite } from '../workflows/host';
import { imageDataFromPixels, withImageData } from './image-data';
import { addLayerMask } from './layer-mask';
import { moveUnlessInPlace } from './layer-move';
import { prepareMendGroup } from './mend-group';
import { selectOnly } from './select-layer';

export type ResultLayer = Pick<LayerWrite, 'name' | 'pixels' | 'at' | 'opacity' | 'blendMode'> & { mask?: LayerWrite['mask'] };

const BLEND_MODES: Record<BlendMode, PhotoshopBlendMode> = {
  normal: constants.BlendMode.NORMAL,
  luminosity: constants.BlendMode.LUMINOSITY,
};

/**
 * Adds the result as a new pixel layer in the "Mend" group above `source` (see prepareMendGroup). Its
 * document must be the active one: layer selection and masks are batchPlay commands on the active document.
 */
export async function addResultLayer(document: Document, source: Layer | null, result: ResultLayer): Promise<Layer> {
  const placement = await prepareMendGroup(document, source);
  // Created next to the selected layer, then moved: select where it goes so it is never made inside another group.
  await selectOnly(placement.relativeTo);
  const layer = await document.createPixelLayer({ name: result.name, opacity: result.opacity, blendMode: BLEND_MODES[result.blendMode] });
  if (!layer) throw new Error(`Photoshop did not create the layer "${result.name}".`);
  moveUnlessInPlace(layer, placement.relativeTo, placement.placement);
  await putBands(document, layer, result.pixels, result.at);
  if (result.mask) await addLayerMask(layer, result.mask);
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
