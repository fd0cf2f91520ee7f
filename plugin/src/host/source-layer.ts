import { constants } from 'photoshop';
import type { Document } from 'photoshop/dom/Document';
import type { Layer } from 'photoshop/dom/Layer';
import { HostError } from '../workflows/host';

const { LayerKind } = constants;

const FILL_KINDS: ReadonlySet<string> = new Set([LayerKind.SOLIDFILL, LayerKind.GRADIENTFILL, LayerKind.PATTERNFILL]);

function describeKind(kind: string): string {
  if (kind === LayerKind.TEXT) return 'a text layer';
  if (kind === LayerKind.SMARTOBJECT) return 'a smart object';
  if (kind === LayerKind.GROUP) return 'a group';
  if (kind === LayerKind.VIDEO) return 'a video layer';
  if (kind === LayerKind.LAYER3D) return 'a 3D layer';
  if (FILL_KINDS.has(kind)) return 'a fill layer';
  return 'an adjustment layer';
}

/**
 * The one selected layer, checked to hold pixels Mend can read. Locks do not matter here: reading never
 * changes the layer, and the result goes into a new layer (writes check the group they add to instead).
 */
export function activePixelLayer(document: Document): Layer {
  const selected = Array.from(document.activeLayers);
  if (selected.length === 0) {
    throw new HostError('no_layer', `No layer is selected in "${document.title}". Select the layer to work on in the Layers panel, or use the merged image.`);
  }
  if (selected.length > 1) {
    throw new HostError('no_layer', `${selected.length} layers are selected. Select just one layer, or use the merged image.`);
  }
  const layer = selected[0];
  // The background layer reports the pixel kind too.
  if (layer.kind !== LayerKind.NORMAL) {
    throw new HostError(
      'not_pixel_layer',
      `"${layer.name}" is ${describeKind(layer.kind)}, which has no pixels of its own. Use the merged image instead, or rasterize the layer (Layer > Rasterize).`,
    );
  }
  const bounds = layer.boundsNoEffects;
  if (bounds.right <= bounds.left || bounds.bottom <= bounds.top) {
    throw new HostError('empty_layer', `"${layer.name}" is empty. Select a layer with pixels on it, or use the merged image.`);
  }
  return layer;
}
