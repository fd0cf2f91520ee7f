import { inventedDetailTarget } from '../../../native-helper/src/eval/invented-detail-auc';
import { rocAuc } from '../../../native-helper/src/eval/roc-auc';
import { createImage } from '../../../native-helper/src/imaging/pixel-image';

describe('ROC AUC', () => {
  it('is the share of positive–negative pairs the score orders right (by hand: 3 of 4)', () => {
    // Pairs (positive, negative): 0.35>0.1 ✓, 0.35<0.4 ✗, 0.8>0.1 ✓, 0.8>0.4 ✓.
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [false, false, true, true])).toBe(0.75);
  });

  it('counts a tie between a positive and a negative as one half', () => {
    // Pairs: 1 vs 1 tie ½, 1 vs 2 ✗, 3 vs 1 ✓, 3 vs 2 ✓ → 2.5 of 4.
    expect(rocAuc([1, 1, 2, 3], [false, true, false, true])).toBe(0.625);
    expect(rocAuc([5, 5, 5, 5], [true, false, true, false])).toBe(0.5);
  });

  it('is 1 for a perfect ranking and 0 for a reversed one', () => {
    expect(rocAuc([1, 2, 3, 4, 5], [false, false, false, true, true])).toBe(1);
    expect(rocAuc([5, 4, 3, 2, 1], [false, false, false, true, true])).toBe(0);
  });

  it('refuses labels of another length or of one class only', () => {
    expect(() => rocAuc([1, 2], [true])).toThrow('labels');
    expect(() => rocAuc([1, 2], [true, true])).toThrow('both');
  });
});

describe('the target of the map of invented detail', () => {
  it('marks the top 20 % of where the output is worse than bicubic', () => {
    const size = 40;
    const truth = createImage(size, size, 3, 8);
    truth.data.fill(128);
    const bicubic = { ...truth, data: truth.data.slice() };
    const output = { ...truth, data: truth.data.slice() };
    // The output is wrong by 60 levels in a 12×12 square at (20, 4); bicubic is right everywhere.
    for (let y = 4; y < 16; y++) for (let x = 20; x < 32; x++) output.data.fill(188, (y * size + x) * 3, (y * size + x) * 3 + 3);
    const border = 2;
    const positive = inventedDetailTarget(truth, output, bicubic, border);
    const inner = size - 2 * border;
    expect(positive).toHaveLength(inner * inner);
    expect(positive.filter(Boolean)).toHaveLength(Math.ceil(0.2 * inner * inner));
    // Every pixel of the square (shaved coordinates) is marked.
    for (let y = 4; y < 16; y++) for (let x = 20; x < 32; x++) expect(positive[(y - border) * inner + x - border]).toBe(true);
  });
});
