import { normalized } from '../../../native-helper/src/faces/embedding';
import { identitySimilarity } from '../../../native-helper/src/faces/identity';

describe('identitySimilarity', () => {
  it('is the cosine of the angle between two embeddings, whatever their lengths', () => {
    expect(identitySimilarity(Float32Array.of(1, 0), Float32Array.of(3, 0))).toBeCloseTo(1, 12);
    expect(identitySimilarity(Float32Array.of(1, 0), Float32Array.of(0, 2))).toBeCloseTo(0, 12);
    expect(identitySimilarity(Float32Array.of(1, 1), Float32Array.of(-2, -2))).toBeCloseTo(-1, 12);
    expect(identitySimilarity(Float32Array.of(1, 0), Float32Array.of(1, 1))).toBeCloseTo(Math.SQRT1_2, 7);
  });

  it('is 0 against an empty (all-zero) embedding rather than NaN', () => {
    expect(identitySimilarity(Float32Array.of(1, 2), Float32Array.of(0, 0))).toBe(0);
  });

  it('refuses embeddings of different lengths', () => {
    expect(() => identitySimilarity(new Float32Array(1024), new Float32Array(128))).toThrow('embeddings of 1024 and 128 values cannot be compared');
  });
});

describe('normalized', () => {
  it('scales a vector to length 1 and keeps its direction', () => {
    const v = normalized(Float32Array.of(3, 4));
    expect(Array.from(v)).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)]);
  });
});
