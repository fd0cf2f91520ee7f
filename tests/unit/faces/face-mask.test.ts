import { convexHull, faceRegion, regionMask, regionWeight } from '../../../native-helper/src/faces/face-mask';
import { templateFaceOutline } from '../../../native-helper/src/faces/face-template';

const square = (lo: number, hi: number) => [
  { x: lo, y: lo },
  { x: hi, y: lo },
  { x: hi, y: hi },
  { x: lo, y: hi },
];

describe('convexHull', () => {
  it('keeps the corners and drops inner and collinear points, in any input order', () => {
    const points = [{ x: 5, y: 5 }, ...square(0, 10), { x: 5, y: 0 }, { x: 2, y: 7 }].reverse();
    const hull = convexHull(points);
    expect(hull).toHaveLength(4);
    expect(hull).toEqual(expect.arrayContaining(square(0, 10)));
  });
});

describe('faceRegion', () => {
  // side 64, hull [10, 50]²: size 40, feather 0.12 · 40 = 4.8 px.
  const region = faceRegion(square(10, 50), 64);

  it('weighs 0 on and outside the hull and 1 farther inside than the feather', () => {
    expect(regionWeight(region, 10, 30)).toBe(0);
    expect(regionWeight(region, 9, 30)).toBe(0);
    expect(regionWeight(region, 30, 55)).toBe(0);
    expect(regionWeight(region, 30, 30)).toBe(1);
    expect(regionWeight(region, 15, 15)).toBe(1);
  });

  it('rises smoothly across the feather: ½ halfway, never falling inward', () => {
    expect(region.feather).toBeCloseTo(4.8, 9);
    expect(regionWeight(region, 10 + 2.4, 30)).toBeCloseTo(0.5, 9);
    let previous = 0;
    for (let x = 10; x <= 16; x += 0.25) {
      const w = regionWeight(region, x, 30);
      expect(w).toBeGreaterThanOrEqual(previous);
      previous = w;
    }
    expect(previous).toBe(1);
  });

  it('is cut to the crop: a hull larger than the crop still fades to 0 at its border', () => {
    const wide = faceRegion(square(-20, 90), 64);
    expect(regionWeight(wide, 0, 32)).toBe(0);
    expect(regionWeight(wide, 63, 32)).toBe(0);
    expect(regionWeight(wide, 1, 32)).toBeGreaterThan(0);
    expect(regionWeight(wide, 32, 32)).toBe(1);
  });

  it('covers the face of the template outline and not the crop corners', () => {
    const side = 128;
    const mask = regionMask(faceRegion(templateFaceOutline(side), side), side);
    const at = (x: number, y: number) => mask[y * side + x];
    expect(at(64, 75)).toBe(1); // between the eyes and the mouth
    expect(at(0, 0)).toBe(0);
    expect(at(127, 127)).toBe(0);
    expect(at(64, 5)).toBe(0); // above the forehead
  });

  it('refuses points that span no area', () => {
    expect(() =>
      faceRegion(
        [
          { x: 0, y: 0 },
          { x: 1, y: 1 },
          { x: 2, y: 2 },
        ],
        16,
      ),
    ).toThrow(/not on one line/);
  });
});
