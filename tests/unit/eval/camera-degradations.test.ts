import path from 'node:path';
import { decodeImageFile } from '../../../native-helper/src/codecs/image-file';
import { type BlurKernel, convolve, flipKernel, handShakeKernel, linearMotionKernel } from '../../../native-helper/src/eval/blur-kernel';
import { cameraNoise, DEGRADATIONS, LOW_LIGHT_STOPS, MOTION_LENGTHS, randomLinearKernel, randomShakeKernel, seedFor } from '../../../native-helper/src/eval/degradations';
import { addHaze, MODERATE_HAZE } from '../../../native-helper/src/eval/haze';
import { fromLinear, linearToSrgb, srgbToLinear, toLinear } from '../../../native-helper/src/eval/linear-light';
import { addSensorNoise, PHONE_HIGH_ISO, sensorNoiseVariance } from '../../../native-helper/src/eval/sensor-noise';
import { cropImage } from '../../../native-helper/src/imaging/crop';
import { createImage, type PixelImage } from '../../../native-helper/src/imaging/pixel-image';
import { seededRandom } from '../../../native-helper/src/protocol';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'images');

async function chelseaCrop(size = 96): Promise<PixelImage> {
  const { image } = await decodeImageFile(path.join(FIXTURES, 'chelsea.png'));
  return cropImage(image, { x: 150, y: 50, width: size, height: size });
}

function filled(width: number, height: number, value: number, bitDepth: 8 | 32 = 8): PixelImage {
  const image = createImage(width, height, 3, bitDepth);
  image.data.fill(value);
  return image;
}

const sum = (values: ArrayLike<number>) => Array.from(values).reduce((s, v) => s + v, 0);

function meanAndVariance(values: ArrayLike<number>): { mean: number; variance: number } {
  const mean = sum(values) / values.length;
  return { mean, variance: Array.from(values).reduce((s, v) => s + (v - mean) ** 2, 0) / values.length };
}

/** The kernel's taps as [column, row, weight] relative to its centre, only those not zero. */
function taps(kernel: BlurKernel): Array<[number, number, number]> {
  const r = (kernel.size - 1) / 2;
  return Array.from(kernel.weights)
    .map((w, i): [number, number, number] => [(i % kernel.size) - r, Math.floor(i / kernel.size) - r, w])
    .filter(([, , w]) => w > 1e-9);
}

function centroid(kernel: BlurKernel): [number, number] {
  const all = taps(kernel);
  return [sum(all.map(([x, , w]) => x * w)), sum(all.map(([, y, w]) => y * w))];
}

const extentOf = (kernel: BlurKernel, axis: 0 | 1) => {
  const coordinates = taps(kernel).map((t) => t[axis]);
  return Math.max(...coordinates) - Math.min(...coordinates) + 1;
};

describe('motion blur kernels', () => {
  it('sum to 1 and are centred, whatever their length, angle or shake', () => {
    const random = seededRandom(3);
    const kernels = [...Array.from({ length: 10 }, () => randomLinearKernel(random)), ...Array.from({ length: 10 }, () => randomShakeKernel(random)), linearMotionKernel(1, 0)];
    for (const kernel of kernels) {
      expect(kernel.size % 2).toBe(1);
      expect(sum(kernel.weights)).toBeCloseTo(1, 5);
      expect(Math.min(...kernel.weights)).toBeGreaterThanOrEqual(0);
      const [cx, cy] = centroid(kernel);
      expect(Math.abs(cx)).toBeLessThan(1e-4);
      expect(Math.abs(cy)).toBeLessThan(1e-4);
    }
  });

  it('draw a straight streak of the length asked for: along x at 0, along y at 90°, both ways on the diagonal', () => {
    const horizontal = taps(linearMotionKernel(9, 0));
    expect(horizontal.every(([, y]) => y === 0)).toBe(true);
    expect(horizontal.map(([x]) => x)).toEqual([-4, -3, -2, -1, 0, 1, 2, 3, 4]);
    // Constant speed: equal inner weights, the end pixels half covered.
    expect(horizontal[4][2]).toBeCloseTo(1 / 8, 2);
    expect(horizontal[0][2]).toBeCloseTo(1 / 16, 2);
    const vertical = taps(linearMotionKernel(15, Math.PI / 2));
    expect(vertical.every(([x]) => x === 0)).toBe(true);
    expect(vertical).toHaveLength(15);
    const diagonal = linearMotionKernel(21, Math.PI / 4);
    // Counter-clockwise with y down: up and to the right, and symmetric about the centre.
    for (const [x, y] of taps(diagonal)) expect(Math.abs(x + y)).toBeLessThanOrEqual(1);
    const flipped = flipKernel(diagonal).weights;
    diagonal.weights.forEach((w, i) => expect(flipped[i]).toBeCloseTo(w, 6));
  });

  it('draws random kernels of 9–21 px, a shake as a curved path rather than a line', () => {
    const random = seededRandom(11);
    for (let i = 0; i < 20; i++) {
      const linear = randomLinearKernel(random);
      const length = Math.max(extentOf(linear, 0), extentOf(linear, 1));
      expect(length).toBeGreaterThanOrEqual(MOTION_LENGTHS.shortest);
      expect(length).toBeLessThanOrEqual(MOTION_LENGTHS.longest + 1);
      const shake = randomShakeKernel(random);
      const span = Math.max(extentOf(shake, 0), extentOf(shake, 1));
      expect(span).toBeGreaterThanOrEqual(MOTION_LENGTHS.shortest);
      expect(span).toBeLessThanOrEqual(MOTION_LENGTHS.longest + 2);
    }
    // A straight streak of length L covers about 2L pixels with bilinear weights; a curved path of the same span covers more.
    const shake = handShakeKernel(seededRandom(5), 15);
    expect(taps(shake).length).toBeGreaterThan(2 * 15);
  });

  it('convolves with edges mirrored: a flat image stays flat, one bright pixel becomes the kernel itself', () => {
    const kernel = linearMotionKernel(9, 0.7);
    const flat = convolve(filled(20, 20, 0.5, 32), kernel);
    for (const v of flat.data) expect(v).toBeCloseTo(0.5, 5);
    const dot = createImage(31, 31, 1, 32);
    dot.data[15 * 31 + 15] = 1;
    const spread = convolve(dot, kernel);
    const r = (kernel.size - 1) / 2;
    for (let ky = 0; ky < kernel.size; ky++) {
      for (let kx = 0; kx < kernel.size; kx++) expect(spread.data[(15 + ky - r) * 31 + 15 + kx - r]).toBeCloseTo(kernel.weights[ky * kernel.size + kx], 6);
    }
  });
});

describe('linear light', () => {
  it('round-trips every 8-bit value through the sRGB transfer function', () => {
    const ramp = createImage(256, 1, 1, 8);
    ramp.data.forEach((_, i) => {
      ramp.data[i] = i;
    });
    expect(Array.from(fromLinear(toLinear(ramp)).data)).toEqual(Array.from(ramp.data));
    expect(srgbToLinear(0.5)).toBeCloseTo(0.214, 3);
    expect(linearToSrgb(srgbToLinear(0.8))).toBeCloseTo(0.8, 10);
  });
});

describe('sensor noise', () => {
  it('has the Poisson–Gaussian variance of its model at every level, around the true mean', () => {
    const random = seededRandom(9);
    // 0.1 of white is 20 e⁻ (drawn exactly), 0.5 is 100 e⁻ (drawn as a normal).
    for (const level of [0.1, 0.5]) {
      const { mean, variance } = meanAndVariance(addSensorNoise(filled(128, 128, level, 32), PHONE_HIGH_ISO, random).data);
      expect(mean).toBeCloseTo(level, 3);
      expect(variance / sensorNoiseVariance(level, PHONE_HIGH_ISO)).toBeGreaterThan(0.96);
      expect(variance / sensorNoiseVariance(level, PHONE_HIGH_ISO)).toBeLessThan(1.04);
    }
    // Brighter is noisier in absolute terms, cleaner relative to the signal.
    expect(sensorNoiseVariance(0.5, PHONE_HIGH_ISO)).toBeGreaterThan(sensorNoiseVariance(0.1, PHONE_HIGH_ISO));
    expect(Math.sqrt(sensorNoiseVariance(0.5, PHONE_HIGH_ISO)) / 0.5).toBeLessThan(Math.sqrt(sensorNoiseVariance(0.1, PHONE_HIGH_ISO)) / 0.1);
  });

  it('shows as visible grain on 8-bit sRGB, stronger in the shadows, as the model documents', () => {
    const std = (value: number) => Math.sqrt(meanAndVariance(cameraNoise(filled(128, 128, value), 5).data).variance);
    expect(std(128)).toBeGreaterThan(9);
    expect(std(128)).toBeLessThan(10.5);
    expect(std(30)).toBeGreaterThan(17);
    expect(std(30)).toBeLessThan(21);
  });

  it('darkens by 2 stops in linear light for the low-light degradation: a quarter of the light', () => {
    const grey = filled(128, 128, 160);
    const linearMean = (image: PixelImage) => sum(toLinear(image).data) / image.data.length;
    const truth = srgbToLinear(160 / 255);
    expect(linearMean(cameraNoise(grey, 2, LOW_LIGHT_STOPS)) / truth).toBeCloseTo(0.25, 2);
    expect(linearMean(cameraNoise(grey, 2)) / truth).toBeCloseTo(1, 2);
  });
});

describe('haze', () => {
  it('follows I = J·t + A·(1 − t) with t = e^(−β·d): on black, the top (far) is hazier than the bottom (near)', () => {
    const { beta, airlight, nearDepth } = MODERATE_HAZE;
    const hazy = addHaze(filled(16, 16, 0, 32), MODERATE_HAZE);
    // On black the proxy is the vertical gradient alone, weighted 0.6.
    const expected = (depth: number) => airlight * (1 - Math.exp(-beta * (nearDepth + (1 - nearDepth) * depth)));
    expect(hazy.data[0]).toBeCloseTo(expected(0.6), 5);
    expect(hazy.data[hazy.data.length - 1]).toBeCloseTo(expected(0), 5);
    // Haze of the airlight's own colour changes nothing.
    for (const v of addHaze(filled(16, 16, airlight, 32), MODERATE_HAZE).data) expect(v).toBeCloseTo(airlight, 5);
  });

  it('lowers contrast towards the airlight on a photo', async () => {
    const truth = await chelseaCrop();
    const degradation = DEGRADATIONS.find((d) => d.id === 'haze');
    if (!degradation) throw new Error('no haze degradation');
    const { image } = await degradation.apply(truth, 1);
    const spread = (img: PixelImage) => Math.sqrt(meanAndVariance(img.data).variance);
    expect(spread(image)).toBeLessThan(0.7 * spread(truth));
    expect(sum(image.data) / image.data.length).toBeGreaterThan(sum(truth.data) / truth.data.length);
  });
});

describe('the new degradations', () => {
  const ids = ['motion-linear', 'motion-shake', 'noise-camera', 'lowlight-2ev', 'haze'];

  it('are deterministic for an image and seed, vary with the seed where they draw, and keep the size', async () => {
    const truth = await chelseaCrop(64);
    for (const id of ids) {
      const degradation = DEGRADATIONS.find((d) => d.id === id);
      if (!degradation) throw new Error(`no degradation ${id}`);
      const first = await degradation.apply(truth, 7);
      const again = await degradation.apply(truth, 7);
      const other = await degradation.apply(truth, 8);
      expect([first.image.width, first.image.height, first.image.channels, first.image.bitDepth]).toEqual([64, 64, 3, 8]);
      expect(again.image.data).toEqual(first.image.data);
      if (id !== 'haze') expect(other.image.data).not.toEqual(first.image.data);
      // Only the motion blurs hand their kernel to Richardson–Lucy.
      expect(first.kernel !== undefined).toBe(id.startsWith('motion-'));
    }
  });

  it('draw one seed per image and degradation, the same on every run', () => {
    expect(seedFor('noise-camera', 'chelsea-fur')).toBe(seedFor('noise-camera', 'chelsea-fur'));
    expect(seedFor('noise-camera', 'chelsea-fur')).not.toBe(seedFor('noise-camera', 'coffee-spoon'));
    expect(seedFor('noise-camera', 'chelsea-fur')).not.toBe(seedFor('lowlight-2ev', 'chelsea-fur'));
  });
});
