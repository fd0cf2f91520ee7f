import { app, constants, imaging } from 'photoshop';
import type { Host, LayerWrite, NewDocumentWrite, ResizeAndWrite, WrittenLayer } from '../workflows/host';
import { plainBounds } from './bounds';
import { documentById, layerById } from './document-lookup';
import { imageDataFromMask, withImageData } from './image-data';
import { asOneHistoryStep, inModalScope } from './modal-scope';
import { readSource } from './read-source';
import { addResultLayer } from './result-layer';
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
  };
}

function writeLayer(write: LayerWrite): Promise<WrittenLayer> {
  return inModalScope(write.historyName, async (context) => {
    const document = documentById(write.documentId);
    const source = write.aboveLayerId === null ? null : layerById(document, write.aboveLayerId);
    const layer = await withDocumentInFront(document, () =>
      asOneHistoryStep(context, document.id, write.historyName, () => withoutSelection(document, () => addResultLayer(document, source, write))),
    );
    return { documentId: document.id, layerId: layer.id };
  });
}

function resizeAndWrite(write: ResizeAndWrite): Promise<WrittenLayer> {
  return inModalScope(write.historyName, async (context) => {
    const document = documentById(write.documentId);
    const source = write.aboveLayerId === null ? null : layerById(document, write.aboveLayerId);
    const layer = await withDocumentInFront(document, () =>
      asOneHistoryStep(context, document.id, write.historyName, () =>
        withoutSelection(document, async () => {
          await document.resizeImage(write.width, write.height);
          // `at` and `mask` are in the resampled document's pixels.
          return addResultLayer(document, source, write);
        }),
      ),
    );
    return { documentId: document.id, layerId: layer.id };
  });
}

function writeNewDocument(write: NewDocumentWrite): Promise<WrittenLayer> {
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
    const layer = await asOneHistoryStep(context, document.id, write.historyName, async () => {
      const written = await addResultLayer(document, null, { ...write, at: { left: 0, top: 0 } });
      for (const emptyLayer of emptyLayers) emptyLayer.delete();
      return written;
    });
    await context.hostControl.unregisterAutoCloseDocument(document.id);
    return { documentId: document.id, layerId: layer.id };
  });
}
