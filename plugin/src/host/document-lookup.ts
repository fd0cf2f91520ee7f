import { app } from 'photoshop';
import type { Document } from 'photoshop/dom/Document';
import type { Layer } from 'photoshop/dom/Layer';
import { HostError } from '../workflows/host';

/** The DOM has no lookup by layer id, so the layer tree is searched (groups included). */
export function findLayer(layers: ArrayLike<Layer>, layerId: number): Layer | undefined {
  for (const layer of Array.from(layers)) {
    if (layer.id === layerId) return layer;
    const children = layer.layers;
    if (children) {
      const found = findLayer(children, layerId);
      if (found) return found;
    }
  }
  return undefined;
}

export function findDocument(documentId: number): Document | undefined {
  return Array.from(app.documents).find((document) => document.id === documentId);
}

export function documentById(documentId: number): Document {
  const document = findDocument(documentId);
  if (!document) {
    throw new HostError('document_changed', 'The document Mend was working on has been closed. Open it again and run Mend once more.');
  }
  return document;
}

export function layerById(document: Document, layerId: number): Layer {
  const layer = findLayer(document.layers, layerId);
  if (!layer) {
    throw new HostError('document_changed', `The layer Mend was working on is no longer in "${document.title}" (deleted or merged). Select a layer and run Mend again.`);
  }
  return layer;
}

/** The document in front, or a HostError when none is open. */
export function activeDocument(): Document {
  if (app.documents.length === 0) throw new HostError('no_document', 'Open an image in Photoshop first.');
  return app.activeDocument;
}
