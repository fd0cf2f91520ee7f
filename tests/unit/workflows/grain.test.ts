import { addGrain } from '../../../plugin/src/workflows/grain';
import type { HostPixels } from '../../../plugin/src/workflows/host';

function flat(bitDepth: 8 | 16, value: number): HostPixels {
  const data = bitDepth === 8 ? new Uint8Array(64 * 64 * 4) : new Uint16Array(64 * 64 * 4);
  for (let i = 0; i < data.length; i++) data[i] = i % 4 === 3 ? (bitDepth === 8 ? 255 : 32768) : value;
  return { width: 64, height: 64, channels: 4, bitDepth, colorProfile: 'sRGB IEC61966-2.1', data };
}

describe('addGrain', () => {
  it('adds subtle monochrome grain, the same every time, and keeps alpha', () => {
    const grained = addGrain(flat(8, 128), 1, 0);
    const again = addGrain(flat(8, 128), 1, 0);
    expect(Array.from(grained.data)).toEqual(Array.from(again.data));
    let changed = 0;
    for (let p = 0; p < 64 * 64; p++) {
      const [r, g, b, a] = grained.data.subarray(p * 4, p * 4 + 4);
      expect(r === g && g === b).toBe(true);
      expect(Math.abs(r - 128)).toBeLessThanOrEqual(9);
      expect(a).toBe(255);
      if (r !== 128) changed++;
    }
    expect(changed).toBeGreaterThan(64 * 64 * 0.5);
  });

  it('gives each band of an image its own grain, the same whatever else is read', () => {
    const top = addGrain(flat(8, 128), 1, 0);
    const lower = addGrain(flat(8, 128), 1, 64);
    expect(Array.from(lower.data)).not.toEqual(Array.from(top.data));
    expect(Array.from(addGrain(flat(8, 128), 1, 64).data)).toEqual(Array.from(lower.data));
  });

  it('leaves the pixels alone at amount 0 and stays inside the 16-bit range at the top', () => {
    const source = flat(16, 32768);
    expect(addGrain(source, 0, 0)).toBe(source);
    expect(Math.max(...addGrain(source, 1, 0).data)).toBe(32768);
  });
});
