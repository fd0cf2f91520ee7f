import { growHole } from '../../../native-helper/src/imaging/mask';

/** A binary mask drawn as rows of `#` (set) and `.` (clear). */
function drawn(rows: string[]): { mask: Uint8Array; width: number; height: number } {
  return { mask: Uint8Array.from(rows.join(''), (c) => (c === '#' ? 1 : 0)), width: rows[0].length, height: rows.length };
}

function drawing(mask: Uint8Array, width: number): string[] {
  return Array.from({ length: mask.length / width }, (_, y) => Array.from(mask.subarray(y * width, (y + 1) * width), (v) => (v ? '#' : '.')).join(''));
}

describe('growing a hole', () => {
  it('covers every pixel within the radius on both axes, corners included, and stops at the image edges', () => {
    const { mask, width, height } = drawn(['........', '.#......', '........', '........', '.......#']);
    expect(drawing(growHole(mask, width, height, 1), width)).toEqual(['###.....', '###.....', '###.....', '......##', '......##']);
    expect(drawing(growHole(mask, width, height, 2), width)).toEqual(['####....', '####....', '####.###', '####.###', '.....###']);
  });

  it('leaves the hole as it is at radius 0', () => {
    const { mask, width, height } = drawn(['.#.', '...']);
    expect(drawing(growHole(mask, width, height, 0), width)).toEqual(['.#.', '...']);
  });
});
