import { imaging } from 'photoshop';
import type { imaging as Imaging } from 'photoshop/dom/ImagingModule';
import type { ChannelCount } from '@mend/protocol';
import type { HostMask, HostPixels, Samples } from '../workflows/host';
import { boundsHeight, boundsWidth } from '../workflows/region';
import { PHOTOSHOP_16_BIT_MAX } from '../workflows/sample-range';
import { GRAY_MASK_FORMAT, pixelFormatFor } from './pixel-format';

type PhotoshopImageData = Imaging.PhotoshopImageData;

/** Copies the image data's samples out and releases Photoshop's copy right away (images can be very large). */
export async function takePixels(imageData: PhotoshopImageData): Promise<HostPixels> {
  try {
    const { width, height, components, componentSize, colorProfile } = imageData;
    if (componentSize === 32) throw new Error('Photoshop returned 32-bit samples where 8 or 16 were asked for.');
    if (components < 1 || components > 4) throw new Error(`Photoshop returned ${components} components per pixel.`);
    const samples = await imageData.getData({ chunky: true });
    // The typed array may be a view on memory that dispose() frees, so the samples are copied first.
    const data = componentSize === 16 ? Uint16Array.from(samples) : Uint8Array.from(samples);
    // Photoshop's components per pixel are the protocol's channels.
    return { width, height, channels: components as ChannelCount, bitDepth: componentSize, colorProfile, data };
  } finally {
    await imageData.dispose();
  }
}

/**
 * The samples of a selection or mask as 8-bit gray, releasing Photoshop's copy. `getSelection` has no
 * componentSize option: it answers at the document's depth (0..255, 0..32768, or float 0..1).
 */
export async function takeMaskSamples(imageData: PhotoshopImageData): Promise<Uint8Array> {
  try {
    const { components, componentSize } = imageData;
    if (components !== 1) throw new Error(`Photoshop returned a mask with ${components} components.`);
    const samples = await imageData.getData({ chunky: true });
    return toEightBit(samples, componentSize);
  } finally {
    await imageData.dispose();
  }
}

function toEightBit(samples: Uint8Array | Uint16Array | Float32Array, componentSize: number): Uint8Array {
  if (componentSize === 8) return Uint8Array.from(samples);
  if (componentSize !== 16 && componentSize !== 32) throw new Error(`Photoshop returned a mask of ${componentSize}-bit samples.`);
  const max = componentSize === 16 ? PHOTOSHOP_16_BIT_MAX : 1;
  const out = new Uint8Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = Math.round(Math.min(1, Math.max(0, samples[i] / max)) * 255);
  return out;
}

/**
 * The samples as an array that starts at byte 0 of a buffer of exactly its size. Photoshop reads the
 * buffer behind a typed array; a view into a larger buffer (a slice of an HTTP response) is not
 * documented to work, so such views are copied.
 */
function exactSamples<T extends Samples>(samples: T): T {
  if (samples.byteOffset === 0 && samples.buffer.byteLength === samples.byteLength) return samples;
  return samples.slice() as T;
}

export function imageDataFromPixels(pixels: HostPixels): Promise<PhotoshopImageData> {
  const expected = pixels.width * pixels.height * pixels.channels;
  if (pixels.data.length !== expected) {
    throw new Error(`Pixels of ${pixels.width}×${pixels.height}×${pixels.channels} need ${expected} samples, got ${pixels.data.length}.`);
  }
  return imaging.createImageDataFromBuffer(exactSamples(pixels.data), {
    width: pixels.width,
    height: pixels.height,
    components: pixels.channels,
    chunky: true,
    ...pixelFormatFor(pixels),
  });
}

/** Layer masks and selections are single-component gray image data (Imaging API docs). */
export function imageDataFromMask(mask: HostMask): Promise<PhotoshopImageData> {
  const width = boundsWidth(mask.bounds);
  const height = boundsHeight(mask.bounds);
  if (width <= 0 || height <= 0 || mask.data.length !== width * height) {
    throw new Error(`A mask over ${width}×${height} pixels needs ${width * height} samples, got ${mask.data.length}.`);
  }
  return imaging.createImageDataFromBuffer(exactSamples(mask.data), { width, height, components: 1, chunky: true, ...GRAY_MASK_FORMAT });
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
