import { downscaleSimilarity, similarityAbout, warpImage } from '../../../native-helper/src/eval/similarity-warp';
import { fivePointError, templateResidual } from '../../../native-helper/src/eval/face-landmark-error';
import { FFHQ_TEMPLATE_512 } from '../../../native-helper/src/faces/face-template';
import { applySimilarity, type Point } from '../../../native-helper/src/faces/similarity';
import { createImage } from '../../../native-helper/src/imaging/pixel-image';
import { resampleImage } from '../../../native-helper/src/imaging/resample';

/** A face's five points in a photo: the template shrunk to a 50-px eye distance and moved. */
const FACE: Point[] = FFHQ_TEMPLATE_512.map((p) => ({ x: 100 + (p.x - 256) * 0.4, y: 120 + (p.y - 256) * 0.4 }));
const EYES = Math.hypot(FACE[1].x - FACE[0].x, FACE[1].y - FACE[0].y);

describe('fivePointError', () => {
  it('is zero for points that moved exactly as the photo did, at any rotation and scale', () => {
    const moved = similarityAbout({ x: 60, y: 80 }, 33, 0.37, { x: 5.5, y: -2 });
    const error = fivePointError(
      FACE.map((p) => applySimilarity(moved, p)),
      FACE,
      moved,
    );
    expect(error.maxPixels).toBeLessThan(1e-9);
  });

  it("measures a misplaced point in the clean photo's pixels and eye distances, whatever the copy's scale", () => {
    const quarter = downscaleSimilarity(4);
    // The nose found 1 px off in the ×4 smaller copy: 4 px in the clean photo.
    const found = FACE.map((p, i) => {
      const q = applySimilarity(quarter, p);
      return i === 2 ? { x: q.x + 1, y: q.y } : q;
    });
    const error = fivePointError(found, FACE, quarter);
    expect(error.pixels.map((d) => Number(d.toFixed(9)))).toEqual([0, 0, 4, 0, 0]);
    expect(error.maxPixels).toBeCloseTo(4, 9);
    expect(error.meanPixels).toBeCloseTo(0.8, 9);
    expect(error.meanShare).toBeCloseTo(0.8 / EYES, 9);
    expect(error.maxShare).toBeCloseTo(4 / EYES, 9);
  });

  it('refuses other than five points each', () => {
    expect(() => fivePointError(FACE.slice(0, 4), FACE, downscaleSimilarity(1))).toThrow(/five points/);
  });
});

describe('templateResidual', () => {
  it('is zero for a face shaped as the template, however it lies in the photo', () => {
    expect(templateResidual(FACE)).toBeLessThan(1e-9);
    expect(templateResidual(FACE.map((p) => applySimilarity(similarityAbout({ x: 0, y: 0 }, -70, 2.5), p)))).toBeLessThan(1e-9);
  });

  it('measures a shape the template does not have in aligned 512 pixels, the same after a rotation', () => {
    // The mouth corners 5 px lower than the template's at 0.4×: about 12.5 px in the 512 crop for two of five points.
    const wide = FACE.map((p, i) => (i >= 3 ? { x: p.x, y: p.y + 5 } : p));
    const residual = templateResidual(wide);
    expect(residual).toBeGreaterThan(3);
    expect(residual).toBeLessThan(12.5);
    expect(templateResidual(wide.map((p) => applySimilarity(similarityAbout({ x: 90, y: 90 }, 25, 0.5), p)))).toBeCloseTo(residual, 9);
  });
});

describe('warpImage and downscaleSimilarity', () => {
  /** A black 64² image with one white pixel at (20, 12). */
  function dot(): ReturnType<typeof createImage> {
    const image = createImage(64, 64, 3, 8);
    image.data.fill(255, (12 * 64 + 20) * 3, (12 * 64 + 20) * 3 + 3);
    return image;
  }
  const brightest = (image: ReturnType<typeof createImage>): Point => {
    let best = 0;
    for (let p = 1; p < image.width * image.height; p++) if (image.data[p * image.channels] > image.data[best * image.channels]) best = p;
    return { x: best % image.width, y: Math.floor(best / image.width) };
  };

  it('moves a pixel where the similarity sends it', () => {
    const t = similarityAbout({ x: 32, y: 32 }, 90, 1, { x: 3, y: 0 });
    expect(applySimilarity(t, { x: 20, y: 12 })).toEqual({ x: expect.closeTo(55, 9), y: expect.closeTo(20, 9) });
    expect(brightest(warpImage(dot(), t, 64, 64))).toEqual({ x: 55, y: 20 });
  });

  it('places points as resampleImage shrinks the image', () => {
    const image = createImage(64, 64, 3, 8);
    // A white 4×4 block at 20..23, 12..15: its centre (21.5, 13.5) is the centre of pixel (5, 3) in the ×4 copy.
    for (let y = 12; y < 16; y++) image.data.fill(255, (y * 64 + 20) * 3, (y * 64 + 24) * 3);
    expect(applySimilarity(downscaleSimilarity(4), { x: 21.5, y: 13.5 })).toEqual({ x: 5, y: 3 });
    expect(brightest(resampleImage(image, 16, 16))).toEqual({ x: 5, y: 3 });
  });
});
