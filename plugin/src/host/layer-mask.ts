import { action, imaging } from 'photoshop';
import type { Document } from 'photoshop/dom/Document';
import type { Layer } from 'photoshop/dom/Layer';
import type { HostMask } from '../workflows/host';
import { plainBounds } from './bounds';
import { imageDataFromMask, withImageData } from './image-data';
import { selectOnly } from './select-layer';

/**
 * Gives `layer` a layer mask equal to `mask`: hidden everywhere outside the mask's bounds.
 *
 * The DOM has no call to add a mask, so it is the `make` action of Layer > Layer Mask > Hide All, which
 * acts on the selected layer. Hide All rather than Reveal All: the mask's pixels are then placed into it
 * with `replace: false`, which the Imaging API documents exactly, and whatever the mask does not cover
 * stays hidden ("0 = hidden").
 */
export async function addLayerMask(document: Document, layer: Layer, mask: HostMask): Promise<void> {
  await selectOnly(layer);
  await action.batchPlay(
    [{ _obj: 'make', new: { _class: 'channel' }, at: { _ref: 'channel', _enum: 'channel', _value: 'mask' }, using: { _enum: 'userMaskEnabled', _value: 'hideAll' } }],
    {},
  );
  await withImageData(imageDataFromMask(mask), (imageData) =>
    imaging.putLayerMask({
      documentID: document.id,
      layerID: layer.id,
      kind: 'user',
      imageData,
      replace: false,
      // The Imaging API reads only left and top of targetBounds; the typings ask for a whole rectangle.
      targetBounds: plainBounds(mask.bounds),
    }),
  );
}
