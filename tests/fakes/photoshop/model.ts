import type { BlendModeValue, DocumentModeValue, LayerKindValue } from './constants';

/**
 * The fake's Photoshop state. DOM objects are handles (an id) resolved against these records on every
 * access, as Photoshop's own DOM objects are, so rolling a document back simply swaps its records.
 */

/** Samples per pixel of a layer's raster: the document's color channels plus alpha. Full canvas, row-major. */
export type Samples = Uint8Array | Uint16Array;

export interface LayerRecord {
  id: number;
  name: string;
  kind: LayerKindValue;
  visible: boolean;
  opacity: number;
  blendMode: BlendModeValue;
  allLocked: boolean;
  pixelsLocked: boolean;
  positionLocked: boolean;
  transparentPixelsLocked: boolean;
  isBackground: boolean;
  /** Pixel layers: color channels + alpha over the whole canvas. */
  raster?: Samples;
  /** The user (pixel) mask over the whole canvas, 0 hidden .. 255 shown. */
  mask?: Uint8Array;
  /** Groups: children, top first (as `Layer.layers` lists them). */
  children?: LayerRecord[];
}

export interface DocumentRecord {
  id: number;
  title: string;
  width: number;
  height: number;
  resolution: number;
  mode: DocumentModeValue;
  depth: 8 | 16 | 32;
  /** Top-level layers, top first. */
  layers: LayerRecord[];
  activeLayerIds: number[];
  /** The document's color profile, e.g. "ProPhoto RGB"; pixels are stored in it. */
  profile: string;
  /** Selection over the whole canvas (0..255), absent when nothing is selected. */
  selection?: Uint8Array;
  /** Alpha channels (saved selections), over the whole canvas. */
  alphaChannels: Array<{ id: number; name: string; data: Uint8Array }>;
  /** Layer ids are unique within a document only, as in Photoshop: another document may use the same ids. */
  nextLayerId: number;
  /** Names of the history steps made since the document was added to the fake. */
  history: string[];
}

interface Suspension {
  id: number;
  documentId: number;
  name: string;
  saved: Omit<DocumentRecord, 'history'>;
  changed: boolean;
}

export class FakeError extends Error {
  constructor(
    message: string,
    readonly number?: number,
  ) {
    super(message);
    this.name = 'FakePhotoshopError';
  }
}

/** Thrown for anything the fake does not model, so a test cannot pass on behaviour Photoshop might not have. */
export function notModeled(what: string): never {
  throw new FakeError(`fake photoshop does not model ${what}`);
}

export function colorChannels(mode: DocumentModeValue): 1 | 3 {
  return mode === 'grayscaleMode' ? 1 : 3;
}

/** Bytes of pixels the fake Photoshop holds: layers, masks, selections, channels and live image data. */
export function photoshopOwnedBytes(): number {
  let bytes = 0;
  const count = (layers: LayerRecord[]): void => {
    for (const layer of layers) {
      bytes += (layer.raster?.byteLength ?? 0) + (layer.mask?.byteLength ?? 0);
      if (layer.children) count(layer.children);
    }
  };
  for (const document of state.documents) {
    count(document.layers);
    bytes += (document.selection?.byteLength ?? 0) + document.alphaChannels.reduce((sum, channel) => sum + channel.data.byteLength, 0);
  }
  for (const suspension of state.suspensions) count(suspension.saved.layers);
  for (const imageData of state.liveImageData) bytes += imageData.byteLength;
  return bytes;
}

export function maxSample(depth: 8 | 16 | 32): number {
  return depth === 16 ? 32768 : 255;
}

class FakeState {
  documents: DocumentRecord[] = [];
  activeDocumentId: number | undefined;
  nextId = 1;
  modalDepth = 0;
  otherPluginIsModal = false;
  suspensions: Suspension[] = [];
  autoCloseDocumentIds = new Set<number>();
  liveImageData = new Set<{ readonly byteLength: number }>();
  /** Operations told to fail once, by name (e.g. "imaging.putLayerMask"). */
  failures = new Set<string>();

  reset(): void {
    this.documents = [];
    this.activeDocumentId = undefined;
    this.nextId = 1;
    this.modalDepth = 0;
    this.otherPluginIsModal = false;
    this.suspensions = [];
    this.autoCloseDocumentIds.clear();
    this.liveImageData.clear();
    this.failures.clear();
  }

  /** Throws when a test asked `operation` to fail, as Photoshop may fail any call (out of memory, scratch disk full). */
  failIfAsked(operation: string): void {
    if (!this.failures.delete(operation)) return;
    throw new FakeError(`${operation} failed (asked by the test)`);
  }

  newId(): number {
    return this.nextId++;
  }

  document(documentId: number | undefined): DocumentRecord {
    const id = documentId === undefined || documentId < 0 ? this.activeDocumentId : documentId;
    const document = this.documents.find((candidate) => candidate.id === id);
    if (!document) throw new FakeError(`no document with id ${String(id)}`);
    return document;
  }

  /** Photoshop (API version 2) refuses state changes and pixel access outside executeAsModal. */
  assertModal(what: string): void {
    if (this.modalDepth === 0) throw new FakeError(`${what} requires a modal scope (core.executeAsModal)`);
  }

  /** A change to the document: one history step of its own, or part of the suspended step. */
  recordChange(document: DocumentRecord, stepName: string): void {
    const suspension = this.suspensions.find((candidate) => candidate.documentId === document.id);
    if (suspension) suspension.changed = true;
    else document.history.push(stepName);
  }

  suspend(documentId: number, name: string): number {
    const document = this.document(documentId);
    if (this.suspensions.some((candidate) => candidate.documentId === documentId)) notModeled('nested history suspension on one document');
    const { history: _history, ...saved } = document;
    const id = this.newId();
    this.suspensions.push({ id, documentId, name, saved: structuredClone(saved), changed: false });
    return id;
  }

  resume(suspensionId: number, commit: boolean): void {
    const suspension = this.suspensions.find((candidate) => candidate.id === suspensionId);
    if (!suspension) throw new FakeError(`no history suspension ${suspensionId}`);
    this.suspensions = this.suspensions.filter((candidate) => candidate !== suspension);
    const document = this.documents.find((candidate) => candidate.id === suspension.documentId);
    if (!document) return;
    if (!commit) Object.assign(document, suspension.saved);
    else if (suspension.changed) document.history.push(suspension.name);
  }

  closeDocument(documentId: number): void {
    this.documents = this.documents.filter((document) => document.id !== documentId);
    this.suspensions = this.suspensions.filter((suspension) => suspension.documentId !== documentId);
    if (this.activeDocumentId === documentId) this.activeDocumentId = this.documents.at(-1)?.id;
  }
}

export const state = new FakeState();

export interface LayerPosition {
  layer: LayerRecord;
  parent: LayerRecord | null;
  siblings: LayerRecord[];
}

export function locateLayer(document: DocumentRecord, layerId: number): LayerPosition | undefined {
  const search = (siblings: LayerRecord[], parent: LayerRecord | null): LayerPosition | undefined => {
    for (const layer of siblings) {
      if (layer.id === layerId) return { layer, parent, siblings };
      const found = layer.children && search(layer.children, layer);
      if (found) return found;
    }
    return undefined;
  };
  return search(document.layers, null);
}

export function layerRecord(document: DocumentRecord, layerId: number): LayerRecord {
  const position = locateLayer(document, layerId);
  if (!position) throw new FakeError(`no layer with id ${layerId} in document ${document.id}`);
  return position.layer;
}

export function isInside(layer: LayerRecord, ancestor: LayerRecord): boolean {
  return (ancestor.children ?? []).some((child) => child === layer || isInside(layer, child));
}
