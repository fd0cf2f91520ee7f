/**
 * @jest-environment jsdom
 * @jest-environment-options {"customExportConditions": ["node", "require"]}
 *
 * Detail, the map of invented detail and Compare through the built panel (dist/plugin/index.js) over the
 * in-memory Photoshop, against a real helper running real upscalers on a small photo-like image.
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/dom';
import { fakePhotoshop } from '../fakes/photoshop/control';
import { pick } from '../helpers/spectrum-picker';
import { startPanel, type PanelHarness } from './panel-harness';

const WIDTH = 32;
const HEIGHT = 24;
const MODEL = 'realesr-animevideov3-x2';
const OTHER_MODEL = 'esrgan-slim-x2';

/** A photo-like 8-bit RGBA pattern with texture, fully opaque. */
function photo(): number[] {
  const data: number[] = [];
  for (let y = 0; y < HEIGHT; y++) for (let x = 0; x < WIDTH; x++) data.push((x * 8 + ((x * y) % 11) * 9) % 256, (y * 10 + ((x + 3 * y) % 7) * 13) % 256, (x ^ y) * 7, 255);
  return data;
}

function addPhoto(title: string) {
  return fakePhotoshop.addDocument({
    title,
    width: WIDTH,
    height: HEIGHT,
    layers: [{ name: 'Photo', active: true, pixels: { left: 0, top: 0, width: WIDTH, height: HEIGHT, data: photo() } }],
  });
}

/**
 * Moves the slider labelled `label` as UXP reports it (its `value`, then an `input` event) and waits until the
 * panel shows it: React applies a choice made in a native event after the event, as a user's next click comes.
 */
async function slide(label: string, value: string): Promise<void> {
  const slider = screen.getByLabelText(label, { selector: 'sp-slider' }) as HTMLElement & { value?: string };
  slider.value = value;
  fireEvent.input(slider);
  await screen.findByText(`${label}: ${value}`);
}

/** A model's checkbox label: its id, then its domain and whether it is the catalog's pick, e.g. "realesr-animevideov3-x2 (art)". */
const modelBox = (id: string) => new RegExp(`^${id}( \\(.+\\))?$`);

/** Ticks (or unticks) the checkbox labelled `label` and waits until the panel shows it so. */
async function tick(label: string | RegExp, checked = true): Promise<void> {
  const box = () => screen.getByLabelText(label, { selector: 'sp-checkbox' });
  fireEvent.change(box(), { target: { checked } });
  await waitFor(() => expect(box().hasAttribute('checked')).toBe(checked));
}

/** Waits until `find` finds the run's outcome, or the panel shows an error (which fails the test with its words). */
async function outcome(find: () => HTMLElement | null): Promise<HTMLElement> {
  // React applies the click that started the run (the previous error cleared) in a microtask queued before this one.
  await Promise.resolve();
  await waitFor(() => expect(find() ?? screen.queryByRole('alert')).not.toBeNull(), { timeout: 120_000 });
  const alert = screen.queryByRole('alert');
  if (alert) throw new Error(`the panel shows an error: ${alert.textContent}`);
  return find() as HTMLElement;
}

/**
 * The name of the result listed as `pattern` (its layer's name, then " — " and its document's title), once the run
 * has written it. Layer names list every model that made the result: with a detail strength or a map, the fidelity
 * base too.
 */
async function resultNamed(pattern: RegExp): Promise<string> {
  const found = await outcome(() => {
    const list = screen.queryByRole('region', { name: 'Results' });
    return list && within(list).queryByText(pattern);
  });
  return (found.textContent ?? '').split(' — ')[0];
}

/** " + model" for each further model a layer name may list. */
const MORE_MODELS = '( \\+ [a-z0-9._-]+)*';

/** The document's layers by name (anywhere in the tree). */
function layerId(documentId: number, name: string): number {
  const id = fakePhotoshop.findLayer(documentId, name);
  if (id === undefined) throw new Error(`no layer "${name}" in ${JSON.stringify(fakePhotoshop.tree(documentId))}`);
  return id;
}

describe('Detail, invented detail and Compare in the built panel', () => {
  let panel: PanelHarness;

  beforeAll(async () => {
    panel = await startPanel();
  }, 60_000);

  afterAll(() => panel?.close());

  it('upscales at the Detail the slider sets: the layer is named after it, and differs from the model’s own output', async () => {
    addPhoto('a.png');
    await panel.pair();
    await pick('Model', MODEL);
    await slide('Detail', '2');
    fireEvent.click(screen.getByText('Run'));
    const exaggeratedName = await resultNamed(new RegExp(`^Upscale ×2 · ${MODEL}${MORE_MODELS} · detail 2 — a ×2$`));
    const exaggeratedDoc = fakePhotoshop.activeDocumentId() as number;
    const exaggerated = fakePhotoshop.layerPixels(exaggeratedDoc, layerId(exaggeratedDoc, exaggeratedName));
    expect(fakePhotoshop.history(exaggeratedDoc)).toEqual(['Mend Upscale']);

    addPhoto('b.png');
    await slide('Detail', '1');
    fireEvent.click(screen.getByText('Run'));
    const ownName = await resultNamed(new RegExp(`^Upscale ×2 · ${MODEL} — b ×2$`));
    const ownDoc = fakePhotoshop.activeDocumentId() as number;
    const own = fakePhotoshop.layerPixels(ownDoc, layerId(ownDoc, ownName));
    expect(own.length).toBe(exaggerated.length);
    let difference = 0;
    for (let i = 0; i < own.length; i++) difference += Math.abs(own[i] - exaggerated[i]);
    // Exaggerated texture: clearly not the model's own output, and still the same picture.
    expect(difference / own.length).toBeGreaterThan(0.5);
    expect(difference / own.length).toBeLessThan(40);
  }, 300_000);

  it('writes the map of invented detail as a hidden layer in the same step, and Mask out puts the inverted map into the result mask', async () => {
    const doc = addPhoto('map.png');
    await pick('Operation', 'Upscale');
    await pick('Output', 'Resize this document');
    await slide('Detail', '1');
    await tick('Invented detail: add its map as a hidden layer');
    fireEvent.click(screen.getByText('Run'));
    const name = await resultNamed(new RegExp(`^Upscale ×2 · ${MODEL}${MORE_MODELS} — map.png$`));
    const list = screen.getByRole('region', { name: 'Results' });

    expect(fakePhotoshop.tree(doc.id)).toEqual([
      {
        name: 'Mend',
        kind: 'group',
        children: [
          { name: 'Invented detail', kind: 'pixel' },
          { name, kind: 'pixel' },
        ],
      },
      { name: 'Photo', kind: 'pixel' },
    ]);
    expect(fakePhotoshop.history(doc.id)).toEqual(['Mend Upscale']);
    const overlay = layerId(doc.id, 'Invented detail');
    const result = layerId(doc.id, name);
    expect(fakePhotoshop.layer(doc.id, overlay).visible).toBe(false);
    const alpha = fakePhotoshop.layerPixels(doc.id, overlay).filter((_v, i) => i % 4 === 3);
    expect(alpha.length).toBe(WIDTH * 2 * HEIGHT * 2);
    // A textured photo: the model invents somewhere, not everywhere alike.
    expect(Math.max(...alpha)).toBeGreaterThan(0);
    expect(new Set(alpha).size).toBeGreaterThan(1);

    fireEvent.click(within(list).getByText('Show map'));
    await waitFor(() => expect(fakePhotoshop.layer(doc.id, overlay).visible).toBe(true));

    fireEvent.click(within(list).getByLabelText(`Mask out invented detail of ${name}`));
    await screen.findByText(/now hides the invented detail/, {}, { timeout: 30_000 });
    expect(fakePhotoshop.history(doc.id)).toEqual(['Mend Upscale', 'Mend Mask Out Invented Detail']);
    const mask = fakePhotoshop.layerMask(doc.id, result) as Uint8Array;
    expect(Array.from(mask)).toEqual(Array.from(alpha, (value) => 255 - value));
    expect(fakePhotoshop.liveImageDataCount()).toBe(0);
  }, 300_000);

  it('compares two upscalers in ONE job: a Compare group of layers in one step, A/B, Next, and Keep this', async () => {
    const doc = addPhoto('compare.png');
    await tick('Invented detail: add its map as a hidden layer', false);
    await slide('Detail', '1');
    await pick('Operation', 'Compare');
    await tick(modelBox(MODEL));
    await tick(modelBox(OTHER_MODEL));
    fireEvent.click(screen.getByText('Run'));
    const group = await outcome(() => screen.queryByRole('group', { name: 'Compare — compare.png' }));

    const [mendGroup, source] = fakePhotoshop.tree(doc.id);
    expect(source).toEqual({ name: 'Photo', kind: 'pixel' });
    expect(mendGroup).toMatchObject({ name: 'Mend', kind: 'group', children: [{ name: 'Compare', kind: 'group' }] });
    // Bottom first: the order the panel lists the models in (the helper's catalog order), named by their labels.
    const variants = (mendGroup.children?.[0].children ?? []).map((child) => child.name).reverse();
    expect([...variants].sort()).toEqual([MODEL, OTHER_MODEL].sort());
    expect(fakePhotoshop.history(doc.id)).toEqual(['Mend Compare']);
    const buttons = Array.from(group.querySelectorAll('[aria-pressed]'), (button) => button.textContent?.slice(2));
    expect(buttons).toEqual(variants);
    const ids = variants.map((name) => layerId(doc.id, name));
    const shown = () => ids.map((id) => fakePhotoshop.layer(doc.id, id).visible);
    expect(shown()).toEqual([true, false]);
    expect(fakePhotoshop.layerPixels(doc.id, ids[0])).not.toEqual(fakePhotoshop.layerPixels(doc.id, ids[1]));

    const variantButton = (name: string) => Array.from(group.querySelectorAll('[aria-pressed]')).find((button) => button.textContent?.slice(2) === name) as Element;
    fireEvent.click(variantButton(variants[1]));
    await waitFor(() => expect(shown()).toEqual([false, true]));
    fireEvent.click(within(group).getByText('Next'));
    await waitFor(() => expect(shown()).toEqual([true, false]));
    fireEvent.click(within(group).getByText('Next'));
    await waitFor(() => expect(shown()).toEqual([false, true]));

    fireEvent.click(within(group).getByText('Keep this'));
    await waitFor(() => expect(fakePhotoshop.history(doc.id)).toEqual(['Mend Compare', 'Mend Keep Variant']));
    expect(fakePhotoshop.tree(doc.id)).toEqual([
      { name: 'Mend', kind: 'group', children: [{ name: variants[1], kind: 'pixel' }] },
      { name: 'Photo', kind: 'pixel' },
    ]);
    expect(fakePhotoshop.layer(doc.id, ids[1]).visible).toBe(true);
    expect(screen.queryByRole('group', { name: 'Compare — compare.png' })).toBeNull();
  }, 300_000);

  it('compares two restore models on a selection: the variants sit above the source, masked by it, in one step', async () => {
    const doc = fakePhotoshop.addDocument({
      title: 'scan.png',
      width: WIDTH,
      height: HEIGHT,
      layers: [{ name: 'Photo', active: true, pixels: { left: 0, top: 0, width: WIDTH, height: HEIGHT, data: photo() } }],
      selection: { left: 8, top: 6, width: 10, height: 8 },
    });
    await pick('Compare', 'Restore models');
    await tick(modelBox('waifu2x-cunet-noise1'));
    await tick(modelBox('waifu2x-cunet-noise3'));
    fireEvent.click(screen.getByText('Run'));
    await outcome(() => screen.queryByRole('group', { name: 'Compare — scan.png' }));

    expect(fakePhotoshop.tree(doc.id)).toEqual([
      {
        name: 'Mend',
        kind: 'group',
        children: [
          {
            name: 'Compare',
            kind: 'group',
            children: [
              { name: 'waifu2x-cunet-noise1', kind: 'pixel' },
              { name: 'waifu2x-cunet-noise3', kind: 'pixel' },
            ],
          },
        ],
      },
      { name: 'Photo', kind: 'pixel' },
    ]);
    expect(fakePhotoshop.history(doc.id)).toEqual(['Mend Compare']);
    for (const name of ['waifu2x-cunet-noise1', 'waifu2x-cunet-noise3']) {
      const mask = fakePhotoshop.layerMask(doc.id, layerId(doc.id, name)) as Uint8Array;
      expect([mask[10 * WIDTH + 12], mask[1 * WIDTH + 30]]).toEqual([255, 0]);
    }
    expect(fakePhotoshop.document(doc.id).selection?.[10 * WIDTH + 12]).toBe(255);
  }, 300_000);
});
