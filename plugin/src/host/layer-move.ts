import { constants } from 'photoshop';
import type { ElementPlacement } from 'photoshop/dom/Constants';
import type { Layer } from 'photoshop/dom/Layer';

/** Whether `layer` already sits where `move(relativeTo, placement)` would put it. */
function isInPlace(layer: Layer, relativeTo: Layer, placement: ElementPlacement): boolean {
  const { ElementPlacement } = constants;
  if (placement === ElementPlacement.PLACEINSIDE) return layer.parent?.id === relativeTo.id && relativeTo.layers?.[0]?.id === layer.id;
  if (layer.parent?.id !== relativeTo.parent?.id) return false;
  // Layer objects are handles made afresh on each access, so layers are compared by id.
  const siblings = Array.from(layer.parent ? (layer.parent.layers ?? []) : layer.document.layers).map((sibling) => sibling.id);
  const offset = siblings.indexOf(relativeTo.id) - siblings.indexOf(layer.id);
  if (placement === ElementPlacement.PLACEBEFORE) return offset === 1;
  if (placement === ElementPlacement.PLACEAFTER) return offset === -1;
  return false;
}

/**
 * `Layer.move`, skipped when it would not move anything: since Photoshop 23.4.1 a move "may be more
 * sensitive to the state of your Document, and throw where it previously had not" (Adobe's known issues),
 * and a new layer usually appears exactly where it belongs.
 */
export function moveUnlessInPlace(layer: Layer, relativeTo: Layer, placement: ElementPlacement): void {
  if (!isInPlace(layer, relativeTo, placement)) layer.move(relativeTo, placement);
}
