import { createImage } from '../../../native-helper/src/imaging/pixel-image';
import { convertDepth } from '../../../native-helper/src/imaging/sample-conversion';
import { readTileTensor } from '../../../native-helper/src/imaging/tensor';

describe('bit depth conversion', () => {
  it.each([
    [8, 255],
    [16, 65535],
    [16, 32768],
  ] as const)('%i-bit with maxValue %i survives a float round trip exactly', (bitDepth, maxValue) => {
    const image = createImage(maxValue + 1, 1, 1, bitDepth, maxValue);
    for (let v = 0; v <= maxValue; v++) image.data[v] = v;
    const back = convertDepth(convertDepth(image, 32, 1), bitDepth, maxValue);
    expect(Array.from(back.data)).toEqual(Array.from(image.data));
  });

  it("maps Photoshop's 0..32768 onto PNG's 0..65535 end to end", () => {
    const ps = createImage(3, 1, 1, 16, 32768);
    ps.data.set([0, 16384, 32768]);
    expect(Array.from(convertDepth(ps, 16, 65535).data)).toEqual([0, 32768, 65535]);
    expect(Array.from(convertDepth(ps, 8, 255).data)).toEqual([0, 128, 255]);
    const png = createImage(65536, 1, 1, 16, 65535);
    for (let v = 0; v <= 65535; v++) png.data[v] = v;
    expect(Array.from(convertDepth(convertDepth(png, 16, 32768), 16, 65535).data).filter((v, i) => Math.abs(v - i) > 1)).toEqual([]);
  });

  it('feeds the model its value range and channel order, mirroring outside the image', () => {
    const image = createImage(2, 1, 3, 8);
    image.data.set([255, 0, 0, 0, 0, 255]);
    const bgr = readTileTensor(image, { x: 0, y: 0, width: 3, height: 1 }, { channelOrder: 'BGR', valueRange: [0, 255] });
    // planes B, G, R; the third column mirrors column 0
    expect(Array.from(bgr)).toEqual([0, 255, 0, 0, 0, 0, 255, 0, 255]);
  });
});
