import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import sharp from 'sharp';
import { decodeImage, decodeImageFile, writeImageFile, type ImageFormat } from '../../../native-helper/src/codecs/image-file';
import { MendError } from '../../../native-helper/src/errors';
import { createImage, type PixelImage } from '../../../native-helper/src/imaging/pixel-image';
import type { ChannelCount } from '../../../native-helper/src/protocol';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'images');

const scratch = mkdtempSync(path.join(tmpdir(), 'mend-image-file-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let files = 0;

/** The bytes of the file Mend writes for the image. */
async function encodeImage(image: PixelImage, format: ImageFormat, icc?: Uint8Array): Promise<Buffer> {
  const file = path.join(scratch, `${files++}.${format}`);
  await writeImageFile(image, format, file, icc);
  return readFileSync(file);
}

/** Every sample value differs from its neighbours and the extremes 0 and max both occur. */
function patterned(channels: ChannelCount, bitDepth: 8 | 16, width = 7, height = 5): PixelImage {
  const image = createImage(width, height, channels, bitDepth);
  const max = image.maxValue;
  for (let i = 0; i < image.data.length; i++) image.data[i] = (i * 7919) % (max + 1);
  image.data[0] = 0;
  image.data[image.data.length - 1] = max;
  return image;
}

/** The samples stored in a non-interlaced PNG, read straight from its IDAT chunks (the reference for the decoder). */
function pngSamples(png: Buffer): Uint8Array | Uint16Array {
  let offset = 8;
  let header = { width: 0, height: 0, depth: 8, channels: 1 };
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') header = { width: data.readUInt32BE(0), height: data.readUInt32BE(4), depth: data[8], channels: { 0: 1, 2: 3, 4: 2, 6: 4 }[data[9]] ?? 0 };
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const filtered = inflateSync(Buffer.concat(idat));
  const pixelBytes = (header.channels * header.depth) / 8;
  const stride = header.width * pixelBytes;
  const out = Buffer.alloc(stride * header.height);
  for (let y = 0; y < header.height; y++) {
    const filter = filtered[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const left = x >= pixelBytes ? out[y * stride + x - pixelBytes] : 0;
      const up = y > 0 ? out[(y - 1) * stride + x] : 0;
      const upLeft = x >= pixelBytes && y > 0 ? out[(y - 1) * stride + x - pixelBytes] : 0;
      const paeth = () => {
        const p = left + up - upLeft;
        const [a, b, c] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        return a <= b && a <= c ? left : b <= c ? up : upLeft;
      };
      const predicted = [0, left, up, (left + up) >> 1, filter === 4 ? paeth() : 0][filter];
      out[y * stride + x] = (filtered[y * (stride + 1) + 1 + x] + predicted) & 255;
    }
  }
  if (header.depth === 8) return new Uint8Array(out);
  return Uint16Array.from({ length: out.length / 2 }, (_, i) => out.readUInt16BE(2 * i));
}

/** Index of the first sample that differs, -1 when equal: jest's deep equality is slow on millions of samples. */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : Math.min(a.length, b.length);
}

async function expectBadInput(promise: Promise<unknown>, pattern: RegExp) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MendError);
  expect((error as MendError).code).toBe('bad_input');
  expect((error as MendError).message).toMatch(pattern);
}

describe('PNG and JPEG codecs', () => {
  let work: string;
  beforeEach(() => {
    work = mkdtempSync(path.join(tmpdir(), 'mend-codecs-'));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  it.each([
    [1, 8, 'b-w'],
    [2, 8, 'b-w'],
    [3, 8, 'srgb'],
    [4, 8, 'srgb'],
    [1, 16, 'grey16'],
    [2, 16, 'grey16'],
    [3, 16, 'rgb16'],
    [4, 16, 'rgb16'],
  ] as const)('PNG with %i channel(s) at %i bits round-trips exactly', async (channels, bitDepth, space) => {
    const image = patterned(channels, bitDepth);
    const png = await encodeImage(image, 'png');
    const meta = await sharp(png).metadata();
    expect([meta.format, meta.channels, meta.depth, meta.space]).toEqual(['png', channels, bitDepth === 8 ? 'uchar' : 'ushort', space]);
    const decoded = await decodeImage(png, 'x.png');
    expect(decoded.format).toBe('png');
    expect({ ...decoded.image, data: undefined }).toEqual({ width: 7, height: 5, channels, bitDepth, maxValue: bitDepth === 8 ? 255 : 65535, data: undefined });
    expect(Array.from(decoded.image.data)).toEqual(Array.from(image.data));
  });

  it('decodes gray+alpha PNGs written by another encoder to two channels, exactly', async () => {
    for (const depth of ['uchar', 'ushort'] as const) {
      const samples = depth === 'uchar' ? Uint8Array.from({ length: 6 * 4 * 2 }, (_, i) => (i * 37) % 256) : Uint16Array.from({ length: 6 * 4 * 2 }, (_, i) => (i * 2749) % 65536);
      const png = await sharp(samples, { raw: { width: 6, height: 4, channels: 2 } })
        .toColourspace(depth === 'uchar' ? 'b-w' : 'grey16')
        .png()
        .toBuffer();
      const { image } = await decodeImage(png, 'ga.png');
      expect([image.channels, image.bitDepth]).toEqual([2, depth === 'uchar' ? 8 : 16]);
      expect(Array.from(image.data)).toEqual(Array.from(samples));
    }
  });

  it('decodes the fixture photos into their own depth, channels and samples, untouched by their colour profile', async () => {
    for (const [name, channels, bitDepth] of [
      ['camera.png', 1, 8],
      ['chelsea.png', 3, 8],
      ['portrait_alpha.png', 4, 8],
      ['aerial_16bit.png', 3, 16],
    ] as const) {
      const file = path.join(FIXTURES, name);
      const { image } = await decodeImageFile(file);
      expect([name, image.channels, image.bitDepth]).toEqual([name, channels, bitDepth]);
      expect(firstDifference(image.data, pngSamples(readFileSync(file)))).toBe(-1);
    }
  });

  it('keeps a 16-bit photo in its own ICC profile and writes the profile with it, to PNG and JPEG', async () => {
    const bytes = readFileSync(path.join(FIXTURES, 'aerial_16bit.png'));
    const profile = (await sharp(bytes).metadata()).icc;
    expect(profile).toBeDefined();
    const decoded = await decodeImage(bytes, 'aerial.png');
    expect(Buffer.from(decoded.icc ?? [])).toEqual(profile);
    for (const format of ['png', 'jpeg'] as const) {
      const written = await encodeImage(decoded.image, format, decoded.icc);
      expect((await sharp(written).metadata()).icc).toEqual(profile);
      // A colour-managed reader (sharp converting to sRGB) sees the same colours in the copy as in the original.
      const [original, copy] = await Promise.all([bytes, written].map((b) => sharp(b).toColourspace('srgb').raw().toBuffer()));
      const tolerance = format === 'png' ? 1 : 12;
      expect(Math.max(...original.map((v, i) => Math.abs(v - copy[i])))).toBeLessThanOrEqual(tolerance);
    }
    const exact = await decodeImage(await encodeImage(decoded.image, 'png', decoded.icc), 'copy.png');
    expect(firstDifference(exact.image.data, decoded.image.data)).toBe(-1);
    // A profile for other channels (an RGB profile on a gray result) is left out rather than mislabel the pixels.
    const gray = await encodeImage(patterned(1, 8), 'png', decoded.icc);
    expect((await sharp(gray).metadata()).icc).toBeUndefined();
  });

  it('writes 16-bit samples of any max value (Photoshop uses 0..32768) on the PNG 0..65535 scale', async () => {
    const photoshop = createImage(3, 1, 1, 16, 32768);
    photoshop.data.set([0, 16384, 32768]);
    const { image } = await decodeImage(await encodeImage(photoshop, 'png'), 'ps.png');
    expect(Array.from(image.data)).toEqual([0, 32768, 65535]);
  });

  it('writes JPEG at 8 bits: 16-bit input is reduced, alpha is flattened onto white, gray stays gray', async () => {
    const { image: wide } = await decodeImageFile(path.join(FIXTURES, 'aerial_16bit.png'));
    const jpeg = await encodeImage(wide, 'jpeg');
    const meta = await sharp(jpeg).metadata();
    expect([meta.format, meta.depth, meta.channels]).toEqual(['jpeg', 'uchar', 3]);
    const back = (await decodeImage(jpeg, 'a.jpg')).image;
    let error = 0;
    for (let i = 0; i < back.data.length; i++) error += Math.abs(back.data[i] - wide.data[i] / 257);
    expect(error / back.data.length).toBeLessThan(3);

    const clear = createImage(16, 16, 4, 8);
    clear.data.fill(0);
    const flattened = (await decodeImage(await encodeImage(clear, 'jpeg'), 'c.jpg')).image;
    expect(flattened.channels).toBe(3);
    expect(Math.min(...flattened.data)).toBeGreaterThanOrEqual(250);

    const gray = (await decodeImage(await encodeImage(patterned(1, 8, 16, 16), 'jpeg'), 'g.jpg')).image;
    expect(gray.channels).toBe(1);
  });

  it('decodes JPEG photos close to their source and applies the EXIF orientation', async () => {
    const source = (await decodeImageFile(path.join(FIXTURES, 'coffee.png'))).image;
    const jpeg = await sharp(path.join(FIXTURES, 'coffee.png')).jpeg({ quality: 95 }).toBuffer();
    const decoded = await decodeImage(jpeg, 'coffee.jpg');
    expect([decoded.format, decoded.image.width, decoded.image.height, decoded.image.channels]).toEqual(['jpeg', 600, 400, 3]);
    let squared = 0;
    for (let i = 0; i < source.data.length; i++) squared += (decoded.image.data[i] - source.data[i]) ** 2;
    const psnr = 10 * Math.log10(255 ** 2 / (squared / source.data.length));
    expect(psnr).toBeGreaterThan(35);

    const rotated = await sharp(jpeg).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    const upright = (await decodeImage(rotated, 'rotated.jpg')).image;
    expect([upright.width, upright.height]).toEqual([400, 600]);
  });

  it('reports corrupt, truncated, empty, missing and unsupported files by name, as bad input', async () => {
    const png = readFileSync(path.join(FIXTURES, 'chelsea.png'));
    const jpeg = await sharp(path.join(FIXTURES, 'coffee.png')).jpeg().toBuffer();
    const webp = await sharp(path.join(FIXTURES, 'coffee.png')).webp().toBuffer();
    const files: Record<string, Uint8Array> = {
      'text.png': Buffer.from('this is not an image'),
      'empty.png': new Uint8Array(0),
      'half.png': png.subarray(0, png.length >> 1),
      'header-only.png': png.subarray(0, 64),
      'third.jpg': jpeg.subarray(0, Math.floor(jpeg.length / 3)),
      'photo.webp': webp,
    };
    for (const [name, bytes] of Object.entries(files)) writeFileSync(path.join(work, name), bytes);
    for (const name of ['text.png', 'empty.png', 'half.png', 'header-only.png', 'third.jpg']) {
      await expectBadInput(decodeImageFile(path.join(work, name)), new RegExp(`${name.replace('.', '\\.')}: not a readable PNG or JPEG image \\(.+\\)`));
    }
    await expectBadInput(decodeImageFile(path.join(work, 'photo.webp')), /photo\.webp: webp files are not supported; use PNG or JPEG/);
    await expectBadInput(decodeImageFile(path.join(work, 'absent.png')), /absent\.png: no such file/);
  });
});
