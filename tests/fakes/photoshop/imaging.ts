import type { imaging as Imaging } from 'photoshop/dom/ImagingModule';
import { convertProfile, isKnownProfile } from './color';
import { colorChannels, FakeError, layerRecord, maxSample, notModeled, state, type DocumentRecord, type Samples } from './model';
import { canvasRect, compositeSamples, convertDepth, cropSamples, documentDepth, intersect, isEmptyRect, layerPixelBounds, type Rect } from './raster';

type PhotoshopImageData = Imaging.PhotoshopImageData;

const MASK_PROFILE = 'Gray Gamma 2.2';
type AnySamples = Samples | Float32Array;

const PIXEL_FORMATS: Record<string, [Imaging.PixelFormat, Imaging.PixelFormat]> = {
  RGB: ['RGB', 'RGBA'],
  Grayscale: ['Grayscale', 'GrayscaleAlpha'],
};

/** Image data as the Imaging API hands it out; counted while alive so tests can see that all of it was disposed. */
export class FakeImageData implements PhotoshopImageData {
  readonly chunky = true;
  readonly type = 'image/uncompressed';
  readonly hasAlpha: boolean;
  readonly componentSize: 8 | 16 | 32;
  readonly pixelFormat: Imaging.PixelFormat;
  readonly byteLength: number;
  private samples: AnySamples | undefined;

  constructor(
    readonly width: number,
    readonly height: number,
    readonly components: number,
    readonly colorSpace: Imaging.ColorSpace,
    /** Empty: "the profile of a target document will be used" (Imaging API). */
    readonly colorProfile: string,
    samples: AnySamples,
  ) {
    const channels = colorSpace === 'Grayscale' ? 1 : 3;
    if (components !== channels && components !== channels + 1) throw new FakeError(`${components} components do not fit the ${colorSpace} color space`);
    if (samples.length !== width * height * components)
      throw new FakeError(`image data of ${width}×${height}×${components} needs ${width * height * components} samples, got ${samples.length}`);
    this.hasAlpha = components === channels + 1;
    this.componentSize = samples instanceof Float32Array ? 32 : samples instanceof Uint16Array ? 16 : 8;
    this.byteLength = samples.byteLength;
    this.pixelFormat = PIXEL_FORMATS[colorSpace][this.hasAlpha ? 1 : 0];
    this.samples = samples;
    state.liveImageData.add(this);
  }

  /** The samples for the fake's own use (putPixels and friends). */
  contents(): Samples {
    const samples = this.floatOrInteger();
    if (samples instanceof Float32Array) notModeled('writing 32-bit image data');
    return samples;
  }

  private floatOrInteger(): AnySamples {
    if (!this.samples) throw new FakeError('image data used after dispose()');
    return this.samples;
  }

  getData = async (options: Imaging.GetDataOptions): Promise<Uint8Array | Uint16Array | Float32Array> => {
    if (options.chunky === false) notModeled('planar getData');
    if (options.fullRange) notModeled('full-range 16-bit getData');
    return this.floatOrInteger().slice();
  };

  dispose = async (): Promise<void> => {
    this.samples = undefined;
    state.liveImageData.delete(this);
  };
}

function asFake(imageData: PhotoshopImageData): FakeImageData {
  if (!(imageData instanceof FakeImageData)) throw new FakeError('image data that the imaging API did not make');
  return imageData;
}

/** The color space pixels of this document are exchanged in; Lab documents are read as RGB by Mend. */
function documentSpace(document: DocumentRecord, requested: string | undefined): Imaging.ColorSpace {
  const native = colorChannels(document.mode) === 1 ? 'Grayscale' : 'RGB';
  if (!['RGBColorMode', 'grayscaleMode', 'labColorMode'].includes(document.mode)) throw new FakeError(`the Imaging API does not read ${document.mode} documents`);
  // "If omitted, then the color space of the source document is used." Lab documents store RGB samples in the fake.
  if (requested !== undefined && requested !== native) notModeled(`conversion of ${document.mode} pixels to ${requested}`);
  return native;
}

/**
 * The profile pixels are read in: the document's own when none is asked for ("the returned data will use the
 * color profile of the source document"); Lab documents are read in the working RGB profile (sRGB here).
 */
function readProfile(document: DocumentRecord, colorSpace: Imaging.ColorSpace, requested: string | undefined): string {
  if (requested !== undefined && !isKnownProfile(colorSpace as 'RGB' | 'Grayscale', requested)) notModeled(`color profile ${requested}`);
  return requested ?? document.profile;
}

function requestedDepth(document: DocumentRecord, componentSize: Imaging.ComponentSize | undefined): 8 | 16 {
  if (componentSize === 32) notModeled('32-bit component size');
  return componentSize === 8 || componentSize === 16 ? componentSize : documentDepth(document);
}

/** Samples of the document's depth and profile, in `profile` (clipped where that profile's gamut is smaller). */
function inProfile(samples: Samples, components: number, document: DocumentRecord, from: string, to: string): Samples {
  if (components < 3) return samples;
  return convertProfile(samples, components, maxSample(documentDepth(document)), from, to);
}

function hasBackground(document: DocumentRecord): boolean {
  return document.layers.some((layer) => layer.isBackground);
}

function toRect(bounds: Imaging.Bounds | undefined, fallback: Rect): Rect {
  return bounds ? { left: bounds.left, top: bounds.top, right: bounds.right, bottom: bounds.bottom } : fallback;
}

function placement(targetBounds: Imaging.Bounds | Imaging.BoundsSize | undefined): { left: number; top: number } {
  return targetBounds ? { left: targetBounds.left, top: targetBounds.top } : { left: 0, top: 0 };
}

async function getPixels(options: Imaging.GetPixelsOptions): Promise<Imaging.GetPixelsResult> {
  state.assertModal('imaging.getPixels');
  if (options.targetSize) notModeled('scaled reads (targetSize)');
  if (options.applyAlpha) notModeled('applyAlpha');
  const document = state.document(options.documentID);
  const colorSpace = documentSpace(document, options.colorSpace);
  const colorProfile = readProfile(document, colorSpace, options.colorProfile);
  const depth = requestedDepth(document, options.componentSize);
  const channels = colorChannels(document.mode);
  const components = channels + 1;

  let sourceBounds: Rect;
  let samples: Samples;
  let keep: number;
  if (options.layerID === undefined) {
    sourceBounds = intersect(toRect(options.sourceBounds, canvasRect(document)), canvasRect(document));
    if (isEmptyRect(sourceBounds)) throw new FakeError('getPixels: the requested region is outside the document');
    const composite = compositeSamples(document, sourceBounds);
    keep = hasBackground(document) ? channels : components;
    samples = cropSamples(
      composite,
      sourceBounds.right - sourceBounds.left,
      components,
      { ...sourceBounds, left: 0, top: 0, right: sourceBounds.right - sourceBounds.left, bottom: sourceBounds.bottom - sourceBounds.top },
      keep,
    );
  } else {
    const layer = layerRecord(document, options.layerID);
    if (layer.kind !== 'pixel' || !layer.raster) notModeled(`getPixels of a ${layer.kind} layer`);
    // "The provided bounds will be trimmed to only that region that contains pixel data."
    const layerBounds = layerPixelBounds(document, layer);
    sourceBounds = intersect(toRect(options.sourceBounds, layerBounds), layerBounds);
    if (isEmptyRect(sourceBounds)) throw new FakeError('getPixels: no pixel data in the requested region');
    keep = layer.isBackground ? channels : components;
    samples = cropSamples(layer.raster, document.width, components, sourceBounds, keep);
  }
  const imageData = new FakeImageData(
    sourceBounds.right - sourceBounds.left,
    sourceBounds.bottom - sourceBounds.top,
    keep,
    colorSpace,
    colorProfile,
    convertDepth(inProfile(samples, keep, document, document.profile, colorProfile), depth),
  );
  return { imageData, sourceBounds, level: 0 };
}

async function putPixels(options: Imaging.PutPixelsOptions): Promise<void> {
  state.assertModal('imaging.putPixels');
  state.failIfAsked('imaging.putPixels');
  const document = state.document(options.documentID);
  const layer = layerRecord(document, options.layerID);
  if (layer.kind !== 'pixel' || !layer.raster) throw new FakeError('putPixels: the target layer must be a pixel layer');
  if (layer.allLocked || layer.pixelsLocked) throw new FakeError(`putPixels: layer "${layer.name}" is locked`);
  // Whether an active selection clips putPixels is not documented: the fake refuses to guess.
  if (document.selection) notModeled('putPixels while a selection is active');
  const imageData = asFake(options.imageData);
  documentSpace(document, imageData.colorSpace);
  const channels = colorChannels(document.mode);
  const components = channels + 1;
  const converted = convertDepth(imageData.contents(), documentDepth(document));
  const source = inProfile(converted, imageData.components, document, imageData.colorProfile || document.profile, document.profile);
  const max = maxSample(documentDepth(document));
  if (layer.isBackground) notModeled('putPixels into the background layer');
  const raster = layer.raster;
  const replace = options.replace !== false;
  if (replace) raster.fill(0);
  const { left, top } = placement(options.targetBounds);
  for (let y = 0; y < imageData.height; y++) {
    for (let x = 0; x < imageData.width; x++) {
      const documentX = left + x;
      const documentY = top + y;
      if (documentX < 0 || documentY < 0 || documentX >= document.width || documentY >= document.height) continue;
      const from = (y * imageData.width + x) * imageData.components;
      const to = (documentY * document.width + documentX) * components;
      // "Added to the existing pixel content": how is not documented beyond empty pixels.
      if (!replace && raster[to + channels] !== 0) notModeled('putPixels with replace: false over existing pixels');
      for (let c = 0; c < channels; c++) raster[to + c] = source[from + c];
      raster[to + channels] = imageData.hasAlpha ? source[from + channels] : max;
    }
  }
  state.recordChange(document, options.commandName ?? 'Put Pixels');
}

function maskSamples(imageData: FakeImageData, what: string): Uint8Array {
  if (imageData.components !== 1 || imageData.colorSpace !== 'Grayscale' || imageData.componentSize !== 8) {
    throw new FakeError(`${what} takes 8-bit single-component Grayscale image data`);
  }
  if (imageData.colorProfile !== MASK_PROFILE) notModeled(`${what} with a ${imageData.colorProfile} mask`);
  return imageData.contents() as Uint8Array;
}

/** Copies a gray image into a full-canvas 8-bit buffer at (left, top), clipped to the canvas. */
function placeGray(
  target: Uint8Array,
  document: DocumentRecord,
  imageData: FakeImageData,
  samples: Uint8Array,
  at: { left: number; top: number },
  combine: (old: number, value: number) => number,
): void {
  for (let y = 0; y < imageData.height; y++) {
    for (let x = 0; x < imageData.width; x++) {
      const documentX = at.left + x;
      const documentY = at.top + y;
      if (documentX < 0 || documentY < 0 || documentX >= document.width || documentY >= document.height) continue;
      const to = documentY * document.width + documentX;
      target[to] = combine(target[to], samples[y * imageData.width + x]);
    }
  }
}

async function putLayerMask(options: Imaging.PutLayerMaskOptions): Promise<void> {
  state.assertModal('imaging.putLayerMask');
  state.failIfAsked('imaging.putLayerMask');
  const document = state.document(options.documentID);
  const layer = layerRecord(document, options.layerID);
  if (!layer.mask) notModeled('putLayerMask on a layer without a user mask');
  if (options.replace !== false) notModeled('putLayerMask with replace: true (what lies outside targetBounds is not documented)');
  // Whether an active selection clips putLayerMask is not documented either.
  if (document.selection) notModeled('putLayerMask while a selection is active');
  const imageData = asFake(options.imageData);
  placeGray(layer.mask, document, imageData, maskSamples(imageData, 'putLayerMask'), placement(options.targetBounds), (_old, value) => value);
  state.recordChange(document, options.commandName ?? 'Put Layer Mask');
}

/**
 * A layer's user mask over `sourceBounds` (clipped to the canvas). getLayerMask has no componentSize option: like
 * getSelection, the fake answers at the document's depth. It answers the whole region asked for (the fake's masks
 * cover the canvas); vector masks and scaled reads are not modeled.
 */
async function getLayerMask(options: Imaging.GetLayerMaskOptions): Promise<Imaging.GetLayerMaskResult> {
  state.assertModal('imaging.getLayerMask');
  if (options.targetSize) notModeled('scaled reads (targetSize)');
  if (options.kind !== undefined && options.kind !== 'user') notModeled(`getLayerMask of a ${options.kind} mask`);
  const document = state.document(options.documentID);
  const layer = layerRecord(document, options.layerID);
  if (!layer.mask) throw new FakeError(`getLayerMask: layer "${layer.name}" has no layer mask`);
  const sourceBounds = intersect(toRect(options.sourceBounds, canvasRect(document)), canvasRect(document));
  if (isEmptyRect(sourceBounds)) throw new FakeError('getLayerMask: the requested region is outside the document');
  const samples = selectionAtDepth(cropSamples(layer.mask, document.width, 1, sourceBounds) as Uint8Array, document.depth);
  const imageData = new FakeImageData(sourceBounds.right - sourceBounds.left, sourceBounds.bottom - sourceBounds.top, 1, 'Grayscale', MASK_PROFILE, samples);
  return { imageData, sourceBounds };
}

async function getSelection(options: Imaging.GetSelectionOptions): Promise<Imaging.GetSelectionResult> {
  state.assertModal('imaging.getSelection');
  if (options.targetSize) notModeled('scaled reads (targetSize)');
  const document = state.document(options.documentID);
  const sourceBounds = intersect(toRect(options.sourceBounds, canvasRect(document)), canvasRect(document));
  if (isEmptyRect(sourceBounds)) throw new FakeError('getSelection: the requested region is outside the document');
  const selection = document.selection ?? new Uint8Array(document.width * document.height);
  // getSelection has no componentSize option: the selection comes at the document's depth.
  const samples = selectionAtDepth(cropSamples(selection, document.width, 1, sourceBounds) as Uint8Array, document.depth);
  const imageData = new FakeImageData(sourceBounds.right - sourceBounds.left, sourceBounds.bottom - sourceBounds.top, 1, 'Grayscale', MASK_PROFILE, samples);
  return { imageData, sourceBounds };
}

function selectionAtDepth(samples: Uint8Array, depth: 8 | 16 | 32): AnySamples {
  if (depth === 8) return samples;
  if (depth === 16) return Uint16Array.from(samples, (value) => Math.round((value * 32768) / 255));
  return Float32Array.from(samples, (value) => value / 255);
}

async function putSelection(options: Imaging.PutSelectionOptions): Promise<void> {
  state.assertModal('imaging.putSelection');
  state.failIfAsked('imaging.putSelection');
  const document = state.document(options.documentID);
  const imageData = asFake(options.imageData);
  const samples = maskSamples(imageData, 'putSelection');
  const replace = options.replace !== false;
  const selection = !replace && document.selection ? document.selection.slice() : new Uint8Array(document.width * document.height);
  placeGray(selection, document, imageData, samples, placement(options.targetBounds), replace ? (_old, value) => value : Math.max);
  document.selection = selection.some((value) => value > 0) ? selection : undefined;
  state.recordChange(document, options.commandName ?? 'Set Selection');
}

async function createImageDataFromBuffer(arrayBuffer: Uint8Array | Uint16Array | Float32Array, options: Imaging.CreateImageDataFromBufferOptions): Promise<PhotoshopImageData> {
  if (arrayBuffer instanceof Float32Array) notModeled('32-bit image data');
  if (options.chunky === false) notModeled('planar image data');
  if (options.fullRange) notModeled('full-range 16-bit image data');
  if (options.colorSpace !== 'RGB' && options.colorSpace !== 'Grayscale') notModeled(`${options.colorSpace} image data`);
  // Photoshop reads the memory behind the array; a view into a larger buffer is not documented to work.
  if (arrayBuffer.byteOffset !== 0 || arrayBuffer.buffer.byteLength !== arrayBuffer.byteLength) {
    throw new FakeError(
      `createImageDataFromBuffer: pass an array that spans its whole buffer (got byteOffset ${arrayBuffer.byteOffset}, ${arrayBuffer.byteLength} of ${arrayBuffer.buffer.byteLength} bytes)`,
    );
  }
  const colorProfile = options.colorProfile ?? '';
  if (colorProfile !== '' && !isKnownProfile(options.colorSpace, colorProfile)) notModeled(`color profile ${colorProfile}`);
  return new FakeImageData(options.width, options.height, options.components, options.colorSpace, colorProfile, arrayBuffer.slice());
}

/**
 * "The data colorSpace must be RGB" (Imaging API docs); JPEG bytes, or their base64 when asked. The fake encodes
 * with sharp (loaded on first use: most tests never encode), so a test can decode what an <img> would show.
 */
async function encodeImageData(options: Imaging.EncodeImageDataOptions): Promise<number[] | string> {
  const imageData = asFake(options.imageData);
  if (imageData.colorSpace !== 'RGB') throw new FakeError(`encodeImageData: the data colorSpace must be RGB, not ${imageData.colorSpace}`);
  if (imageData.componentSize !== 8 || imageData.hasAlpha) notModeled('encoding image data other than 8-bit RGB');
  const { default: sharp } = await import('sharp');
  const { width, height, components } = imageData;
  const jpeg = await sharp(Buffer.from(imageData.contents()), { raw: { width, height, channels: components as 3 } })
    .jpeg()
    .toBuffer();
  return options.base64 ? jpeg.toString('base64') : Array.from(jpeg);
}

export const fakeImaging = {
  getPixels,
  putPixels,
  putLayerMask,
  getLayerMask,
  getSelection,
  putSelection,
  createImageDataFromBuffer,
  encodeImageData,
} satisfies Pick<typeof Imaging, 'getPixels' | 'putPixels' | 'putLayerMask' | 'getLayerMask' | 'getSelection' | 'putSelection' | 'createImageDataFromBuffer' | 'encodeImageData'>;
