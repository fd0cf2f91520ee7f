import type * as Constants from 'photoshop/dom/Constants';
import type { Document } from 'photoshop/dom/Document';
import type { Layer } from 'photoshop/dom/Layer';
import type { Channel } from 'photoshop/dom/Channel';
import type { Channels } from 'photoshop/dom/collections/Channels';
import type { Bounds } from 'photoshop/dom/objects/Bounds';
import type { Photoshop } from 'photoshop/dom/Photoshop';
import type { Selection } from 'photoshop/dom/Selection';
import type { DocumentCreateOptions } from 'photoshop/dom/types/DocumentTypes';
import type { GroupLayerCreateOptions, PixelLayerCreateOptions } from 'photoshop/dom/types/LayerTypes';
import type { BlendModeValue, DocumentModeValue, ElementPlacementValue } from './constants';
import { DEFAULT_GRAY_PROFILE, DEFAULT_RGB_PROFILE, isKnownProfile } from './color';
import { colorChannels, FakeError, isInside, layerRecord, locateLayer, notModeled, state, type DocumentRecord, type LayerRecord } from './model';
import { documentDepth, isEmptyRect, layerPixelBounds, maskBounds, newSamples, resampleCanvas, type Rect } from './raster';

/*
 * DOM handles. Photoshop's DOM classes have private members, so a fake cannot be assigned to them; each
 * fake class instead implements the members Mend uses with Photoshop's own types (`Pick<Layer, ...>`), and
 * members that take or return other DOM objects are written against the fake classes.
 */

export class FakeBounds implements Pick<Bounds, 'left' | 'top' | 'right' | 'bottom' | 'width' | 'height' | 'typename'> {
  readonly typename = 'Bounds';
  constructor(private readonly rect: Rect) {}
  get left(): number {
    return this.rect.left;
  }
  get top(): number {
    return this.rect.top;
  }
  get right(): number {
    return this.rect.right;
  }
  get bottom(): number {
    return this.rect.bottom;
  }
  get width(): number {
    return this.rect.right - this.rect.left;
  }
  get height(): number {
    return this.rect.bottom - this.rect.top;
  }
}

export class FakeChannel implements Pick<Channel, 'name' | 'remove'> {
  constructor(
    readonly id: number,
    private readonly documentId: number,
  ) {}

  private get record(): { id: number; name: string; data: Uint8Array } {
    const channel = state.document(this.documentId).alphaChannels.find((candidate) => candidate.id === this.id);
    if (!channel) throw new FakeError(`no channel with id ${this.id}`);
    return channel;
  }
  get name(): string {
    return this.record.name;
  }
  /** The channel's samples, for Selection.load. */
  data(): Uint8Array {
    return this.record.data;
  }
  async remove(): Promise<void> {
    state.assertModal('Channel.remove');
    const document = state.document(this.documentId);
    const record = this.record;
    document.alphaChannels = document.alphaChannels.filter((channel) => channel !== record);
    state.recordChange(document, 'Delete Channel');
  }
}

/** The document's alpha channels (component channels are not modeled). */
export class FakeChannels implements Pick<Channels, 'typename' | 'length'> {
  readonly typename = 'Channels';
  constructor(private readonly documentId: number) {}
  get length(): number {
    return state.document(this.documentId).alphaChannels.length;
  }
  getByName(name: string): FakeChannel {
    const channel = state.document(this.documentId).alphaChannels.find((candidate) => candidate.name === name);
    if (!channel) throw new FakeError(`no channel named "${name}"`);
    return new FakeChannel(channel.id, this.documentId);
  }
}

export class FakeSelection implements Pick<Selection, 'typename' | 'docId'> {
  readonly typename = 'Selection';
  constructor(readonly docId: number) {}

  /** A hard-edged rectangle, replacing the selection (the Rectangular Marquee). */
  async selectRectangle(
    bounds: { left: number; top: number; right: number; bottom: number },
    mode?: Constants.SelectionType,
    feather?: number,
    antiAlias?: boolean,
  ): Promise<void> {
    state.assertModal('Selection.selectRectangle');
    if (mode !== undefined || feather || antiAlias === true) notModeled('selectRectangle other than a plain replace');
    const document = state.document(this.docId);
    const selection = new Uint8Array(document.width * document.height);
    for (let y = Math.max(0, bounds.top); y < Math.min(document.height, bounds.bottom); y++)
      selection.fill(255, y * document.width + Math.max(0, bounds.left), y * document.width + Math.min(document.width, bounds.right));
    document.selection = selection;
    state.recordChange(document, 'Rectangular Marquee');
  }

  /** Select > Save Selection: a new alpha channel holding the selection. */
  async save(channelName?: string): Promise<void> {
    state.assertModal('Selection.save');
    const document = state.document(this.docId);
    if (!document.selection) throw new FakeError('Selection.save: nothing is selected');
    document.alphaChannels.push({ id: state.newId(), name: channelName ?? `Alpha ${document.alphaChannels.length + 1}`, data: document.selection.slice() });
    state.recordChange(document, 'Save Selection');
  }

  async deselect(): Promise<void> {
    state.assertModal('Selection.deselect');
    const document = state.document(this.docId);
    delete document.selection;
    state.recordChange(document, 'Deselect');
  }

  /** Select > Load Selection from a channel of this document (replace). */
  async load(from: FakeChannel, mode?: Constants.SelectionType, invert?: boolean): Promise<void> {
    state.assertModal('Selection.load');
    if (mode !== undefined || invert) notModeled('Selection.load other than replace');
    const document = state.document(this.docId);
    const data = from.data();
    document.selection = data.some((value) => value > 0) ? data.slice() : undefined;
    if (!document.selection) delete document.selection;
    state.recordChange(document, 'Load Selection');
  }
  /** Null when nothing is selected (Photoshop 25's Selection.bounds). */
  get bounds(): FakeBounds | null {
    const document = state.document(this.docId);
    if (!document.selection) return null;
    const rect = maskBounds(document.width, document.height, document.selection);
    return isEmptyRect(rect) ? null : new FakeBounds(rect);
  }
}

type UsedLayerMembers =
  | 'typename'
  | 'id'
  | 'name'
  | 'kind'
  | 'visible'
  | 'opacity'
  | 'blendMode'
  | 'isBackgroundLayer'
  | 'locked'
  | 'allLocked'
  | 'pixelsLocked'
  | 'positionLocked'
  | 'transparentPixelsLocked'
  | 'delete';

export class FakeLayer implements Pick<Layer, UsedLayerMembers> {
  readonly typename = 'Layer';
  constructor(
    readonly id: number,
    private readonly documentId: number,
  ) {}

  private get record(): LayerRecord {
    return layerRecord(state.document(this.documentId), this.id);
  }

  private change(what: string, apply: (layer: LayerRecord) => void, stepName?: string): void {
    state.assertModal(`setting ${what}`);
    const document = state.document(this.documentId);
    const layer = layerRecord(document, this.id);
    if (layer.allLocked) throw new FakeError(`layer "${layer.name}" is locked`);
    apply(layer);
    if (stepName) state.recordChange(document, stepName);
  }

  get name(): string {
    return this.record.name;
  }
  set name(name: string) {
    this.change('a layer name', (layer) => (layer.name = name), 'Rename Layer');
  }
  get kind(): Constants.LayerKind {
    return this.record.kind as Constants.LayerKind;
  }
  get visible(): boolean {
    return this.record.visible;
  }
  /** Visibility changes make no history step: Photoshop's default ("Make Layer Visibility Changes Undoable" off). */
  set visible(visible: boolean) {
    state.assertModal('setting layer visibility');
    this.record.visible = visible;
  }
  get opacity(): number {
    return this.record.opacity;
  }
  set opacity(opacity: number) {
    this.change('layer opacity', (layer) => (layer.opacity = opacity), 'Layer Opacity');
  }
  get blendMode(): Constants.BlendMode {
    return this.record.blendMode as Constants.BlendMode;
  }
  set blendMode(blendMode: Constants.BlendMode) {
    this.change('a blend mode', (layer) => (layer.blendMode = blendMode as BlendModeValue), 'Blending Change');
  }
  get isBackgroundLayer(): boolean {
    return this.record.isBackground;
  }
  get locked(): boolean {
    const layer = this.record;
    return layer.allLocked || layer.pixelsLocked || layer.positionLocked || layer.transparentPixelsLocked;
  }
  get allLocked(): boolean {
    return this.record.allLocked;
  }
  get pixelsLocked(): boolean {
    return this.record.pixelsLocked;
  }
  get positionLocked(): boolean {
    return this.record.positionLocked;
  }
  get transparentPixelsLocked(): boolean {
    return this.record.transparentPixelsLocked;
  }
  get bounds(): FakeBounds {
    return new FakeBounds(layerPixelBounds(state.document(this.documentId), this.record));
  }
  /** Layers in the fake have no effects, so this equals `bounds`. */
  get boundsNoEffects(): FakeBounds {
    return this.bounds;
  }
  get parent(): FakeLayer | null {
    const position = locateLayer(state.document(this.documentId), this.id);
    if (!position) throw new FakeError(`no layer with id ${this.id}`);
    return position.parent ? new FakeLayer(position.parent.id, this.documentId) : null;
  }
  /** A group's children, top first; null for other layers. */
  get layers(): FakeLayer[] | null {
    const children = this.record.children;
    return children ? children.map((child) => new FakeLayer(child.id, this.documentId)) : null;
  }
  get document(): FakeDocument {
    return new FakeDocument(this.documentId);
  }

  move(relativeObject: FakeLayer, insertLocation: Constants.ElementPlacement): void {
    state.assertModal('Layer.move');
    const document = state.document(this.documentId);
    const moving = locateLayer(document, this.id);
    const target = locateLayer(document, relativeObject.id);
    if (!moving || !target) throw new FakeError('Layer.move: layer not found');
    if (moving.layer.isBackground) throw new FakeError('the background layer cannot be moved');
    if (moving.layer === target.layer || isInside(target.layer, moving.layer)) throw new FakeError('a layer cannot be moved relative to itself or into itself');
    const location = insertLocation as ElementPlacementValue;
    const destinationGroup = location === 'placeInside' ? target.layer : target.parent;
    if (location === 'placeInside' && !target.layer.children) throw new FakeError('placeInside needs a group');
    if (destinationGroup?.allLocked) throw new FakeError(`group "${destinationGroup.name}" is locked`);
    if (location === 'placeAfter' && target.layer.isBackground) throw new FakeError('nothing can go below the background layer');

    const destination = location === 'placeInside' ? (target.layer.children ?? []) : target.siblings;
    const offset = destination.indexOf(target.layer) - destination.indexOf(moving.layer);
    const inPlace =
      moving.siblings === destination &&
      ((location === 'placeBefore' && offset === 1) || (location === 'placeAfter' && offset === -1) || (location === 'placeInside' && destination[0] === moving.layer));
    // Adobe's known issues (Photoshop 23.4.1): a move "may ... throw where it previously had not"; a move to where the layer already is, is such a request.
    if (inPlace) throw new FakeError('Layer.move: the layer is already there (the move does nothing)');

    moving.siblings.splice(moving.siblings.indexOf(moving.layer), 1);
    if (location === 'placeInside') {
      // Photoshop's placement inside a group is not documented beyond "inside"; the fake puts it on top.
      target.layer.children?.unshift(moving.layer);
    } else if (location === 'placeBefore' || location === 'placeAfter') {
      const index = target.siblings.indexOf(target.layer);
      target.siblings.splice(location === 'placeBefore' ? index : index + 1, 0, moving.layer);
    } else {
      notModeled(`Layer.move with ${location}`);
    }
    state.recordChange(document, 'Move');
  }

  delete(): void {
    state.assertModal('Layer.delete');
    const document = state.document(this.documentId);
    const position = locateLayer(document, this.id);
    if (!position) throw new FakeError(`no layer with id ${this.id}`);
    if (position.parent?.allLocked) throw new FakeError(`group "${position.parent.name}" is locked`);
    // The docs say only "Deletes this layer from the document": whether a group takes its layers with it is not said.
    if (position.layer.children?.length) notModeled('deleting a group that still holds layers');
    position.siblings.splice(position.siblings.indexOf(position.layer), 1);
    document.activeLayerIds = document.activeLayerIds.filter((id) => locateLayer(document, id));
    state.recordChange(document, 'Delete Layer');
  }
}

type UsedDocumentMembers = 'typename' | 'id' | 'title' | 'name' | 'width' | 'height' | 'resolution' | 'mode' | 'bitsPerChannel' | 'resizeImage' | 'closeWithoutSaving';

const DEPTH_NAMES = { 8: 'bitDepth8', 16: 'bitDepth16', 32: 'bitDepth32' } as const;

export class FakeDocument implements Pick<Document, UsedDocumentMembers> {
  readonly typename = 'Document';
  constructor(readonly id: number) {}

  private get record(): DocumentRecord {
    return state.document(this.id);
  }

  get title(): string {
    return this.record.title;
  }
  get name(): string {
    return this.record.title;
  }
  get width(): number {
    return this.record.width;
  }
  get height(): number {
    return this.record.height;
  }
  get resolution(): number {
    return this.record.resolution;
  }
  get mode(): Constants.DocumentMode {
    return this.record.mode as Constants.DocumentMode;
  }
  get bitsPerChannel(): Constants.BitsPerChannelType {
    return DEPTH_NAMES[this.record.depth] as Constants.BitsPerChannelType;
  }
  get layers(): FakeLayer[] {
    return this.record.layers.map((layer) => new FakeLayer(layer.id, this.id));
  }
  get activeLayers(): FakeLayer[] {
    return this.record.activeLayerIds.map((id) => new FakeLayer(id, this.id));
  }
  get selection(): FakeSelection {
    return new FakeSelection(this.id);
  }
  /** The History panel's states: the opening state, then one per step. */
  get historyStates(): { length: number } {
    return { length: this.record.history.length + 1 };
  }
  get channels(): FakeChannels {
    return new FakeChannels(this.id);
  }

  async createPixelLayer(options: PixelLayerCreateOptions = {}): Promise<FakeLayer | null> {
    if (options.fillNeutral) notModeled('fillNeutral');
    if (options.group) notModeled('creating a clipped layer');
    const document = this.record;
    const components = colorChannels(document.mode) + 1;
    return this.addLayer('New Layer', {
      ...newLayerRecord(document, options.name ?? `Layer ${document.nextLayerId}`, 'pixel', (options.blendMode ?? options.mode ?? 'normal') as BlendModeValue, options.opacity),
      raster: newSamples(documentDepth(document), document.width * document.height * components),
    });
  }

  async createLayerGroup(options: GroupLayerCreateOptions = {}): Promise<FakeLayer | null> {
    if (options.fromLayers) notModeled('createLayerGroup fromLayers');
    const document = this.record;
    return this.addLayer('New Group', {
      ...newLayerRecord(
        document,
        options.name ?? `Group ${document.nextLayerId}`,
        'group',
        (options.blendMode ?? options.mode ?? 'passThrough') as BlendModeValue,
        options.opacity,
      ),
      children: [],
    });
  }

  /** New layers go directly above the (topmost) active layer, or on top, and become the active layer. */
  private addLayer(stepName: string, layer: LayerRecord): FakeLayer {
    state.assertModal(stepName);
    const document = this.record;
    const active = document.activeLayerIds.length > 0 ? locateLayer(document, document.activeLayerIds[0]) : undefined;
    if (active?.parent?.allLocked) throw new FakeError(`group "${active.parent.name}" is locked`);
    const siblings = active ? active.siblings : document.layers;
    siblings.splice(active ? siblings.indexOf(active.layer) : 0, 0, layer);
    document.activeLayerIds = [layer.id];
    state.recordChange(document, stepName);
    return new FakeLayer(layer.id, this.id);
  }

  async resizeImage(width?: number, height?: number, resolution?: number, resampleMethod?: Constants.ResampleMethod): Promise<void> {
    state.assertModal('Document.resizeImage');
    state.failIfAsked('Document.resizeImage');
    if (width === undefined || height === undefined || resolution !== undefined || resampleMethod !== undefined) notModeled('resizeImage other than (width, height)');
    const document = this.record;
    const from = { width: document.width, height: document.height };
    const to = { width, height };
    const components = colorChannels(document.mode) + 1;
    const resample = (layers: LayerRecord[]): void => {
      for (const layer of layers) {
        if (layer.raster) layer.raster = resampleCanvas(layer.raster, components, from, to);
        if (layer.mask) layer.mask = resampleCanvas(layer.mask, 1, from, to);
        if (layer.children) resample(layer.children);
      }
    };
    resample(document.layers);
    if (document.selection) document.selection = resampleCanvas(document.selection, 1, from, to);
    for (const channel of document.alphaChannels) channel.data = resampleCanvas(channel.data, 1, from, to);
    document.width = width;
    document.height = height;
    state.recordChange(document, 'Image Size');
  }

  closeWithoutSaving(): void {
    state.closeDocument(this.id);
  }
}

/** A layer record with the next layer id of `document` (ids repeat across documents, as in Photoshop). */
export function newLayerRecord(document: Pick<DocumentRecord, 'nextLayerId'>, name: string, kind: LayerRecord['kind'], blendMode: BlendModeValue, opacity = 100): LayerRecord {
  return {
    id: document.nextLayerId++,
    name,
    kind,
    visible: true,
    opacity,
    blendMode,
    allLocked: false,
    pixelsLocked: false,
    positionLocked: false,
    transparentPixelsLocked: false,
    isBackground: false,
  };
}

const NEW_DOCUMENT_MODES: Partial<Record<string, DocumentModeValue>> = { RGBColorMode: 'RGBColorMode', grayscaleMode: 'grayscaleMode' };

export class FakeApp implements Pick<Photoshop, 'typename'> {
  readonly typename = 'Photoshop';

  get documents(): FakeDocument[] {
    return state.documents.map((document) => new FakeDocument(document.id));
  }

  get activeDocument(): FakeDocument {
    if (state.activeDocumentId === undefined) throw new FakeError('no document is open');
    return new FakeDocument(state.activeDocumentId);
  }

  set activeDocument(document: FakeDocument) {
    state.assertModal('setting the active document');
    state.activeDocumentId = state.document(document.id).id;
  }

  /** A transparent new document holds one empty pixel layer, "Layer 1", as in Photoshop. */
  async createDocument(options: DocumentCreateOptions = {}): Promise<FakeDocument | null> {
    state.assertModal('app.createDocument');
    const { name, width, height, resolution, mode, fill, depth, profile, ...rest } = options;
    if (Object.keys(rest).length > 0) notModeled(`createDocument options ${Object.keys(rest).join(', ')}`);
    const documentMode = NEW_DOCUMENT_MODES[mode ?? ''];
    if (!documentMode || width === undefined || height === undefined || resolution === undefined)
      notModeled('createDocument without width, height, resolution and an RGB or Grayscale mode');
    if (fill !== 'transparent') notModeled(`createDocument with fill ${String(fill)}`);
    if (depth !== 8 && depth !== 16) notModeled(`createDocument with depth ${String(depth)}`);
    const colorSpace = documentMode === 'grayscaleMode' ? 'Grayscale' : 'RGB';
    if (profile !== undefined && !isKnownProfile(colorSpace, profile)) notModeled(`createDocument with profile ${profile}`);
    const components = colorChannels(documentMode) + 1;
    const layerIds = { nextLayerId: 1 };
    const layer: LayerRecord = { ...newLayerRecord(layerIds, 'Layer 1', 'pixel', 'normal'), raster: newSamples(depth, width * height * components) };
    const document: DocumentRecord = {
      ...layerIds,
      id: state.newId(),
      // Photoshop's default without a profile: the working space (sRGB and Gray Gamma 2.2 in the fake).
      profile: profile ?? (colorSpace === 'RGB' ? DEFAULT_RGB_PROFILE : DEFAULT_GRAY_PROFILE),
      alphaChannels: [],
      title: name ?? 'Untitled-1',
      width,
      height,
      resolution,
      mode: documentMode,
      depth,
      layers: [layer],
      activeLayerIds: [layer.id],
      history: [],
    };
    state.documents.push(document);
    state.activeDocumentId = document.id;
    return new FakeDocument(document.id);
  }
}
