import { FFHQ_TEMPLATE_512, templateAt } from '../../../native-helper/src/faces/face-template';
import { alignmentTo } from '../../../native-helper/src/faces/align';
import { applySimilarity, composeSimilarity, estimateSimilarity, invertSimilarity, scaleOf, type Point, type Similarity } from '../../../native-helper/src/faces/similarity';
import { seededRandom } from '../../../native-helper/src/protocol/seeded-random';

/** Rotation by `degrees`, uniform `scale`, then a shift. */
function similarity(degrees: number, scale: number, tx: number, ty: number): Similarity {
  const r = (degrees * Math.PI) / 180;
  return { a: scale * Math.cos(r), b: scale * Math.sin(r), tx, ty };
}

const squaredError = (t: Similarity, from: Point[], to: Point[]) =>
  from.reduce((sum, p, i) => {
    const q = applySimilarity(t, p);
    return sum + (q.x - to[i].x) ** 2 + (q.y - to[i].y) ** 2;
  }, 0);

describe('estimateSimilarity', () => {
  it.each([
    [0, 1, 0, 0],
    [17, 0.23, 412.5, -80],
    [-133, 3.7, -5, 901.25],
    [180, 0.05, 12, 14],
  ])('recovers a known similarity exactly (rotation %d°, scale %d, shift %d, %d)', (degrees, scale, tx, ty) => {
    const known = similarity(degrees, scale, tx, ty);
    const face = FFHQ_TEMPLATE_512.map((p) => applySimilarity(known, p));
    const found = estimateSimilarity(FFHQ_TEMPLATE_512, face);
    for (const key of ['a', 'b', 'tx', 'ty'] as const) expect(found[key]).toBeCloseTo(known[key], 9);
  });

  it('is the least-squares fit when the points are not an exact similarity: any change of it fits worse', () => {
    const random = seededRandom(5);
    const known = similarity(-12, 0.4, 300, 120);
    const face = FFHQ_TEMPLATE_512.map((p) => applySimilarity(known, p)).map((p) => ({ x: p.x + (random() - 0.5) * 6, y: p.y + (random() - 0.5) * 6 }));
    const fit = estimateSimilarity(face, FFHQ_TEMPLATE_512);
    const best = squaredError(fit, face, [...FFHQ_TEMPLATE_512]);
    for (const key of ['a', 'b', 'tx', 'ty'] as const) {
      for (const step of [-1e-3, 1e-3]) {
        const changed = { ...fit, [key]: fit[key] + step * (key.startsWith('t') ? 100 : 1) };
        expect(squaredError(changed, face, [...FFHQ_TEMPLATE_512])).toBeGreaterThan(best);
      }
    }
  });

  it('never mirrors: mirrored points get a rotation, not a reflection', () => {
    const mirrored = FFHQ_TEMPLATE_512.map((p) => ({ x: 512 - p.x, y: p.y }));
    const fit = estimateSimilarity(FFHQ_TEMPLATE_512, mirrored);
    // a reflection would fit exactly; a similarity cannot, so some error remains.
    expect(squaredError(fit, [...FFHQ_TEMPLATE_512], mirrored)).toBeGreaterThan(100);
  });

  it('refuses fewer than two pairs and points that all coincide', () => {
    expect(() => estimateSimilarity([{ x: 1, y: 1 }], [{ x: 2, y: 2 }])).toThrow(/two or more/);
    const same = [
      { x: 3, y: 3 },
      { x: 3, y: 3 },
    ];
    expect(() => estimateSimilarity(same, same)).toThrow(/coincide/);
  });
});

describe('similarity algebra', () => {
  it('inverts and composes: t⁻¹ ∘ t is the identity', () => {
    const t = similarity(33, 2.5, -40, 7);
    const round = composeSimilarity(t, invertSimilarity(t));
    expect(round.a).toBeCloseTo(1, 12);
    expect(round.b).toBeCloseTo(0, 12);
    expect(round.tx).toBeCloseTo(0, 10);
    expect(round.ty).toBeCloseTo(0, 10);
    expect(scaleOf(t)).toBeCloseTo(2.5, 12);
  });
});

describe('alignment to the template', () => {
  it('puts a face’s five points on the template of any crop side', () => {
    const face = FFHQ_TEMPLATE_512.map((p) => applySimilarity(similarity(25, 0.3, 1000, 600), p));
    for (const side of [512, 256, 97]) {
      const toCrop = alignmentTo(face, side);
      face.forEach((p, i) => {
        const q = applySimilarity(toCrop, p);
        expect(q.x).toBeCloseTo(templateAt(side)[i].x, 6);
        expect(q.y).toBeCloseTo(templateAt(side)[i].y, 6);
      });
    }
  });
});
