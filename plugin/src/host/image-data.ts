import { imaging } from 'photoshop';
import type { imaging as Imaging } from 'photoshop/dom/ImagingModule';
import type { Bounds, HostMask, HostPixels } from '../workflows/host';
import { GRAY_FORMAT, writeFormat } from './pixel-format';

type PhotoshopImageData = Imaging.PhotoshopImageData;

export function widthOf(bounds: Bounds): number {
  return bounds.right - bounds.left;
}

export function heightOf(bounds: Bounds): number {
  return bounds.bottom - bounds.top;
}

/** Copies the image data's samples out and releases Photoshop's copy right away (images can be very large). */
export async function takePixels(imageData: PhotoshopImageData): Promise<HostPixels> {
  try {
    const { width, height, components, componentSize } = imageData;
    if (componentSize === 32) throw new Error('Photoshop returned 32-bit samples where 8 or 16 were asked for.');
    if (components < 1 || components > 4) throw new Error(`Photoshop returned ${components} components per pixel.`);
    const samples = await imageData.getData({ chunky: true });
    // The typed array may be a view on memory that dispose() frees, so the samples are copied first.
    const data = componentSize === 16 ? Uint16Array.from(samples) : Uint8Array.from(samples);
    return { width, height, components: components as HostPixels['components'], bitDepth: componentSize, data };
  } finally {
    await imageData.dispose();
  }
}

/** The 8-bit gray samples of a mask or selection, releasing Photoshop's copy. */
export async function takeMaskSamples(imageData: PhotoshopImageData): Promise<Uint8Array> {
  const pixels = await takePixels(imageData);
  if (pixels.components !== 1 || pixels.bitDepth !== 8) {
    throw new Error(`Photoshop returned a mask with ${pixels.components} components of ${pixels.bitDepth} bits.`);
  }
  return pixels.data as Uint8Array;
}

export function imageDataFromPixels(pixels: HostPixels): Promise<PhotoshopImageData> {
  const expected = pixels.width * pixels.height * pixels.components;
  if (pixels.data.length !== expected) {
    throw new Error(`Pixels of ${pixels.width}×${pixels.height}×${pixels.components} need ${expected} samples, got ${pixels.data.length}.`);
  }
  return imaging.createImageDataFromBuffer(pixels.data, {
    width: pixels.width,
    height: pixels.height,
    components: pixels.components,
    chunky: true,
    ...writeFormat(pixels),
  });
}

/** Layer masks and selections are single-component gray image data (Imaging API docs). */
export function imageDataFromMask(mask: HostMask): Promise<PhotoshopImageData> {
  const width = widthOf(mask.bounds);
  const height = heightOf(mask.bounds);
  if (width <= 0 || height <= 0 || mask.data.length !== width * height) {
    throw new Error(`A mask over ${width}×${height} pixels needs ${width * height} samples, got ${mask.data.length}.`);
  }
  return imaging.createImageDataFromBuffer(mask.data, { width, height, components: 1, chunky: true, ...GRAY_FORMAT });
}

/** Runs `use` with image data Photoshop made for it and disposes the data afterwards, whatever happens. */
export async function withImageData<T>(created: Promise<PhotoshopImageData>, use: (imageData: PhotoshopImageData) => Promise<T>): Promise<T> {
  const imageData = await created;
  try {
    return await use(imageData);
  } finally {
    await imageData.dispose();
  }
}
