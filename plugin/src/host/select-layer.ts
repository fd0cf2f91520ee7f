import { action } from 'photoshop';
import type { Layer } from 'photoshop/dom/Layer';

/**
 * Makes `layer` the only selected layer of its document. `Layer.selected` is not part of the documented
 * DOM, so this is the `select` action Photoshop records when a layer is clicked in the Layers panel.
 */
export async function selectOnly(layer: Layer): Promise<void> {
  await action.batchPlay([{ _obj: 'select', _target: [{ _ref: 'layer', _id: layer.id }], makeVisible: false }], {});
}
