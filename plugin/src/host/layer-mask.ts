import { action, imaging } from 'photoshop';
import type { Layer } from 'photoshop/dom/Layer';
import type { HostMask } from '../workflows/host';
import { plainBounds } from './bounds';
import { imageDataFromMask, withImageData } from './image-data';
import { selectOnly } from './select-layer';

/**
 * Gives `layer` a layer mask: reveal-all, or equal to `mask` and hidden everywhere outside the mask's bounds.
 *
 * The DOM has no call to add a mask, so it is the `make` action of Layer > Layer Mask > Reveal All / Hide
 * All, which acts on the selected layer of the active document. Hide All under a given mask: its pixels are
 * then placed with `replace: false`, which the Imaging API documents exactly, and whatever the mask does not
 * cover stays hidden ("0 = hidden").
 */
export async function addLayerMask(layer: Layer, mask: HostMask | 'reveal-all'): Promise<void> {
  await selectOnly(layer);
  const using = mask === 'reveal-all' ? 'revealAll' : 'hideAll';
  await action.batchPlay(
    [{ _obj: 'make', new: { _class: 'channel' }, at: { _ref: 'channel', _enum: 'channel', _value: 'mask' }, using: { _enum: 'userMaskEnabled', _value: using } }],
    {},
  );
  if (mask === 'reveal-all') return;
  await withImageData(imageDataFromMask(mask), (imageData) =>
    imaging.putLayerMask({
      documentID: layer.document.id,
      layerID: layer.id,
      kind: 'user',
      imageData,
      replace: false,
      // The Imaging API reads only left and top of targetBounds; the typings ask for a whole rectangle.
      targetBounds: plainBounds(mask.bounds),
    }),
  );
}
