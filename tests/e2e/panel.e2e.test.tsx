/**
 * @jest-environment jsdom
 * @jest-environment-options {"customExportConditions": ["node", "require"]}
 *
 * The built panel (dist/plugin/index.js, as Photoshop loads it) driven like a user, over the in-memory
 * Photoshop, against a real helper process running a real catalog model.
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/dom';
import { fakePhotoshop } from '../fakes/photoshop/control';
import { pick } from '../helpers/spectrum-picker';
import { startPanel, type PanelHarness } from './panel-harness';

/** A photo-like 8-bit RGBA gradient with noise, 64×48, fully opaque. */
function photo(width: number, height: number): number[] {
  const data: number[] = [];
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.push((x * 4 + ((x * y) % 7)) % 256, (y * 5 + ((x + y) % 5)) % 256, 128, 255);
  return data;
}

describe('the built Mend panel in Photoshop, end to end', () => {
  let panel: PanelHarness;

  beforeAll(async () => {
    panel = await startPanel();
  }, 60_000);

  afterAll(() => panel?.close());

  it('pairs once, restores the active layer into a masked layer in the Mend group, in one history step, leaving the source untouched', async () => {
    const doc = fakePhotoshop.addDocument({
      title: 'print.png',
      width: 64,
      height: 48,
      layers: [{ name: 'Photo', pixels: { left: 0, top: 0, width: 64, height: 48, data: photo(64, 48) }, active: true }],
    });
    const source = doc.layer('Photo');
    const before = Array.from(fakePhotoshop.layerPixels(doc.id, source));

    await panel.pair();

    await pick('Operation', 'Restore');
    await pick('Strength', 'Light');
    fireEvent.click(screen.getByText('Run'));
    const results = await screen.findByRole('region', { name: 'Results' }, { timeout: 60_000 });
    expect(within(results).getByText('Restore · waifu2x-cunet-noise1 — print.png')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();

    expect(fakePhotoshop.tree(doc.id)).toEqual([
      { name: 'Mend', kind: 'group', children: [{ name: 'Restore · waifu2x-cunet-noise1', kind: 'pixel' }] },
      { name: 'Photo', kind: 'pixel' },
    ]);
    expect(fakePhotoshop.history(doc.id)).toEqual(['Mend Restore']);
    expect(Array.from(fakePhotoshop.layerPixels(doc.id, source))).toEqual(before);
    const result = fakePhotoshop.findLayer(doc.id, 'Restore · waifu2x-cunet-noise1') as number;
    expect(fakePhotoshop.layerMask(doc.id, result)?.every((v) => v === 255)).toBe(true);
    const restored = fakePhotoshop.layerPixels(doc.id, result);
    let difference = 0;
    for (let i = 0; i < before.length; i++) difference += Math.abs(restored[i] - before[i]);
    // A denoiser changes a noisy print a little, not a lot.
    expect(difference / before.length).toBeGreaterThan(0);
    expect(difference / before.length).toBeLessThan(20);
    expect(fakePhotoshop.liveImageDataCount()).toBe(0);

    fireEvent.click(within(results).getByLabelText(/Hide Restore/));
    await waitFor(() => expect(fakePhotoshop.layer(doc.id, result).visible).toBe(false));
  }, 120_000);

  it('inpaints a selection: the result is masked by the grown selection, and only the selection changes', async () => {
    const doc = fakePhotoshop.addDocument({
      title: 'scan.png',
      width: 64,
      height: 48,
      layers: [{ name: 'Scan', pixels: { left: 0, top: 0, width: 64, height: 48, data: photo(64, 48) }, active: true }],
      selection: { left: 30, top: 20, width: 6, height: 4 },
    });
    await pick('Operation', 'Inpaint selection');
    fireEvent.click(screen.getByText('Run'));
    const results = await screen.findByRole('region', { name: 'Results' });
    await within(results).findByText('Inpaint · classical-pushpull — scan.png', {}, { timeout: 60_000 });
    const layer = fakePhotoshop.findLayer(doc.id, 'Inpaint · classical-pushpull') as number;
    const mask = fakePhotoshop.layerMask(doc.id, layer) as Uint8Array;
    expect(mask[22 * 64 + 32]).toBe(255);
    expect(mask[5 * 64 + 5]).toBe(0);
    const scan = fakePhotoshop.layerPixels(doc.id, doc.layer('Scan'));
    const filled = fakePhotoshop.layerPixels(doc.id, layer);
    let changedOutside = 0;
    for (let y = 0; y < 48; y++) for (let x = 0; x < 64; x++) if ((x < 30 || x >= 36 || y < 20 || y >= 24) && filled[(y * 64 + x) * 4] !== scan[(y * 64 + x) * 4]) changedOutside++;
    expect(changedOutside).toBe(0);
    expect(fakePhotoshop.history(doc.id)).toEqual(['Mend Inpaint']);
  }, 120_000);
});
