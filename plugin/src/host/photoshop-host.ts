import { app, constants, imaging } from 'photoshop';
import type { Document } from 'photoshop/dom/Document';
import type { Host, KeepLayer, LayerWrite, NewDocumentWrite, ResizeAndWrite, WrittenLayers } from '../workflows/host';
import { plainBounds } from './bounds';
import { documentById, findLayer, layerById } from './document-lookup';
import { imageDataFromMask, withImageData } from './image-data';
import { readLayerAlpha, readLayerMask, writeLayerMask } from './layer-pixels';
import { moveUnlessInPlace } from './layer-move';
import { pictureUrl } from './picture-url';
import { asOneHistoryStep, inModalScope } from './modal-scope';
import { readSource } from './read-source';
import { type AddedLayers, addResultLayers } from './result-layer';
import { selectOnly } from './select-layer';
import { withDocumentInFront, withoutSelection } from './write-scope';

/** Photoshop's own default for new documents; the contract does not carry the source's resolution. */
const NEW_DOCUMENT_RESOLUTION = 72;

/**
 * The Host over Photoshop's UXP APIs. Every write is one modal scope holding one history step, rolled back
 * when anything in it fails. Locked layers: reading one is fine (nothing is written into a source layer);
 * a write fails with `locked_layer` only when the group it must add the result to is fully locked.
 */
export function createPhotoshopHost(): Host {
  return {
    read: readSource,
    writeLayer,
    writeNewDocument,
    resizeAndWrite,

    selectMask: (documentId, mask, historyName) =>
      inModalScope(historyName, async (context) => {
        const document = documentById(documentId);
        await asOneHistoryStep(context, document.id, historyName, () =>
          withImageData(imageDataFromMask(mask), (imageData) =>
            imaging.putSelection({ documentID: document.id, imageData, replace: true, targetBounds: plainBounds(mask.bounds) }),
          ),
        );
      }),

    // Photoshop makes layer visibility undoable only when the user asks for it in the History Options; Mend adds no step.
    setLayerVisible: (written, visible) =>
      inModalScope(visible ? 'Mend: show result' : 'Mend: hide result', async () => {
        layerById(documentById(written.documentId), written.layerId).visible = visible;
      }),

    reveal: (written) =>
      inModalScope('Mend: reveal result', async () => {
        const document = documentById(written.documentId);
        const layer = layerById(document, written.layerId);
        app.activeDocument = document;
        await selectOnly(layer);
      }),

    readLayerMask: (written, bounds) => inModalScope('Mend: read a layer mask', async () => readLayerMask(located(written), bounds)),

    readLayerAlpha: (written, bounds) => inModalScope('Mend: read a layer', async () => readLayerAlpha(located(written), bounds)),

    setLayerMask: (written, mask, historyName) =>
      inModalScope(historyName, async (context) => {
        const { document, layer } = located(written);
        // As for pixels: whether an active selection clips putLayerMask is not documented, so it writes with none.
        await withDocumentInFront(document, () =>
          asOneHistoryStep(context, document.id, historyName, () => withoutSelection(document, () => writeLayerMask({ document, layer }, mask))),
        );
      }),

    keepLayer,
    pictureUrl,
  };
}

function located(written: { documentId: number; layerId: number }) {
  const document = documentById(written.documentId);
  return { document, layer: layerById(document, written.layerId) };
}

function writtenLayers(document: Document, added: AddedLayers): WrittenLayers {
  const written = (layer: { id: number }) => ({ documentId: document.id, layerId: layer.id });
  return { ...written(added.main), layersAbove: added.above.map(written), ...(added.group ? { group: written(added.group) } : {}) };
}

function writeLayer(write: LayerWrite): Promise<WrittenLayers> {
  return inModalScope(write.historyName, async (context) => {
    const document = documentById(write.documentId);
    const source = write.aboveLayerId === null ? null : layerById(document, write.aboveLayerId);
    const added = await withDocumentInFront(document, () =>
      asOneHistoryStep(context, document.id, write.historyName, () => withoutSelection(document, () => addResultLayers(document, source, write))),
    );
    return writtenLayers(document, added);
  });
}

function resizeAndWrite(write: ResizeAndWrite): Promise<WrittenLayers> {
  return inModalScope(write.historyName, async (context) => {
    const document = documentById(write.documentId);
    const source = write.aboveLayerId === null ? null : layerById(document, write.aboveLayerId);
    const added = await withDocumentInFront(document, () =>
      asOneHistoryStep(context, document.id, write.historyName, () =>
        withoutSelection(document, async () => {
          await document.resizeImage(write.width, write.height);
          // `at` and `mask` are in the resampled document's pixels.
          return addResultLayers(document, source, write);
        }),
      ),
    );
    return writtenLayers(document, added);
  });
}

function writeNewDocument(write: NewDocumentWrite): Promise<WrittenLayers> {
  return inModalScope(write.historyName, async (context) => {
    const gray = write.pixels.channels <= 2;
    const document = await app.createDocument({
      name: write.title,
      width: write.width,
      height: write.height,
      resolution: NEW_DOCUMENT_RESOLUTION,
      mode: gray ? constants.NewDocumentMode.GRAYSCALE : constants.NewDocumentMode.RGB,
      fill: constants.DocumentFill.TRANSPARENT,
      depth: write.pixels.bitDepth,
      // The source's own profile, so its colours arrive unconverted; an unmanaged source leaves Photoshop's default.
      ...(write.pixels.colorProfile ? { profile: write.pixels.colorProfile } : {}),
    });
    if (!document) throw new Error(`Photoshop did not create the document "${write.title}".`);
    // Photoshop closes a registered document when the scope ends, so a failure below leaves no half-made window.
    await context.hostControl.registerAutoCloseDocument(document.id);
    // A transparent new document starts with an empty "Layer 1"; the result replaces it.
    const emptyLayers = Array.from(document.layers);
    const added = await asOneHistoryStep(context, document.id, write.historyName, async () => {
      // A reveal-all mask, as every result has: "Mask out invented detail" and the user paint into it.
      const layers = await addResultLayers(document, null, { ...write, at: { left: 0, top: 0 }, mask: 'reveal-all' });
      for (const emptyLayer of emptyLayers) emptyLayer.delete();
      return layers;
    });
    await context.hostControl.unregisterAutoCloseDocument(document.id);
    return writtenLayers(document, added);
  });
}

/**
 * Deletes the layers not kept (each on its own: deleting a group whose layers are still in it is not documented),
 * shows the kept one, moves it out to where its group was, and deletes the group once nothing else is in it.
 */
function keepLayer({ keep, discard, group, historyName }: KeepLayer): Promise<void> {
  return inModalScope(historyName, async (context) => {
    const document = documentById(keep.documentId);
    layerById(document, keep.layerId);
    await withDocumentInFront(document, () =>
      asOneHistoryStep(context, document.id, historyName, async () => {
        for (const { layerId } of discard) findLayer(document.layers, layerId)?.delete();
        const kept = layerById(document, keep.layerId);
        kept.visible = true;
        const groupLayer = findLayer(document.layers, group.layerId);
        if (!groupLayer || kept.parent?.id !== groupLayer.id) return;
        moveUnlessInPlace(kept, groupLayer, constants.ElementPlacement.PLACEBEFORE);
        if ((groupLayer.layers?.length ?? 0) === 0) groupLayer.delete();
      }),
    );
  });
}
