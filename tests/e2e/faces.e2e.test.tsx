/**
 * @jest-environment jsdom
 * @jest-environment-options {"customExportConditions": ["node", "require"]}
 *
 * Faces through the built panel (dist/plugin/index.js) over the in-memory Photoshop, against a real helper
 * finding and restoring faces with the real models (BlazeFace, FaceMesh, FaceRes, and the general detail chain:
 * no face model is installed): astronaut.png has one face; portrait_alpha.png shows tulips, no face.
 */
import path from 'node:path';
import { fireEvent, screen, waitFor, within } from '@testing-library/dom';
import sharp from 'sharp';
import { fakePhotoshop } from '../fakes/photoshop/control';
import { pick } from '../helpers/spectrum-picker';
import { startPanel, type PanelHarness } from './panel-harness';

const ROOT = path.join(__dirname, '..', '..');
const GENERAL_DETAIL = 'no face model installed: general detail';
const JPEG_URL = 'data:image/jpeg;base64,';

/** A fixture image as 8-bit RGBA with its size. */
async function fixture(name: string): Promise<{ width: number; height: number; data: number[] }> {
  const { data, info } = await sharp(path.join(ROOT, 'tests', 'fixtures', 'images', name))
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: Array.from(data) };
}

async function addPhoto(name: string) {
  const { width, height, data } = await fixture(name);
  const doc = fakePhotoshop.addDocument({ title: name, width, height, layers: [{ name: 'Photo', active: true, pixels: { left: 0, top: 0, width, height, data } }] });
  return { doc, width, height, data };
}

/** Waits until `find` finds the run's outcome, or the panel shows an error (which fails the test with its words). */
async function outcome(find: () => HTMLElement | null): Promise<HTMLElement> {
  // React applies the click that started the run (the previous error cleared) in a microtask queued before this one.
  await Promise.resolve();
  await waitFor(() => expect(find() ?? screen.queryByRole('alert')).not.toBeNull(), { timeout: 180_000 });
  const alert = screen.queryByRole('alert');
  if (alert) throw new Error(`the panel shows an error: ${alert.textContent}`);
  return find() as HTMLElement;
}

describe('Faces in the built panel', () => {
  let panel: PanelHarness;

  beforeAll(async () => {
    panel = await startPanel();
    await panel.pair();
    await pick('Operation', 'Faces');
  }, 60_000);

  afterAll(() => panel?.close());

  it('finds the astronaut’s face (thumbnail, ticked), restores it into one masked layer in one step, and shows its identity', async () => {
    const { doc, width, height, data } = await addPhoto('astronaut.png');
    fireEvent.click(screen.getByText('Find faces'));
    const list = await outcome(() => screen.queryByRole('group', { name: 'Faces found' }));
    expect(fakePhotoshop.history(doc.id)).toEqual([]);

    const boxes = within(list).getAllByLabelText(/^Face \d+ · score (0|1)\.\d\d$/, { selector: 'sp-checkbox' });
    expect(boxes).toHaveLength(1);
    expect(boxes[0].hasAttribute('checked')).toBe(true);
    const [img] = Array.from(list.querySelectorAll('img'));
    const src = img.getAttribute('src') ?? '';
    expect(src.startsWith(JPEG_URL)).toBe(true);
    const thumbnail = await sharp(Buffer.from(src.slice(JPEG_URL.length), 'base64')).metadata();
    expect([thumbnail.format, thumbnail.width, thumbnail.height]).toEqual(['jpeg', 96, 96]);
    const place = /^at (\d+), (\d+) \((\d+)×(\d+) px\)$/.exec(within(list).getByText(/^at \d+/).textContent ?? '');
    const [x, y, w, h] = (place ?? []).slice(1).map(Number);
    // The face sits in the upper middle of the portrait.
    expect(w).toBeGreaterThan(40);
    expect(x + w / 2).toBeGreaterThan(width * 0.3);
    expect(x + w / 2).toBeLessThan(width * 0.7);
    expect(y + h / 2).toBeLessThan(height * 0.5);

    fireEvent.click(screen.getByText('Restore faces'));
    const results = await outcome(() => screen.queryByRole('region', { name: 'Results' }));
    const name = `Faces · ${GENERAL_DETAIL}`;
    expect(within(results).getByText(`${name} — astronaut.png`)).toBeTruthy();
    expect(fakePhotoshop.tree(doc.id)).toEqual([
      { name: 'Mend', kind: 'group', children: [{ name, kind: 'pixel' }] },
      { name: 'Photo', kind: 'pixel' },
    ]);
    expect(fakePhotoshop.history(doc.id)).toEqual(['Mend Faces']);
    expect(Array.from(fakePhotoshop.layerPixels(doc.id, fakePhotoshop.findLayer(doc.id, 'Photo') as number))).toEqual(data);

    const mask = fakePhotoshop.layerMask(doc.id, fakePhotoshop.findLayer(doc.id, name) as number) as Uint8Array;
    const at = (px: number, py: number) => mask[Math.round(py) * width + Math.round(px)];
    expect(at(x + w / 2, y + h / 2)).toBe(255);
    expect([at(0, 0), at(width - 1, 0), at(0, height - 1), at(width - 1, height - 1)]).toEqual([0, 0, 0, 0]);

    const identity = within(list).getByRole('status').textContent ?? '';
    expect(identity).toMatch(/^Identity 0\.\d\d: looks like the same person$/);
    expect(Number(identity.slice('Identity '.length, 'Identity '.length + 4))).toBeGreaterThan(0.62);
    expect(within(list).getByText(`Restored by: ${GENERAL_DETAIL}`)).toBeTruthy();
    expect(fakePhotoshop.liveImageDataCount()).toBe(0);
  }, 300_000);

  it('says so when the photo has no face (tulips), and writes nothing', async () => {
    const { doc } = await addPhoto('portrait_alpha.png');
    const before = fakePhotoshop.snapshot(doc.id);
    fireEvent.click(screen.getByText('Find faces'));
    const alert = await screen.findByRole('alert', {}, { timeout: 180_000 });
    expect(alert.textContent).toMatch(/no face was found/);
    expect(screen.queryByRole('group', { name: 'Faces found' })).toBeNull();
    expect(screen.getByText('Restore faces').hasAttribute('disabled')).toBe(true);
    expect(fakePhotoshop.history(doc.id)).toEqual([]);
    expect(fakePhotoshop.snapshot(doc.id)).toEqual(before);
  }, 300_000);
});
