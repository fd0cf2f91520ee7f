/**
 * A face's thumbnail as the panel's <img> shows it: Adobe documents JPEG base64 (encodeImageData) for image
 * elements, so the host asks Photoshop to encode it; the fake encodes a real JPEG, decoded here.
 */
import sharp from 'sharp';
import { createPhotoshopHost } from '../../../plugin/src/host/photoshop-host';
import { fakePhotoshop } from '../../fakes/photoshop/control';

const host = createPhotoshopHost();
const PREFIX = 'data:image/jpeg;base64,';

beforeEach(() => fakePhotoshop.reset());
afterEach(() => expect(fakePhotoshop.liveImageDataCount()).toBe(0));

describe('pictureUrl', () => {
  it('answers a JPEG data URL of the picture: its size, its colours (left red, right blue)', async () => {
    const width = 16;
    const height = 8;
    const data = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(x < width / 2 ? [220, 30, 30] : [30, 30, 220], (y * width + x) * 3);
    const url = await host.pictureUrl({ width, height, data });
    expect(url.startsWith(PREFIX)).toBe(true);
    const { data: decoded, info } = await sharp(Buffer.from(url.slice(PREFIX.length), 'base64'))
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([width, height, 3]);
    const at = (x: number, y: number) => Array.from(decoded.subarray((y * width + x) * 3, (y * width + x) * 3 + 3));
    const [left, right] = [at(1, 4), at(14, 4)];
    expect(left[0]).toBeGreaterThan(180);
    expect(left[2]).toBeLessThan(80);
    expect(right[2]).toBeGreaterThan(180);
    expect(right[0]).toBeLessThan(80);
  });

  it('hands Photoshop an array spanning its whole buffer, even for a view into a larger one', async () => {
    const buffer = new Uint8Array(4 + 2 * 2 * 3).fill(128);
    await expect(host.pictureUrl({ width: 2, height: 2, data: buffer.subarray(4) })).resolves.toMatch(/^data:image\/jpeg;base64,/);
  });

  it('refuses samples that do not fill the picture', async () => {
    await expect(host.pictureUrl({ width: 2, height: 2, data: new Uint8Array(11) })).rejects.toThrow(/has 12 samples, not 11/);
  });
});
