/**
 * @jest-environment jsdom
 * @jest-environment-options {"customExportConditions": ["node", "require"]}
 *
 * Restore's problems through the built panel (dist/plugin/index.js) over the in-memory Photoshop, with a
 * real helper running a real MAXIM model: "Low light" (maxim-lowlight, the 2-stage model, the fastest).
 * The helper gets an empty model cache of its own, so the model starts `available` and the run prepares
 * it first (converted from its pinned package, which the shared sources cache holds once fetched).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fireEvent, screen, within } from '@testing-library/dom';
import { fakePhotoshop } from '../fakes/photoshop/control';
import { pick } from '../helpers/spectrum-picker';
import { startPanel, type PanelHarness } from './panel-harness';

const WIDTH = 96;
const HEIGHT = 64;

/** An underexposed 8-bit RGBA photo: a dim gradient with some texture, fully opaque. */
function dimPhoto(): number[] {
  const data: number[] = [];
  for (let y = 0; y < HEIGHT; y++) for (let x = 0; x < WIDTH; x++) data.push(12 + ((x * 3 + ((x * y) % 5)) % 40), 10 + ((y * 2 + ((x + y) % 3)) % 30), 18 + ((x + y) % 20), 255);
  return data;
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

  it('prepares the model on first use, then adds a brighter, Normal-blended masked layer in one history step, the source untouched', async () => {
    const doc = fakePhotoshop.addDocument({
      title: 'dim.png',
      width: WIDTH,
      height: HEIGHT,
      layers: [{ name: 'Photo', pixels: { left: 0, top: 0, width: WIDTH, height: HEIGHT, data: dimPhoto() }, active: true }],
    });
    const source = doc.layer('Photo');
    const before = Array.from(fakePhotoshop.layerPixels(doc.id, source));
    await panel.pair();

    await pick('Operation', 'Restore');
    fireEvent.click(screen.getByText(/Layer options/));
    await pick('Blend mode', 'Luminosity (keep original colors)');
    await pick('Problem', 'Low light');
    expect(screen.getByText(/The first run downloads this model \(about 75 MB\) and prepares it/)).toBeTruthy();

    // Every line the progress view shows, as it changes.
    const progressLines = new Set<string>();
    const observer = new MutationObserver(() => {
      const line = document.querySelector('.progress sp-body')?.textContent;
      if (line) progressLines.add(line);
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    fireEvent.click(screen.getByText('Run'));
    const results = await screen.findByRole('region', { name: 'Results' }, { timeout: 300_000, interval: 500 });
    observer.disconnect();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(within(results).getByText('Restore · maxim-lowlight — dim.png')).toBeTruthy();
    expect([...progressLines]).toEqual(expect.arrayContaining([expect.stringMatching(/^First use: downloading and preparing the model \(\d+ %\)/)]));

    expect(fakePhotoshop.tree(doc.id)).toEqual([
      { name: 'Mend', kind: 'group', children: [{ name: 'Restore · maxim-lowlight', kind: 'pixel' }] },
      { name: 'Photo', kind: 'pixel' },
    ]);
    expect(fakePhotoshop.history(doc.id)).toEqual(['Mend Restore']);
    expect(Array.from(fakePhotoshop.layerPixels(doc.id, source))).toEqual(before);
    const result = fakePhotoshop.findLayer(doc.id, 'Restore · maxim-lowlight') as number;
    expect(fakePhotoshop.layer(doc.id, result).blendMode).toBe('normal');
    expect(fakePhotoshop.layerMask(doc.id, result)?.every((v) => v === 255)).toBe(true);
    const brightened = meanLuma(fakePhotoshop.layerPixels(doc.id, result));
    const original = meanLuma(before);
    expect(brightened).toBeGreaterThan(original + 30);
  }, 330_000);
});
