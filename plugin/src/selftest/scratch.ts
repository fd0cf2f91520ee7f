import type { Bounds, HostPixels } from '../workflows/host';

/** What the self-test needs of Photoshop beyond the panel's own Host: scratch documents it makes, inspects and throws away. */
export interface ScratchHost {
  photoshopVersion: string;
  /** A new document holding `pixels` in one layer (RGB or Gray by the channels), the front document. */
  createDocument(title: string, pixels: HostPixels): Promise<{ documentId: number; layerId: number }>;
  bringToFront(documentId: number): Promise<void>;
  selectRectangle(documentId: number, bounds: Bounds): Promise<void>;
  /** The layer's pixels over the whole canvas, at the document's depth. */
  readLayer(documentId: number, layerId: number): Promise<HostPixels>;
  describeLayer(documentId: number, layerId: number): Promise<{ name: string; blendMode: string; parentName: string | null; visible: boolean }>;
  activeDocumentId(): Promise<number>;
  documentSize(documentId: number): Promise<{ width: number; height: number; historyStates: number; layers: number }>;
  /** Writes, reads back and removes an item of UXP secure storage under a key of its own. */
  secureStorageRoundTrip(): Promise<void>;
  closeWithoutSaving(documentId: number): Promise<void>;
}
