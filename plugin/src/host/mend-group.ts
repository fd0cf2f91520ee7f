import { constants } from 'photoshop';
import type { ElementPlacement } from 'photoshop/dom/Constants';
import type { Document } from 'photoshop/dom/Document';
import type { Layer } from 'photoshop/dom/Layer';
import { HostError } from '../workflows/host';
import { moveUnlessInPlace } from './layer-move';
import { selectOnly } from './select-layer';

const MEND_GROUP_NAME = 'Mend';

/** Where a result layer goes: `Layer.move(relativeTo, placement)`. */
export interface ResultPlacement {
  relativeTo: Layer;
  placement: ElementPlacement;
}

function isMendGroup(layer: Layer | null | undefined): layer is Layer {
  return !!layer && layer.kind === constants.LayerKind.GROUP && layer.name === MEND_GROUP_NAME;
}

function assertCanAddTo(group: Layer): void {
  if (group.allLocked) {
    throw new HostError('locked_layer', `The group "${group.name}" is locked, so Mend cannot add its result to it. Unlock the group in the Layers panel, then try again.`);
  }
}

/**
 * Results live in a group named "Mend" that sits where the source layer was, directly above it, so the
 * source stays untouched underneath and one click on the group's eye compares before and after:
 * - source inside a Mend group already (a result worked on again): the new layer goes directly above it;
 * - a Mend group directly above the source: the new layer goes on top inside it;
 * - otherwise a Mend group is created directly above the source, the new layer inside it.
 * Without a source layer (the merged image), the Mend group is the document's top layer.
 */
export async function prepareMendGroup(document: Document, source: Layer | null): Promise<ResultPlacement> {
  const { ElementPlacement } = constants;
  const parent = source ? source.parent : null;
  if (source && isMendGroup(parent)) {
    assertCanAddTo(parent);
    return { relativeTo: source, placement: ElementPlacement.PLACEBEFORE };
  }
  if (parent) assertCanAddTo(parent);

  // Layer objects are handles made afresh on each access, so layers are compared by id.
  const siblings = Array.from(parent ? (parent.layers ?? []) : document.layers);
  const layerAbove = source ? siblings[siblings.findIndex((layer) => layer.id === source.id) - 1] : siblings[0];

  let group: Layer;
  if (isMendGroup(layerAbove)) {
    assertCanAddTo(layerAbove);
    group = layerAbove;
  } else {
    // New layers appear next to the selected layer; selecting where the group goes keeps them out of
    // whatever group (perhaps a locked one) the user had selected.
    const groupGoesAbove = source ?? siblings[0];
    if (groupGoesAbove) await selectOnly(groupGoesAbove);
    const created = await document.createLayerGroup({ name: MEND_GROUP_NAME });
    if (!created) throw new Error('Photoshop did not create the "Mend" group.');
    group = created;
    if (groupGoesAbove) moveUnlessInPlace(group, groupGoesAbove, ElementPlacement.PLACEBEFORE);
  }

  const topOfGroup = group.layers?.[0];
  return topOfGroup ? { relativeTo: topOfGroup, placement: ElementPlacement.PLACEBEFORE } : { relativeTo: group, placement: ElementPlacement.PLACEINSIDE };
}
