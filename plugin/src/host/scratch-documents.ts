import { app, constants, imaging } from 'photoshop';
import type { Layer } from 'photoshop/dom/Layer';
import { host, storage } from 'uxp';
import type { ScratchHost } from '../selftest/scratch';
import { documentById, layerById } from './document-lookup';
import { imageDataFromPixels, takePixels, withImageData } from './image-data';
import { inModalScope } from './modal-scope';

const SELF_TEST_STORAGE_KEY = 'mend.self-test';

function countLayers(layers: ArrayLike<Layer>): number {
  return Array.from(layers).reduce((count, layer) => count + 1 + (layer.layers ? countLayers(layer.layers) : 0), 0);
}

/** The self-test's scratch documents over Photoshop's APIs: made, inspected and closed without saving. */
export function createScratchHost(): ScratchHost {
  return {
    photoshopVersion: `${host.name} ${host.version}`,

    createDocument: (title, pixels) =>
      inModalScope('Mend: self-test document', async () => {
        const gray = pixels.channels <= 2;
        const document = await app.createDocument({
          name: title,
          width: pixels.width,
          height: pixels.height,
          resolution: 72,
          mode: gray ? constants.NewDocumentMode.GRAYSCALE : constants.NewDocumentMode.RGB,
          fill: constants.DocumentFill.TRANSPARENT,
          depth: pixels.bitDepth,
        });
        if (!document) throw new Error(`Photoshop did not create the document "${title}".`);
        const [layer] = Array.from(document.layers);
        await withImageData(imageDataFromPixels(pixels), (imageData) => imaging.putPixels({ documentID: document.id, layerID: layer.id, imageData, replace: true }));
        return { documentId: document.id, layerId: layer.id };
      }),

    bringToFront: (documentId) =>
      inModalScope('Mend: self-test document to front', async () => {
        app.activeDocument = documentById(documentId);
      }),

    selectRectangle: (documentId, bounds) =>
      inModalScope('Mend: self-test selection', async () => {
        await documentById(documentId).selection.selectRectangle(bounds);
      }),

    readLayer: (documentId, layerId) =>
      inModalScope('Mend: self-test read', async () => {
        const document = documentById(documentId);
        const colorSpace = document.mode === constants.DocumentMode.GRAYSCALE ? 'Grayscale' : 'RGB';
        const result = await imaging.getPixels({
          documentID: documentId,
          layerID: layerId,
          colorSpace,
          sourceBounds: { left: 0, top: 0, right: document.width, bottom: document.height },
        });
        return takePixels(result.imageData);
      }),

    describeLayer: async (documentId, layerId) => {
      const layer = layerById(documentById(documentId), layerId);
      return { name: layer.name, blendMode: String(layer.blendMode), parentName: layer.parent ? layer.parent.name : null, visible: layer.visible };
    },

    activeDocumentId: async () => app.activeDocument.id,

    documentSize: async (documentId) => {
      const document = documentById(documentId);
      return { width: document.width, height: document.height, historyStates: document.historyStates.length, layers: countLayers(document.layers) };
    },

    secureStorageRoundTrip: async () => {
      const secureStorage = storage.secureStorage;
      const written = Uint8Array.from([77, 101, 110, 100]);
      await secureStorage.setItem(SELF_TEST_STORAGE_KEY, written);
      const read = await secureStorage.getItem(SELF_TEST_STORAGE_KEY);
      await secureStorage.removeItem(SELF_TEST_STORAGE_KEY);
      if (!read || Array.from(read).join() !== Array.from(written).join())
        throw new Error(`secure storage gave back ${read ? Array.from(read).join(',') : String(read)} for 77,101,110,100`);
    },

    closeWithoutSaving: (documentId) =>
      inModalScope('Mend: close self-test document', async () => {
        documentById(documentId).closeWithoutSaving();
      }),
  };
}
