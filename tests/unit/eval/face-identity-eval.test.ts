import { type IdentityCase, thresholdCrossings } from '../../../native-helper/src/eval/face-identity-eval';

const at = (one: number, half: number) =>
  new Map([
    [1, one],
    [0.5, half],
  ]);
const CASES: IdentityCase[] = [
  { face: 'a', change: 'blur', degraded: 0.9, restored: at(0.95, 0.93) },
  { face: 'a', change: 'noise', degraded: 0.7, restored: at(0.5, 0.64) },
  { face: 'b', change: 'blur', degraded: 0.55, restored: at(0.7, 0.6) },
  { face: 'b', change: 'x4', degraded: 0.4, restored: at(0.3, 0.35) },
];

describe('thresholdCrossings', () => {
  it('counts faces below the threshold before and after, and which way they crossed it', () => {
    expect(thresholdCrossings(CASES, 1, 0.62)).toEqual({ strength: 1, cases: 4, degradedBelow: 2, restoredBelow: 2, fellBelow: 1, roseAbove: 1, closer: 2 });
    expect(thresholdCrossings(CASES, 0.5, 0.62)).toEqual({ strength: 0.5, cases: 4, degradedBelow: 2, restoredBelow: 2, fellBelow: 0, roseAbove: 0, closer: 2 });
  });

  it('refuses a strength the cases were not restored at', () => {
    expect(() => thresholdCrossings(CASES, 0.75, 0.62)).toThrow(/a, blur was not restored at strength 0.75/);
  });
});
