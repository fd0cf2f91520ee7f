import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { decodeImageFile } from '../../../native-helper/src/codecs/image-file';
import { PngFileWriter } from '../../../native-helper/src/codecs/png-writer';
import { createImage, layoutOf, type PixelImage } from '../../../native-helper/src/imaging/pixel-image';
import type { ChannelCount } from '../../../native-helper/src/protocol';

function gradient(width: number, height: number, channels: ChannelCount, bitDepth: 8 | 16): PixelImage {
  const image = createImage(width, height, channels, bitDepth);
  for (let i = 0; i < image.data.length; i++) image.data[i] = (i * 7919 + (i >> 5)) % (image.maxValue + 1);
  return image;
}

function rows(image: PixelImage, from: number, to: number): PixelImage {
  const rowSamples = image.width * image.channels;
  return { ...image, height: to - from, data: image.data.subarray(from * rowSamples, to * rowSamples) };
}

describe('PngFileWriter', () => {
  let work: string;
  beforeEach(() => {
    work = mkdtempSync(path.join(tmpdir(), 'mend-png-'));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  it.each([
    [3, 8],
    [4, 16],
    [2, 8],
    [1, 16],
  ] as const)('writes %i channel(s) at %i bits band by band into a PNG that decodes to the same samples', async (channels, bitDepth) => {
    const image = gradient(33, 29, channels, bitDepth);
    const file = path.join(work, 'out.png');
    const writer = new PngFileWriter(file);
    await writer.begin(layoutOf(image));
    for (const [from, to] of [
      [0, 1],
      [1, 13],
      [13, 29],
    ])
      await writer.write(rows(image, from, to));
    await writer.end();
    const decoded = (await decodeImageFile(file)).image;
    expect(layoutOf(decoded)).toEqual(layoutOf(image));
    expect(Buffer.compare(Buffer.from(decoded.data.buffer), Buffer.from(image.data.buffer))).toBe(0);
  });

  it('writes the profile the samples are in', async () => {
    const profile = await sharp(path.join(__dirname, '..', '..', 'fixtures', 'images', 'aerial_16bit.png')).metadata();
    const image = gradient(8, 8, 3, 16);
    const file = path.join(work, 'profiled.png');
    const writer = new PngFileWriter(file, profile.icc);
    await writer.begin(layoutOf(image));
    await writer.write(image);
    await writer.end();
    expect((await sharp(readFileSync(file)).metadata()).icc).toEqual(profile.icc);
  });

  it('refuses rows past the image and an end with rows missing; abort lets the half-written file be removed', async () => {
    const image = gradient(4, 4, 3, 8);
    const file = path.join(work, 'short.png');
    const writer = new PngFileWriter(file);
    await writer.begin(layoutOf(image));
    await writer.write(rows(image, 0, 3));
    await expect(writer.write(rows(image, 0, 2))).rejects.toThrow('overruns the image by 1');
    await expect(writer.end()).rejects.toThrow('1 rows missing');
    await writer.abort();
    rmSync(file, { force: true });
    expect(existsSync(file)).toBe(false);
  });

  it('never replaces a file that is already there', async () => {
    const file = path.join(work, 'taken.png');
    const first = new PngFileWriter(file);
    await first.begin(layoutOf(gradient(2, 2, 3, 8)));
    await first.write(gradient(2, 2, 3, 8));
    await first.end();
    const before = readFileSync(file);
    const second = new PngFileWriter(file);
    await second.begin(layoutOf(gradient(2, 2, 3, 8)));
    const writing = (async () => {
      await second.write(gradient(2, 2, 3, 8));
      await second.end();
    })();
    await expect(writing).rejects.toThrow('EEXIST');
    await second.abort();
    expect(readFileSync(file)).toEqual(before);
  });
});
