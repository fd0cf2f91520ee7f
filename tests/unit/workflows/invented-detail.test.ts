import type { BandedMask, Bounds, Host, WrittenLayer } from '../../../plugin/src/workflows/host';
import { maskOutInventedDetail, MASK_OUT_HISTORY_NAME } from '../../../plugin/src/workflows/invented-detail';

/** Full-canvas 8-bit planes (10 wide) read and written over bounds, as the host would. */
function planesHost(planes: Map<number, Uint8Array>, canvasWidth = 10) {
  const crop = (plane: Uint8Array, b: Bounds) => {
    const out: number[] = [];
    for (let y = b.top; y < b.bottom; y++) for (let x = b.left; x < b.right; x++) out.push(plane[y * canvasWidth + x]);
    return Uint8Array.from(out);
  };
  const steps: string[] = [];
  const host = {
    readLayerMask: async ({ layerId }: WrittenLayer, b: Bounds) => crop(planes.get(layerId) as Uint8Array, b),
    readLayerAlpha: async ({ layerId }: WrittenLayer, b: Bounds) => crop(planes.get(layerId + 1000) as Uint8Array, b),
    async setLayerMask({ layerId }: WrittenLayer, mask: BandedMask, historyName: string) {
      // Bands of one row: each band is read from the mask as it is before that band is written.
      const plane = planes.get(layerId) as Uint8Array;
      const width = mask.bounds.right - mask.bounds.left;
      for (let top = 0; top < mask.bounds.bottom - mask.bounds.top; top++) {
        const band = await mask.readBand(top, 1);
        plane.set(band, (mask.bounds.top + top) * canvasWidth + mask.bounds.left);
        expect(band).toHaveLength(width);
      }
      steps.push(historyName);
    },
  } as Partial<Host> as Host;
  return { host, steps };
}

it('writes the inverted map into the result mask, keeping what the mask hid already, in one step', async () => {
  const result = { documentId: 1, layerId: 5 };
  const overlay = { documentId: 1, layerId: 6 };
  // The result's mask hides column 3 (its selection's edge); the overlay's alpha is the map.
  const mask = new Uint8Array(10 * 4).fill(255);
  for (let y = 0; y < 4; y++) mask[y * 10 + 3] = 0;
  const map = new Uint8Array(10 * 4);
  map[1 * 10 + 2] = 255;
  map[2 * 10 + 4] = 100;
  map[2 * 10 + 3] = 40;
  map[0 * 10 + 9] = 255; // outside the result's bounds: left alone
  const planes = new Map([
    [5, mask],
    [1006, map],
  ]);
  const { host, steps } = planesHost(planes);

  await maskOutInventedDetail(host, { result, overlay, bounds: { left: 1, top: 0, right: 6, bottom: 4 } });

  expect(steps).toEqual([MASK_OUT_HISTORY_NAME]);
  const after = planes.get(5) as Uint8Array;
  expect(after[1 * 10 + 2]).toBe(0);
  expect(after[2 * 10 + 4]).toBe(155);
  expect(after[2 * 10 + 3]).toBe(0);
  expect(after[0 * 10 + 9]).toBe(255);
  expect(after[3 * 10 + 1]).toBe(255);
});
