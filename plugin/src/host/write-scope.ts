import { app } from 'photoshop';
import type { Document } from 'photoshop/dom/Document';
import { findDocument } from './document-lookup';

/**
 * Runs `body` with `document` in front, then brings back the document the user was on. A helper job runs
 * for minutes outside any modal scope and the user may switch documents meanwhile, while batchPlay commands
 * without a document reference (selecting a layer, adding a mask) act on the active document, and layer ids
 * repeat across documents.
 */
export async function withDocumentInFront<T>(document: Document, body: () => Promise<T>): Promise<T> {
  const userDocumentId = app.activeDocument.id;
  if (userDocumentId === document.id) return body();
  app.activeDocument = document;
  try {
    return await body();
  } finally {
    const userDocument = findDocument(userDocumentId);
    if (userDocument) app.activeDocument = userDocument;
  }
}

/** Saved selections get a name no user channel has. */
const SAVED_SELECTION_CHANNEL = 'Mend: saved selection';

/**
 * Runs `body` with nothing selected, then restores the selection exactly (soft edges included) from an alpha
 * channel. Whether putPixels is clipped to an active selection is not documented, so Mend writes with none.
 * Call it inside the history step of the write: a failure rolls the selection back with everything else.
 */
export async function withoutSelection<T>(document: Document, body: () => Promise<T>): Promise<T> {
  if (!document.selection.bounds) return body();
  await document.selection.save(SAVED_SELECTION_CHANNEL);
  await document.selection.deselect();
  const result = await body();
  const channel = document.channels.getByName(SAVED_SELECTION_CHANNEL);
  await document.selection.load(channel);
  await channel.remove();
  return result;
}
