import { cropImage } from '../../../native-helper/src/imaging/crop';
import { createImage } from '../../../native-helper/src/imaging/pixel-image';

describe('crop', () => {
  it('copies the pixels of a rectangle, every channel, and refuses one past the image', () => {
    const image = createImage(4, 3, 2, 16);
    image.data.forEach((_, i) => (image.data[i] = i * 100));
    const crop = cropImage(image, { x: 1, y: 1, width: 2, height: 2 });
    expect([crop.width, crop.height, crop.channels, crop.bitDepth]).toEqual([2, 2, 2, 16]);
    // Row 1 from x = 1: pixels 5 and 6 (samples 10..13); row 2: pixels 9 and 10 (samples 18..21).
    expect(Array.from(crop.data)).toEqual([1000, 1100, 1200, 1300, 1800, 1900, 2000, 2100]);
    expect(() => cropImage(image, { x: 3, y: 0, width: 2, height: 1 })).toThrow('crop 2×1+3+0 runs past the 4×3 image');
  });
});
