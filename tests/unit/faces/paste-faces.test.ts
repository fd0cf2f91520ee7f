import { alignFace, alignmentTo, resizeAlignment } from '../../../native-helper/src/faces/align';
import { faceRegion, regionWeight, type FaceRegion } from '../../../native-helper/src/faces/face-mask';
import { FFHQ_TEMPLATE_512, templateFaceOutline } from '../../../native-helper/src/faces/face-template';
import { pasteFaces, type FacePaste } from '../../../native-helper/src/faces/paste-faces';
import { applySimilarity, type Point, type Similarity } from '../../../native-helper/src/faces/similarity';
import { createImage, type PixelImage } from '../../../native-helper/src/imaging/pixel-image';
import { resampleImage } from '../../../native-helper/src/imaging/resample';
import { seededRandom } from '../../../native-helper/src/protocol/seeded-random';

/** The template's five points as a face of the image: rotated, scaled and placed. */
function facePoints(degrees: number, scale: number, cx: number, cy: number): Point[] {
  const r = (degrees * Math.PI) / 180;
  const t: Similarity = { a: scale * Math.cos(r), b: scale * Math.sin(r), tx: 0, ty: 0 };
  return FFHQ_TEMPLATE_512.map((p) => applySimilarity(t, { x: p.x - 256, y: p.y - 256 })).map((p) => ({ x: p.x + cx, y: p.y + cy }));
}

function randomImage(random: () => number, width: number, height: number, channels: 3 | 4, bitDepth: 8 | 16): PixelImage {
  const image = createImage(width, height, channels, bitDepth);
  for (let i = 0; i < image.data.length; i++) image.data[i] = Math.floor(random() * (image.maxValue + 1));
  return image;
}

function randomCrop(random: () => number, side: number): PixelImage {
  const crop = createImage(side, side, 3, 32, 1);
  for (let i = 0; i < crop.data.length; i++) crop.data[i] = random();
  return crop;
}

const templateRegion = (side: number): FaceRegion => faceRegion(templateFaceOutline(side), side);

/** Whether any face's region reaches image pixel (x, y). */
const reached = (faces: FacePaste[], x: number, y: number) =>
  faces.some((f) => {
    const p = applySimilarity(f.toCrop, { x, y });
    return f.strength > 0 && regionWeight(f.region, p.x, p.y) > 0;
  });

describe('warp and inverse warp', () => {
  it('round-trips: a face aligned into a crop and pasted back unchanged gives the image back (16-bit, within 1)', () => {
    // Linear ramps: bilinear sampling reproduces them exactly, so only rounding remains.
    const image = createImage(200, 160, 4, 16);
    for (let y = 0; y < 160; y++) {
      for (let x = 0; x < 200; x++) image.data.set([x * 300, y * 400, 20000, (x * 7919 + y) % 65536], (y * 200 + x) * 4);
    }
    const face = alignFace(image, facePoints(20, 0.2, 100, 80), 256);
    const out = pasteFaces(image, [{ crop: face.crop, toCrop: face.toCrop, region: templateRegion(256), strength: 1 }]);
    let worst = 0;
    for (let i = 0; i < image.data.length; i++) worst = Math.max(worst, Math.abs(out.data[i] - image.data[i]));
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('puts each face pixel where it came from: a crop painted in the crop’s own coordinates lands at the right image pixels', () => {
    const image = createImage(120, 120, 3, 8);
    const side = 64;
    const toCrop = alignmentTo(facePoints(-35, 0.15, 60, 64), side);
    // The "restored" crop encodes its own coordinates: R = u/64, G = v/64.
    const crop = createImage(side, side, 3, 32, 1);
    for (let v = 0; v < side; v++) for (let u = 0; u < side; u++) crop.data.set([u / side, v / side, 0.5], (v * side + u) * 3);
    const region = templateRegion(side);
    const out = pasteFaces(image, [{ crop, toCrop, region, strength: 1 }]);
    let checked = 0;
    for (let y = 0; y < 120; y++) {
      for (let x = 0; x < 120; x++) {
        const p = applySimilarity(toCrop, { x, y });
        if (regionWeight(region, p.x, p.y) < 1) continue;
        const i = (y * 120 + x) * 3;
        expect(Math.abs(out.data[i] - (p.x / side) * 255)).toBeLessThanOrEqual(1);
        expect(Math.abs(out.data[i + 1] - (p.y / side) * 255)).toBeLessThanOrEqual(1);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('reads colour from gray images as R = G = B and pastes a face’s luma back', () => {
    const gray = createImage(80, 80, 1, 8);
    gray.data.fill(100);
    const face = alignFace(gray, facePoints(0, 0.12, 40, 40), 32);
    expect(Array.from(face.crop.data.subarray(0, 3)).map((v) => Math.round(v * 255))).toEqual([100, 100, 100]);
    const white = createImage(32, 32, 3, 32, 1);
    white.data.fill(1);
    const out = pasteFaces(gray, [{ crop: white, toCrop: face.toCrop, region: templateRegion(32), strength: 1 }]);
    expect(out.data[40 * 80 + 40]).toBe(255);
  });
});

describe('pasteFaces', () => {
  it.each([
    [8, 3],
    [8, 4],
    [16, 3],
    [16, 4],
  ] as const)('leaves every pixel no face reaches, and alpha everywhere, byte-identical (%d-bit, %d channels, random images and faces)', (bitDepth, channels) => {
    const random = seededRandom(bitDepth * 10 + channels);
    let changed = 0;
    let outsideChanged = 0;
    let alphaChanged = 0;
    for (let trial = 0; trial < 12; trial++) {
      const width = 40 + Math.floor(random() * 60);
      const height = 40 + Math.floor(random() * 60);
      const image = randomImage(random, width, height, channels, bitDepth);
      const faces: FacePaste[] = Array.from({ length: 1 + Math.floor(random() * 4) }, () => {
        const side = 24 + Math.floor(random() * 40);
        // Faces anywhere, some crossing the image's edges, of 10 to 60 px between the eyes.
        const points = facePoints(random() * 360, 0.08 + random() * 0.4, random() * width, random() * height);
        const landmarks = Array.from({ length: 8 }, () => ({ x: random() * side, y: random() * side }));
        return {
          crop: randomCrop(random, side),
          toCrop: alignmentTo(points, side),
          region: random() < 0.5 ? templateRegion(side) : faceRegion(landmarks, side),
          strength: random() < 0.2 ? 0 : random(),
        };
      });
      const out = pasteFaces(image, faces);
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const p = (y * width + x) * channels;
          if (channels === 4 && out.data[p + 3] !== image.data[p + 3]) alphaChanged++;
          if (reached(faces, x, y)) {
            if (out.data[p] !== image.data[p]) changed++;
          } else if ([0, 1, 2].some((c) => out.data[p + c] !== image.data[p + c])) {
            outsideChanged++;
          }
        }
      }
    }
    expect(outsideChanged).toBe(0);
    expect(alphaChanged).toBe(0);
    expect(changed).toBeGreaterThan(100);
  });

  it('does not touch the input image', () => {
    const image = randomImage(seededRandom(3), 50, 50, 3, 8);
    const before = image.data.slice();
    pasteFaces(image, [{ crop: randomCrop(seededRandom(4), 32), toCrop: alignmentTo(facePoints(0, 0.15, 25, 25), 32), region: templateRegion(32), strength: 1 }]);
    expect(Buffer.from(image.data.buffer).equals(Buffer.from(before.buffer))).toBe(true);
  });

  it('blends by strength: ½ gives the mean of the original and the restored face inside the feather', () => {
    const image = createImage(60, 60, 3, 8);
    image.data.fill(40);
    const crop = createImage(32, 32, 3, 32, 1);
    crop.data.fill(200 / 255);
    const out = pasteFaces(image, [{ crop, toCrop: alignmentTo(facePoints(0, 0.2, 30, 30), 32), region: templateRegion(32), strength: 0.5 }]);
    expect(Array.from(out.data.subarray((31 * 60 + 30) * 3, (31 * 60 + 30) * 3 + 3))).toEqual([120, 120, 120]);
  });

  it('mixes overlapping faces the same whatever their order', () => {
    const random = seededRandom(11);
    const image = createImage(80, 80, 3, 32, 1);
    for (let i = 0; i < image.data.length; i++) image.data[i] = random();
    const faces: FacePaste[] = [
      [0, 0.2, 35, 40],
      [30, 0.18, 45, 38],
      [-20, 0.25, 40, 50],
    ].map(([degrees, scale, cx, cy], k) => ({
      crop: randomCrop(random, 40),
      toCrop: alignmentTo(facePoints(degrees, scale, cx, cy), 40),
      region: templateRegion(40),
      strength: [1, 0.7, 0.4][k],
    }));
    const forward = pasteFaces(image, faces);
    const backward = pasteFaces(image, [...faces].reverse());
    let worst = 0;
    let overlapChanged = 0;
    for (let i = 0; i < image.data.length; i++) {
      worst = Math.max(worst, Math.abs(forward.data[i] - backward.data[i]));
      if (forward.data[i] !== image.data[i]) overlapChanged++;
    }
    expect(worst).toBeLessThan(1e-5);
    expect(overlapChanged).toBeGreaterThan(1000);
  });

  it('changes nothing at strength 0', () => {
    const image = randomImage(seededRandom(9), 50, 50, 4, 16);
    const out = pasteFaces(image, [{ crop: randomCrop(seededRandom(2), 32), toCrop: alignmentTo(facePoints(10, 0.2, 25, 25), 32), region: templateRegion(32), strength: 0 }]);
    expect(Buffer.from(out.data.buffer).equals(Buffer.from(image.data.buffer))).toBe(true);
  });

  it('pastes a crop resampled to another side through the resized alignment', () => {
    // 16-bit ramps, steep enough that a crop misplaced by a fraction of a pixel shows.
    const image = createImage(120, 120, 3, 16);
    for (let y = 0; y < 120; y++) for (let x = 0; x < 120; x++) image.data.set([x * 500, y * 500, 9000], (y * 120 + x) * 3);
    const face = alignFace(image, facePoints(15, 0.2, 60, 60), 64);
    const larger = resampleImage(face.crop, 160, 160);
    const out = pasteFaces(image, [{ crop: larger, toCrop: resizeAlignment(face.toCrop, 64, 160), region: templateRegion(160), strength: 1 }]);
    let worst = 0;
    for (let i = 0; i < image.data.length; i++) worst = Math.max(worst, Math.abs(out.data[i] - image.data[i]));
    expect(worst).toBeLessThanOrEqual(1);
  });
});
