import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { MendError } from '../errors';
import type { ChannelCount } from '../protocol';
import { createImage, type PixelImage } from '../imaging/pixel-image';
import { convertDepth } from '../imaging/sample-conversion';
import { ImageCollector, writeWhole, type ImageSink } from '../imaging/image-sink';
import { embedIccProfile, iccFitsChannels } from './icc-profile';
import { PngFileWriter } from './png-writer';

export type ImageFormat = 'png' | 'jpeg';

const EXTENSIONS: Record<string, ImageFormat> = { '.png': 'png', '.jpg': 'jpeg', '.jpeg': 'jpeg' };

export function formatFromPath(file: string): ImageFormat | undefined {
  return EXTENSIONS[path.extname(file).toLowerCase()];
}

export const JPEG_QUALITY = 92;

export interface DecodedImage {
  image: PixelImage;
  format: ImageFormat;
  /** The file's ICC profile, which the samples are still in: write it with the result. */
  icc?: Uint8Array;
}

/** Picks interleaved channels out of a wider buffer (sharp expands gray to RGB for 8-bit output). */
function pickChannels(src: Uint8Array, pixels: number, srcChannels: number, keep: readonly number[]): Uint8Array {
  const out = new Uint8Array(pixels * keep.length);
  for (let p = 0; p < pixels; p++) for (let k = 0; k < keep.length; k++) out[p * keep.length + k] = src[p * srcChannels + keep[k]];
  return out;
}

/**
 * Decodes a PNG or JPEG file into its own depth (8 or 16 bits) and channels (gray, gray+alpha, RGB,
 * RGBA). Samples are left in the file's colour profile (a 16-bit ProPhoto photo keeps its gamut);
 * only CMYK JPEGs are converted, to sRGB.
 */
export async function decodeImageFile(file: string): Promise<DecodedImage> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new MendError('bad_input', code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot be read (${code ?? 'error'})`);
  }
  return decodeImage(bytes, file);
}

export async function decodeImage(bytes: Uint8Array, name: string): Promise<DecodedImage> {
  try {
    const meta = await sharp(bytes, { limitInputPixels: false }).metadata();
    if (meta.format !== 'png' && meta.format !== 'jpeg') {
      throw new MendError('bad_input', `${name}: ${meta.format ?? 'this'} files are not supported; use PNG or JPEG`);
    }
    const cmyk = meta.space === 'cmyk';
    const icc = meta.icc && !cmyk ? new Uint8Array(meta.icc) : undefined;
    const input = () => {
      const pipeline = sharp(bytes, { limitInputPixels: false, failOn: 'error' }).autoOrient();
      // Without keepIccProfile sharp would convert profiled samples to sRGB.
      return cmyk ? pipeline.toColourspace('srgb') : pipeline.keepIccProfile();
    };
    const gray = meta.space === 'b-w' || meta.space === 'grey16';
    const alpha = meta.hasAlpha === true;
    const channels = ((gray ? 1 : 3) + (alpha ? 1 : 0)) as ChannelCount;
    if (meta.depth === 'ushort') {
      const { data, info } = await input()
        .toColourspace(gray ? 'grey16' : 'rgb16')
        .raw({ depth: 'ushort' })
        .toBuffer({ resolveWithObject: true });
      const image = createImage(info.width, info.height, channels, 16);
      if (info.channels !== channels) throw new Error(`decoder gave ${info.channels} channels, expected ${channels}`);
      new Uint8Array(image.data.buffer).set(data);
      return { image, format: meta.format, icc };
    }
    const { data, info } = await input().raw().toBuffer({ resolveWithObject: true });
    const image = createImage(info.width, info.height, channels, 8);
    if (info.channels === channels) image.data.set(data);
    else if (gray) image.data.set(pickChannels(data, info.width * info.height, info.channels, alpha ? [0, info.channels - 1] : [0]));
    else throw new Error(`decoder gave ${info.channels} channels, expected ${channels}`);
    return { image, format: meta.format, icc };
  } catch (error) {
    if (error instanceof MendError) throw error;
    throw new MendError('bad_input', `${name}: not a readable PNG or JPEG image (${(error as Error).message})`, { cause: error });
  }
}

/**
 * Encodes to JPEG (8 bits; alpha is dropped onto white) in memory, tagged with `icc`, the profile the
 * samples are in, when it fits their channels.
 */
async function encodeJpeg(image: PixelImage, icc?: Uint8Array): Promise<Buffer> {
  const encoded = await jpegEncoder(image).toBuffer();
  return icc && iccFitsChannels(icc, image.channels) ? embedIccProfile(encoded, 'jpeg', icc) : encoded;
}

function jpegEncoder(image: PixelImage): Sharp {
  const ready = convertDepth(image, 8, 255);
  const gray = image.channels <= 2;
  return sharp(ready.data, { raw: { width: image.width, height: image.height, channels: image.channels }, limitInputPixels: false })
    .flatten({ background: '#ffffff' })
    .toColourspace(gray ? 'b-w' : 'srgb')
    .jpeg({ quality: JPEG_QUALITY, chromaSubsampling: '4:4:4' });
}

/**
 * Writes a new image file (PNG: 8 or 16 bits as the image has; JPEG: 8 bits) from the bands `produce`
 * sends to the sink it is given. A PNG is encoded into the file band by band, so neither the image nor
 * the encoded file is ever in memory whole; a JPEG is assembled first. After a failure the file is
 * closed and the error passed on (the caller removes the file, see `writeFileAtomicWith`).
 */
export async function writeImageFileFrom<T>(file: string, format: ImageFormat, icc: Uint8Array | undefined, produce: (sink: ImageSink) => Promise<T>): Promise<T> {
  if (format === 'jpeg') {
    const collector = new ImageCollector();
    const result = await produce(collector);
    await writeJpegFile(collector.collected(), file, icc);
    return result;
  }
  const writer = new PngFileWriter(file, icc);
  try {
    const result = await produce(writer);
    await writer.end();
    return result;
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

/** Writes an image held in memory to a new file; see `writeImageFileFrom`. */
export async function writeImageFile(image: PixelImage, format: ImageFormat, file: string, icc?: Uint8Array): Promise<void> {
  await writeImageFileFrom(file, format, icc, (sink) => writeWhole(sink, image));
}

async function writeJpegFile(image: PixelImage, file: string, icc: Uint8Array | undefined): Promise<void> {
  if (icc && iccFitsChannels(icc, image.channels)) await writeFile(file, await encodeJpeg(image, icc), { flag: 'wx' });
  else await jpegEncoder(image).toFile(file);
}
