import { constants, imaging } from 'photoshop';
import type { BlendMode as PhotoshopBlendMode } from 'photoshop/dom/Constants';
import type { Document } from 'photoshop/dom/Document';
import type { Layer } from 'photoshop/dom/Layer';
import type { BlendMode, LayerWrite } from '../workflows/host';
import { imageDataFromPixels, withImageData } from './image-data';
import { addLayerMask } from './layer-mask';
import { prepareMendGroup } from './mend-group';
import { selectOnly } from './select-layer';

export type ResultLayer = Pick<LayerWrite, 'name' | 'pixels' | 'at' | 'mask' | 'opacity' | 'blendMode'>;

const BLEND_MODES: Record<BlendMode, PhotoshopBlendMode> = {
  normal: constants.BlendMode.NORMAL,
  luminosity: constants.BlendMode.LUMINOSITY,
};

/** Adds the result as a new pixel layer in the "Mend" group above `source` (see prepareMendGroup). */
export async function addResultLayer(document: Document, source: Layer | null, result: ResultLayer): Promise<Layer> {
  const placement = await prepareMendGroup(document, source);
  // Created next to the selected layer, then moved: select where it goes so it is never made inside another group.
  await selectOnly(placement.relativeTo);
  const layer = await document.createPixelLayer({ name: result.name, opacity: result.opacity, blendMode: BLEND_MODES[result.blendMode] });
  if (!layer) throw new Error(`Photoshop did not create the layer "${result.name}".`);
  layer.move(placement.relativeTo, placement.placement);
  await withImageData(imageDataFromPixels(result.pixels), (imageData) =>
    imaging.putPixels({
      documentID: document.id,
      layerID: layer.id,
      imageData,
      replace: true,
      targetBounds: { left: result.at.left, top: result.at.top, width: result.pixels.width, height: result.pixels.height },
    }),
  );
  if (result.mask) await addLayerMask(document, layer, result.mask);
  return layer;
}
