import { cropTensor, fromCrop, squareAround } from '../../../native-helper/src/faces/face-crop';
import { createImage } from '../../../native-helper/src/imaging/pixel-image';

describe('squareAround', () => {
  it('centres a square of scale × the longer side on the box', () => {
    expect(squareAround({ x: 10, y: 20, width: 40, height: 60 }, 1.5)).toEqual({ left: -15, top: 5, side: 90 });
  });
});

describe('cropTensor', () => {
  it('copies pixels one to one when the crop has the output size, as NCHW in the model range', () => {
    const image = createImage(4, 4, 3, 8);
    image.data.forEach((_v, i) => {
      image.data[i] = (i * 7) % 256;
    });
    // The square whose corner is pixel (1, 1)'s corner: output pixel (0, 0) is image pixel (1, 1).
    const out = cropTensor(image, { left: 0.5, top: 0.5, side: 2 }, 2, 1);
    const at = (x: number, y: number, c: number) => image.data[(y * 4 + x) * 3 + c] / 255;
    expect(out[0]).toBeCloseTo(at(1, 1, 0), 6);
    expect(out[4 + 1]).toBeCloseTo(at(2, 1, 1), 6);
    expect(out[8 + 3]).toBeCloseTo(at(2, 2, 2), 6);
  });

  it('averages the pixels an output pixel spans when shrinking, and gives black outside the image', () => {
    const image = createImage(4, 2, 1, 16);
    // A column pattern 0, 65535, 0, 65535 averages to mid gray two pixels at a time.
    image.data.forEach((_v, i) => {
      image.data[i] = i % 2 === 0 ? 0 : 65535;
    });
    const out = cropTensor(image, { left: -0.5, top: -0.5, side: 4 }, 2, 255);
    // Gray feeds all three planes; the top row of the crop is the image's two rows, the bottom row lies below it.
    for (const c of [0, 1, 2]) {
      expect(out[c * 4]).toBeCloseTo(127.5, 3);
      expect(out[c * 4 + 1]).toBeCloseTo(127.5, 3);
      expect(out[c * 4 + 2]).toBe(0);
    }
  });
});

describe('fromCrop', () => {
  it("maps a model's input coordinates back to image pixels", () => {
    expect(fromCrop({ left: 100, top: 50, side: 96 }, 192, 96, 48)).toEqual({ x: 148, y: 74 });
  });
});
