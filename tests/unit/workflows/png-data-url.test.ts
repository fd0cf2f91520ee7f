import sharp from 'sharp';
import { pngDataUrl } from '../../../plugin/src/workflows/png-data-url';

describe('pngDataUrl', () => {
  it('encodes an RGB picture as a PNG data URL that decodes to the same pixels', async () => {
    const width = 150;
    const height = 160;
    const data = Uint8Array.from({ length: width * height * 3 }, (_, i) => (i * 31) % 256);
    const url = pngDataUrl({ width, height, data });
    expect(url.startsWith('data:image/png;base64,')).toBe(true);
    const { data: decoded, info } = await sharp(Buffer.from(url.slice('data:image/png;base64,'.length), 'base64'))
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([width, height, 3]);
    expect(Buffer.compare(decoded, Buffer.from(data))).toBe(0);
  });

  it('refuses samples that do not fill the picture', () => {
    expect(() => pngDataUrl({ width: 2, height: 2, data: new Uint8Array(11) })).toThrow(/has 12 samples, not 11/);
  });
});
