import type { BlendModeValue, DocumentModeValue, LayerKindValue } from './constants';
import { DEFAULT_GRAY_PROFILE, DEFAULT_RGB_PROFILE } from './color';
import { newLayerRecord } from './dom';
import { colorChannels, FakeError, layerRecord, locateLayer, maxSample, photoshopOwnedBytes, state, type DocumentRecord, type LayerRecord, type Samples } from './model';
import { cropSamples, newSamples, type Rect } from './raster';
import { storage } from './uxp';

/** Pixels placed on a layer: `data` holds color channels + alpha (background layers: color only), row-major. */
export interface PixelsSpec {
  left: number;
  top: number;
  width: number;
  height: number;
  data: ArrayLike<number>;
}

export interface LayerSpec {
  name: string;
  /** Default 'pixel'; 'group' takes `children`. Other kinds have no pixels in the fake. */
  kind?: LayerKindValue;
  background?: boolean;
  pixels?: PixelsSpec;
  children?: LayerSpec[];
  opacity?: number;
  blendMode?: BlendModeValue;
  visible?: boolean;
  allLocked?: boolean;
  pixelsLocked?: boolean;
  /** Whether the layer is selected in the Layers panel. */
  active?: boolean;
}

export interface DocumentSpec {
  title?: string;
  width: number;
  height: number;
  mode?: DocumentModeValue;
  depth?: 8 | 16 | 32;
  /** The document's profile (default sRGB, or Gray Gamma 2.2); layer pixels are given in it. */
  profile?: string;
  /** Top first, as the Layers panel shows them. */
  layers: LayerSpec[];
  /** 0..255 per pixel over the rectangle; `data` defaults to fully selected. */
  selection?: { left: number; top: number; width: number; height: number; data?: ArrayLike<number> };
}

export interface AddedDocument {
  id: number;
  /** The id of the layer with this name. */
  layer(name: string): number;
}

export interface LayerNode {
  name: string;
  kind: LayerKindValue;
  children?: LayerNode[];
}

function pixelDepth(depth: 8 | 16 | 32): 8 | 16 {
  // 32-bit documents exist in the fake only to be refused; their layers hold 16-bit samples.
  return depth === 32 ? 16 : depth;
}

function buildLayer(spec: LayerSpec, document: Omit<DocumentRecord, 'layers' | 'activeLayerIds' | 'history' | 'alphaChannels'>, active: number[]): LayerRecord {
  const kind = spec.kind ?? (spec.children ? 'group' : 'pixel');
  const layer: LayerRecord = {
    ...newLayerRecord(document, spec.name, kind, spec.blendMode ?? (kind === 'group' ? 'passThrough' : 'normal'), spec.opacity),
    visible: spec.visible ?? true,
    allLocked: spec.allLocked ?? false,
    pixelsLocked: spec.pixelsLocked ?? false,
    isBackground: spec.background ?? false,
    positionLocked: spec.background ?? false,
    transparentPixelsLocked: spec.background ?? false,
  };
  if (spec.active) active.push(layer.id);
  if (kind === 'group') layer.children = (spec.children ?? []).map((child) => buildLayer(child, document, active));
  if (kind === 'pixel') {
    const channels = colorChannels(document.mode);
    const components = channels + 1;
    const max = maxSample(document.depth);
    const raster = newSamples(pixelDepth(document.depth), document.width * document.height * components);
    if (spec.background) for (let pixel = 0; pixel < document.width * document.height; pixel++) raster[pixel * components + channels] = max;
    const pixels = spec.pixels;
    if (pixels) {
      const given = spec.background ? channels : components;
      if (pixels.data.length !== pixels.width * pixels.height * given) throw new FakeError(`layer "${spec.name}": pixels need ${pixels.width * pixels.height * given} samples`);
      for (let y = 0; y < pixels.height; y++) {
        for (let x = 0; x < pixels.width; x++) {
          const to = ((pixels.top + y) * document.width + pixels.left + x) * components;
          for (let c = 0; c < given; c++) raster[to + c] = pixels.data[(y * pixels.width + x) * given + c];
        }
      }
    }
    layer.raster = raster;
  }
  return layer;
}

function nodeOf(layer: LayerRecord): LayerNode {
  return { name: layer.name, kind: layer.kind, ...(layer.children ? { children: layer.children.map(nodeOf) } : {}) };
}

/** Builds documents for tests and reads back what the code under test did to them. */
export const fakePhotoshop = {
  reset(): void {
    state.reset();
    storage.secureStorage.items.clear();
  },

  /** Adds a document and brings it to the front (history starts empty). */
  addDocument(spec: DocumentSpec): AddedDocument {
    const base = {
      id: state.newId(),
      title: spec.title ?? 'Untitled-1',
      width: spec.width,
      height: spec.height,
      resolution: 300,
      mode: spec.mode ?? 'RGBColorMode',
      depth: spec.depth ?? 8,
      profile: spec.profile ?? (spec.mode === 'grayscaleMode' ? DEFAULT_GRAY_PROFILE : DEFAULT_RGB_PROFILE),
      nextLayerId: 1,
    };
    const active: number[] = [];
    const layers = spec.layers.map((layer) => buildLayer(layer, base, active));
    let selection: Uint8Array | undefined;
    if (spec.selection) {
      const { left, top, width, height, data } = spec.selection;
      selection = new Uint8Array(spec.width * spec.height);
      for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) selection[(top + y) * spec.width + left + x] = data ? data[y * width + x] : 255;
    }
    const document: DocumentRecord = { ...base, layers, activeLayerIds: active, ...(selection ? { selection } : {}), alphaChannels: [], history: [] };
    state.documents.push(document);
    state.activeDocumentId = document.id;
    return {
      id: document.id,
      layer(name: string): number {
        const found = fakePhotoshop.findLayer(document.id, name);
        if (found === undefined) throw new FakeError(`no layer named "${name}"`);
        return found;
      },
    };
  },

  findLayer(documentId: number, name: string): number | undefined {
    const search = (layers: LayerRecord[]): LayerRecord | undefined => {
      for (const layer of layers) {
        if (layer.name === name) return layer;
        const found = layer.children && search(layer.children);
        if (found) return found;
      }
      return undefined;
    };
    return search(state.document(documentId).layers)?.id;
  },

  /** The layer's samples over `rect` (default: the whole canvas), color channels + alpha. */
  layerPixels(documentId: number, layerId: number, rect?: Rect): Samples {
    const document = state.document(documentId);
    const layer = layerRecord(document, layerId);
    if (!layer.raster) throw new FakeError(`layer "${layer.name}" has no pixels`);
    const whole = { left: 0, top: 0, right: document.width, bottom: document.height };
    return cropSamples(layer.raster, document.width, colorChannels(document.mode) + 1, rect ?? whole);
  },

  /** The layer's user mask over the whole canvas, or undefined when it has none. */
  layerMask(documentId: number, layerId: number): Uint8Array | undefined {
    return layerRecord(state.document(documentId), layerId).mask?.slice();
  },

  layer(documentId: number, layerId: number): Readonly<LayerRecord> & { parentName: string | null } {
    const position = locateLayer(state.document(documentId), layerId);
    if (!position) throw new FakeError(`no layer with id ${layerId}`);
    return { ...position.layer, parentName: position.parent ? position.parent.name : null };
  },

  /** The layer tree, top first. */
  tree(documentId: number): LayerNode[] {
    return state.document(documentId).layers.map(nodeOf);
  },

  history(documentId: number): string[] {
    return [...state.document(documentId).history];
  },

  /** Everything about the document but its history, to compare before and after. */
  snapshot(documentId: number): Omit<DocumentRecord, 'history'> {
    const { history: _history, ...rest } = state.document(documentId);
    return structuredClone(rest);
  },

  document(documentId: number): Readonly<Omit<DocumentRecord, 'layers'>> {
    return state.document(documentId);
  },

  documentIds(): number[] {
    return state.documents.map((document) => document.id);
  },

  activeDocumentId(): number | undefined {
    return state.activeDocumentId;
  },

  selectLayers(documentId: number, layerIds: number[]): void {
    state.document(documentId).activeLayerIds = [...layerIds];
  },

  /** Bytes of pixels Photoshop itself holds (layers, masks, selections, channels, live image data): not the panel's. */
  photoshopOwnedBytes(): number {
    return photoshopOwnedBytes();
  },

  /** Image data handed out by the Imaging API and not disposed yet. */
  liveImageDataCount(): number {
    return state.liveImageData.size;
  },

  isModal(): boolean {
    return state.modalDepth > 0;
  },

  /** While true, executeAsModal rejects as it does when another plugin holds Photoshop. */
  setOtherPluginModal(modal: boolean): void {
    state.otherPluginIsModal = modal;
  },

  /** Makes the next call of `operation` (e.g. "imaging.putLayerMask") throw. */
  failNext(operation: 'imaging.putPixels' | 'imaging.putLayerMask' | 'imaging.putSelection' | 'Document.resizeImage'): void {
    state.failures.add(operation);
  },

  secureStorageItems(): ReadonlyMap<string, Uint8Array> {
    return storage.secureStorage.items;
  },
};
