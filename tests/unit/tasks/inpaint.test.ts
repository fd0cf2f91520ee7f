import { createImage, type PixelImage } from '../../../native-helper/src/imaging/pixel-image';
import { inpaintImage, type HoleFiller, type HoleWindow } from '../../../native-helper/src/tasks/inpaint';

const quiet = { signal: new AbortController().signal, onWindow: () => undefined };

/** Fills every hole with one colour and records the windows it was given. */
function flatFiller(rgb: [number, number, number], workingSide = 4096): HoleFiller & { windows: HoleWindow[] } {
  const windows: HoleWindow[] = [];
  return {
    id: 'flat',
    workingSide,
    minSide: 1,
    windows,
    async fill(window) {
      windows.push(window);
      const out = new Float32Array(window.width * window.height * 3);
      for (let i = 0; i < out.length; i += 3) out.set(rgb, i);
      return out;
    },
  };
}

function noisePhoto(width: number, height: number, channels: 3 | 4 = 3): PixelImage {
  const image = createImage(width, height, channels, 8);
  for (let i = 0; i < image.data.length; i++) image.data[i] = (i * 2654435761) % 251;
  return image;
}

function maskWith(width: number, height: number, paint: (x: number, y: number) => number): PixelImage {
  const mask = createImage(width, height, 1, 8);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) mask.data[y * width + x] = paint(x, y);
  return mask;
}

describe('inpaintImage', () => {
  it('fills each masked region in a window of context and leaves every unmasked sample byte-identical', async () => {
    const photo = noisePhoto(200, 150, 4);
    const inTwoSpots = (x: number, y: number) => ((x >= 20 && x < 30 && y >= 20 && y < 26) || (x >= 150 && x < 160 && y >= 100 && y < 140) ? 255 : 0);
    const mask = maskWith(200, 150, inTwoSpots);
    const filler = flatFiller([1, 0, 0.5]);
    const { image, windows } = await inpaintImage(photo, mask, filler, quiet);
    expect(windows).toBe(2);
    expect(filler.windows.every((w) => w.width > 10 && w.height > 6 && w.hole.some((h) => h === 0))).toBe(true);
    for (let p = 0; p < 200 * 150; p++) {
      const x = p % 200;
      const y = Math.floor(p / 200);
      const samples = Array.from(image.data.subarray(p * 4, p * 4 + 4));
      if (inTwoSpots(x, y)) expect(samples).toEqual([255, 0, 128, photo.data[p * 4 + 3]]);
      else expect(samples).toEqual(Array.from(photo.data.subarray(p * 4, p * 4 + 4)));
    }
    expect(photo.data[0]).toBe(0);
  });

  it('blends by the mask’s gray: a half-selected pixel is half fill, half original', async () => {
    const photo = createImage(40, 40, 3, 8);
    photo.data.fill(200);
    const mask = maskWith(40, 40, (x) => (x >= 10 && x < 20 ? 255 : x >= 20 && x < 30 ? 128 : 0));
    const { image } = await inpaintImage(photo, mask, flatFiller([0, 0, 0]), quiet);
    expect(image.data[(5 * 40 + 15) * 3]).toBe(0);
    expect(image.data[(5 * 40 + 25) * 3]).toBe(100);
    expect(image.data[(5 * 40 + 35) * 3]).toBe(200);
  });

  it('fills a window larger than the filler’s working side at reduced scale, still only inside the mask', async () => {
    const photo = noisePhoto(300, 300);
    const mask = maskWith(300, 300, (x, y) => (x >= 50 && x < 250 && y >= 50 && y < 250 ? 255 : 0));
    const filler = flatFiller([0, 1, 0], 64);
    const { image } = await inpaintImage(photo, mask, filler, quiet);
    expect(Math.max(filler.windows[0].width, filler.windows[0].height)).toBeLessThanOrEqual(64);
    expect(Array.from(image.data.subarray((150 * 300 + 150) * 3, (150 * 300 + 150) * 3 + 3))).toEqual([0, 255, 0]);
    expect(Array.from(image.data.subarray((10 * 300 + 10) * 3, (10 * 300 + 10) * 3 + 3))).toEqual(Array.from(photo.data.subarray((10 * 300 + 10) * 3, (10 * 300 + 10) * 3 + 3)));
  });

  it('rejects a mask of another size with the sizes in the message, and stops when cancelled', async () => {
    const photo = noisePhoto(20, 20);
    await expect(
      inpaintImage(
        photo,
        maskWith(10, 20, () => 255),
        flatFiller([0, 0, 0]),
        quiet,
      ),
    ).rejects.toThrow(/20×20.*10×20×1/);
    const controller = new AbortController();
    controller.abort();
    await expect(
      inpaintImage(
        photo,
        maskWith(20, 20, () => 255),
        flatFiller([0, 0, 0]),
        { ...quiet, signal: controller.signal },
      ),
    ).rejects.toThrow(/cancel/i);
  });
});
