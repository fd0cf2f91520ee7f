/**
 * What the panel's workflows need from Photoshop, in plain types. `plugin/src/host/` implements it
 * over the `photoshop`/`uxp` modules; tests run the same implementation over an in-memory fake of
 * those modules, so workflows never see Photoshop's API.
 */

import type { ChannelCount } from '@mend/protocol';

/** A rectangle in document pixels, edges exclusive on the right and bottom (Photoshop's own convention). */
export interface Bounds {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export type Samples = Uint8Array | Uint16Array;

/**
 * How interleaved pixels are laid out. `channels`: 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA. 16-bit samples
 * use Photoshop's range 0..32768 (`PHOTOSHOP_16_BIT_MAX`). `colorProfile` names the profile the samples are in: the document's own
 * (e.g. "ProPhoto RGB"), so wide-gamut colours survive the round trip unclipped.
 */
export interface PixelFormat {
  width: number;
  height: number;
  channels: ChannelCount;
  bitDepth: 8 | 16;
  colorProfile: string;
}

/** An 8-bit RGB image the panel shows as a picture (a face's thumbnail). */
export interface RgbPicture {
  width: number;
  height: number;
  /** Row by row, 3 samples a pixel. */
  data: Uint8Array;
}

/** Pixels held whole: small images (the self-test's, a mask's source) and single bands. */
export interface HostPixels extends PixelFormat {
  data: Samples;
}

/**
 * An image handed over band by band, so the panel holds one band at a time whatever the document's size
 * (UXP stops a plugin at about 600 MB). `readBand` answers rows [top, top + rows) as a fresh array.
 */
export interface BandedPixels extends PixelFormat {
  readBand(top: number, rows: number): Promise<Samples>;
}

/** An 8-bit single-channel mask (0 = not selected / hidden, 255 = fully selected / shown). */
export interface HostMask {
  bounds: Bounds;
  data: Uint8Array;
}

export type SourceKind = 'layer' | 'merged';

export interface ReadRequest {
  source: SourceKind;
  /**
   * With an active selection: the document region to read for that selection (its bounds plus context,
   * clipped to the document). Not called when nothing is selected; the whole layer or image is read then.
   */
  regionForSelection(selection: Bounds, document: { width: number; height: number }): Bounds;
}

export interface SourceRead {
  documentId: number;
  documentTitle: string;
  documentWidth: number;
  documentHeight: number;
  /** The layer read, or null for the merged image. */
  layerId: number | null;
  layerName: string;
  /** Readable only while the `consume` callback given to `Host.read` runs (inside its modal scope). */
  pixels: BandedPixels;
  /** Where `pixels` sit in the document: the layer's pixel bounds (or the canvas), within the region asked for. */
  bounds: Bounds;
  /** The active selection as Photoshop holds it (soft edges kept), or absent when nothing is selected. */
  selection?: HostMask;
}

export type BlendMode = 'normal' | 'luminosity';

/** One layer's pixels and look. */
export interface LayerContent {
  /** The layer's name, e.g. "Upscale · realesrgan-x4plus". */
  name: string;
  pixels: BandedPixels;
  /** 0..100 */
  opacity: number;
  blendMode: BlendMode;
  /** False: written hidden (an overlay shown on demand, a Compare variant not shown yet). Shown when absent. */
  visible?: boolean;
}

/** A layer written above the main one in the same history step, at the same place. */
export interface LayerAbove extends LayerContent {
  /** Its layer mask (document coordinates); 'reveal-all' shows the whole layer and costs no pixels. */
  mask: HostMask | 'reveal-all';
}

/** Layers written together in one history step: the main one, perhaps more above it, perhaps in a group of their own. */
export interface LayerStack extends LayerContent {
  /** More layers stacked directly above the main one, bottom first (e.g. the map of invented detail, a hidden overlay). */
  layersAbove?: LayerAbove[];
  /** The main layer and `layersAbove` go into a new group of this name inside the "Mend" group (e.g. "Compare"). */
  group?: string;
  /** The single history step's name, e.g. "Mend Upscale". */
  historyName: string;
}

export interface LayerWrite extends LayerStack {
  documentId: number;
  /** The new layers go directly above this layer (inside the "Mend" group); null: top of the document. */
  aboveLayerId: number | null;
  /** Where the pixels' top-left corner lands in the document. */
  at: { left: number; top: number };
  /** The main layer's mask (document coordinates); 'reveal-all' shows the whole layer and costs no pixels. */
  mask: HostMask | 'reveal-all';
}

export interface NewDocumentWrite extends LayerStack {
  /** The new document's title, e.g. "photo ×4". */
  title: string;
  width: number;
  height: number;
}

export interface ResizeAndWrite extends LayerWrite {
  /** The document is resampled to this size first (the original layers with it), then the layer is added (`at` and `mask` in the new size). */
  width: number;
  height: number;
}

export interface WrittenLayer {
  documentId: number;
  layerId: number;
}

/** What a write made: the main layer, the layers above it (in the order asked for), and their group when one was asked for. */
export interface WrittenLayers extends WrittenLayer {
  layersAbove: WrittenLayer[];
  group?: WrittenLayer;
}

/** An 8-bit single-channel mask handed over band by band: `readBand` answers rows [top, top + rows) of `bounds`. */
export interface BandedMask {
  bounds: Bounds;
  readBand(top: number, rows: number): Promise<Uint8Array>;
}

/** Keeping one layer of a group the panel wrote (the chosen Compare variant). */
export interface KeepLayer {
  keep: WrittenLayer;
  /** The layers to delete (the variants not chosen); those the user deleted already are skipped. */
  discard: WrittenLayer[];
  /** The group they were written into: `keep` takes its place, and the group goes once nothing else is left in it. */
  group: WrittenLayer;
  historyName: string;
}

export type HostErrorCode =
  | 'no_document'
  | 'no_layer'
  /** Text, smart object, adjustment, fill or group layer: the merged image can be used instead. */
  | 'not_pixel_layer'
  | 'locked_layer'
  | 'empty_layer'
  | 'empty_selection'
  /** CMYK, Indexed, Multichannel, Bitmap, Duotone: the Imaging API reads RGB, Grayscale and Lab only. */
  | 'unsupported_mode'
  | 'unsupported_depth'
  | 'document_changed'
  | 'busy';

/** A failure the user can act on; `message` says what to do. */
export class HostError extends Error {
  constructor(
    readonly code: HostErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HostError';
  }
}

export interface Host {
  /**
   * Reads the source and the selection in one modal scope and hands them to `consume`, which reads the
   * pixels band by band (e.g. straight into the helper); the scope ends when `consume` settles.
   */
  read<T>(request: ReadRequest, consume: (source: SourceRead) => Promise<T>): Promise<T>;
  /** Adds result layers (each with its mask) above the source in the "Mend" group: one history step. */
  writeLayer(write: LayerWrite): Promise<WrittenLayers>;
  /** Opens a new document holding the result layers (in a "Mend" group, the main one with a reveal-all mask). */
  writeNewDocument(write: NewDocumentWrite): Promise<WrittenLayers>;
  /** Resamples the document and adds the result layers above the resampled source: one history step. */
  resizeAndWrite(write: ResizeAndWrite): Promise<WrittenLayers>;
  /** Makes the mask the document's active selection (e.g. the found dust and scratches), one history step. */
  selectMask(documentId: number, mask: HostMask, historyName: string): Promise<void>;
  /** Shows or hides a result layer: before/after. Not a history step. */
  setLayerVisible(layer: WrittenLayer, visible: boolean): Promise<void>;
  /** Brings the result's document to the front and makes the layer active. */
  reveal(layer: WrittenLayer): Promise<void>;
  /** The layer's mask over `bounds` (document coordinates), 8-bit, row by row. Not a history step. */
  readLayerMask(layer: WrittenLayer, bounds: Bounds): Promise<Uint8Array>;
  /** The layer's transparency over `bounds` as an 8-bit mask (0 where it has no pixels). Not a history step. */
  readLayerAlpha(layer: WrittenLayer, bounds: Bounds): Promise<Uint8Array>;
  /**
   * Replaces the layer's mask within `mask.bounds`, band by band: one history step. `readBand` may read layers
   * of the same document through this host (e.g. the mask being replaced, for the rows not written yet).
   */
  setLayerMask(layer: WrittenLayer, mask: BandedMask, historyName: string): Promise<void>;
  /** Keeps one layer of a group the panel wrote and deletes the others: one history step. */
  keepLayer(keep: KeepLayer): Promise<void>;
  /** A URL an `<img>` shows the picture from (a face's thumbnail). Touches no document. */
  pictureUrl(picture: RgbPicture): Promise<string>;
}

/** Where the panel keeps the helper's token between sessions (UXP secure storage in Photoshop). */
export interface TokenStore {
  load(): Promise<string | undefined>;
  save(token: string): Promise<void>;
}
