import manifest from '../../../manifest.json';
import type { HelperApi } from '../ui/helper-connection';
import type { Bounds, Host, HostMask, HostPixels, LayerWrite, ReadRequest, WrittenLayer } from '../workflows/host';
import { DEFAULT_LAYER_SETTINGS } from '../workflows/operations';
import { runOperation } from '../workflows/run-operation';
import { maxValueOf } from '../workflows/sample-range';
import type { SelfTestCheck, SelfTestReport } from './report';
import type { ScratchHost } from './scratch';

export interface SelfTestDependencies {
  host: Host;
  scratch: ScratchHost;
  /** The connected helper, or undefined when the panel has none (its checks then fail, saying so). */
  helper: HelperApi | undefined;
}

const WIDTH = 24;
const HEIGHT = 16;
const SRGB = 'sRGB IEC61966-2.1';
const IDENTITY_MODEL = 'identity';
const wholeLayer: ReadRequest = { source: 'layer', regionForSelection: (selection) => selection };

/** A test card: gradients and a hard edge in every channel, fully opaque. */
function testCard(channels: 2 | 4, bitDepth: 8 | 16): HostPixels {
  const max = maxValueOf(bitDepth);
  const data = bitDepth === 8 ? new Uint8Array(WIDTH * HEIGHT * channels) : new Uint16Array(WIDTH * HEIGHT * channels);
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      const at = (y * WIDTH + x) * channels;
      const colour = channels === 4 ? [x / (WIDTH - 1), y / (HEIGHT - 1), x < WIDTH / 2 ? 0.2 : 0.9] : [(x + y) / (WIDTH + HEIGHT - 2)];
      colour.forEach((value, c) => (data[at + c] = Math.round(value * max)));
      data[at + channels - 1] = max;
    }
  }
  return { width: WIDTH, height: HEIGHT, channels, bitDepth, colorProfile: channels === 4 ? SRGB : 'Gray Gamma 2.2', data };
}

function largestDifference(a: HostPixels, b: HostPixels): number {
  if (a.data.length !== b.data.length) throw new Error(`${a.width}×${a.height}×${a.channels} pixels compared with ${b.width}×${b.height}×${b.channels}`);
  let largest = 0;
  for (let i = 0; i < a.data.length; i++) largest = Math.max(largest, Math.abs(a.data[i] - b.data[i]));
  return largest;
}

function expectSame(what: string, got: HostPixels, expected: HostPixels, tolerance = 0): void {
  const difference = largestDifference(got, expected);
  if (difference > tolerance) throw new Error(`${what} differ by up to ${difference} levels (allowed ${tolerance})`);
}

function bandsFrom(pixels: HostPixels): LayerWrite['pixels'] {
  const { data, ...format } = pixels;
  const row = pixels.width * pixels.channels;
  return { ...format, readBand: async (top, rows) => data.slice(top * row, (top + rows) * row) };
}

/**
 * The self-test a tester runs in a new Photoshop version (panel menu → Run self-test): scratch documents in
 * 8-bit RGB, 16-bit RGB and Gray, every host call the panel makes, a helper round trip through the identity
 * model, and the pixels read back, each as a check with its exact error. Scratch documents are closed
 * without saving whatever happens.
 */
export async function runSelfTest(deps: SelfTestDependencies, onCheck: (check: SelfTestCheck) => void): Promise<SelfTestReport> {
  const { host, scratch, helper } = deps;
  const checks: SelfTestCheck[] = [];
  const documents: number[] = [];

  async function check(name: string, body: () => Promise<void>): Promise<boolean> {
    const started = Date.now();
    let result: SelfTestCheck;
    try {
      await body();
      result = { name, passed: true, ms: Date.now() - started };
    } catch (error) {
      result = { name, passed: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error), ms: Date.now() - started };
    }
    checks.push(result);
    onCheck(result);
    return result.passed;
  }

  const cards = { rgb8: testCard(4, 8), rgb16: testCard(4, 16), gray8: testCard(2, 8) };
  const made: Partial<Record<keyof typeof cards, { documentId: number; layerId: number }>> = {};
  let helperVersion: string | undefined;

  try {
    await check('Reach the helper', async () => {
      if (!helper) throw new Error('the panel is not connected to the Mend helper: start it and pair the panel, then run the self-test again');
      const info = await helper.info();
      helperVersion = info.version;
      if (!info.models.some((model) => model.id === IDENTITY_MODEL && model.status === 'ready'))
        throw new Error(`the helper has no ready "${IDENTITY_MODEL}" model: run \`mend models prepare\``);
    });
    for (const [key, card] of Object.entries(cards) as Array<[keyof typeof cards, HostPixels]>) {
      const label = `${card.channels === 4 ? 'RGB' : 'Gray'} ${card.bitDepth}-bit`;
      await check(`Create a scratch ${label} document`, async () => {
        const created = await scratch.createDocument(`Mend self-test ${label}`, card);
        documents.push(created.documentId);
        made[key] = created;
      });
      const source = made[key];
      if (!source) continue;
      await check(`Read the active layer (${label})`, async () => {
        const read = await host.read(wholeLayer, async (sourceRead) => ({
          ...sourceRead,
          pixels: { ...sourceRead.pixels, data: await sourceRead.pixels.readBand(0, sourceRead.pixels.height) },
        }));
        expectSame('the pixels read', read.pixels, card);
      });
      if (!helper || !helperVersion) continue;
      const connected = helper;
      await check(`Round trip through the helper's identity model (${label})`, async () => {
        const done = await runOperation(
          { host, helper: connected },
          { kind: 'restore', problem: 'noise-jpeg', strength: 'light', model: IDENTITY_MODEL, ...DEFAULT_LAYER_SETTINGS },
        );
        expectSame('the pixels back from the helper', await scratch.readLayer(source.documentId, done.layer.layerId), card);
      });
    }

    const rgb = made.rgb8;
    if (rgb) {
      const selection = { left: 4, top: 2, right: 12, bottom: 10 };
      /** The front document's selection must be exactly `expected`, hard-edged. */
      const expectSelection = async (expected: Bounds) => {
        const read = await host.read(wholeLayer, async (source) => source.selection);
        if (!read) throw new Error('no selection came back');
        const { left, top, right, bottom } = read.bounds;
        if (left !== expected.left || top !== expected.top || right !== expected.right || bottom !== expected.bottom)
          throw new Error(`the selection came back at ${JSON.stringify(read.bounds)}`);
        if (!read.data.every((value) => value === 255)) throw new Error('a rectangular selection came back with soft or empty pixels');
      };
      // getSelection answers at the document's depth: 16-bit selections are read too.
      for (const source of [made.rgb16, rgb]) {
        if (!source) continue;
        await check(`Read the selection (${source === rgb ? 'RGB 8-bit' : 'RGB 16-bit'})`, async () => {
          await scratch.bringToFront(source.documentId);
          await scratch.selectRectangle(source.documentId, selection);
          await expectSelection(selection);
        });
      }

      const mask: HostMask = { bounds: selection, data: new Uint8Array(8 * 8).fill(255) };
      const result = { ...cards.rgb8, data: cards.rgb8.data.map((value, i) => (i % 4 === 3 ? value : 255 - value)) };
      let written: WrittenLayer | undefined;
      const userDocument = made.gray8 ?? rgb;
      await check('Add a masked layer in the Mend group, with Luminosity blending, as one history step, while another document is in front', async () => {
        await scratch.bringToFront(userDocument.documentId);
        const before = await scratch.documentSize(rgb.documentId);
        written = await host.writeLayer({
          documentId: rgb.documentId,
          aboveLayerId: rgb.layerId,
          name: 'Self-test',
          pixels: bandsFrom(result),
          at: { left: 0, top: 0 },
          mask,
          opacity: 100,
          blendMode: 'luminosity',
          historyName: 'Mend Self-test',
        });
        expectSame('the written pixels', await scratch.readLayer(rgb.documentId, written.layerId), result);
        const layer = await scratch.describeLayer(rgb.documentId, written.layerId);
        if (layer.parentName !== 'Mend') throw new Error(`the layer is in ${layer.parentName ?? 'no group'}, not in "Mend"`);
        if (!/luminosity/i.test(layer.blendMode)) throw new Error(`the layer's blend mode is ${layer.blendMode}`);
        const after = await scratch.documentSize(rgb.documentId);
        if (after.historyStates !== before.historyStates + 1) throw new Error(`${after.historyStates - before.historyStates} history steps were added, not one`);
      });

      await check('Give the user back their front document and their selection after the write', async () => {
        const front = await scratch.activeDocumentId();
        if (front !== userDocument.documentId) throw new Error(`document ${front} is in front, not the user's ${userDocument.documentId}`);
        await scratch.bringToFront(rgb.documentId);
        await expectSelection(selection);
      });

      await check('Hide, show and reveal a result', async () => {
        if (!written) throw new Error('no result layer to work on (the write above failed)');
        await host.setLayerVisible(written, false);
        if ((await scratch.describeLayer(rgb.documentId, written.layerId)).visible) throw new Error('the result is still visible after hiding it');
        await host.setLayerVisible(written, true);
        await scratch.bringToFront(userDocument.documentId);
        await host.reveal(written);
        if ((await scratch.activeDocumentId()) !== rgb.documentId) throw new Error("reveal did not bring the result's document to the front");
      });

      await check("Read a layer's mask and transparency, and set its mask band by band as one history step (Mask out invented detail)", async () => {
        if (!written) throw new Error('no result layer to work on (the write above failed)');
        const layer = written;
        const shown = await host.readLayerMask(layer, selection);
        if (!shown.every((value) => value === 255)) throw new Error('the mask read back is not the mask written');
        const alpha = await host.readLayerAlpha(layer, { left: 0, top: 0, right: WIDTH, bottom: HEIGHT });
        if (!alpha.every((value) => value === 255)) throw new Error('an opaque layer read back with transparent pixels');
        const before = await scratch.documentSize(rgb.documentId);
        const values = Uint8Array.from({ length: 64 }, (_v, i) => i * 4);
        await host.setLayerMask(layer, { bounds: selection, readBand: async (top, rows) => values.slice(top * 8, (top + rows) * 8) }, 'Mend Self-test');
        const after = await host.readLayerMask(layer, selection);
        if (after.some((value, i) => value !== values[i])) throw new Error('the mask set is not the mask read back');
        const size = await scratch.documentSize(rgb.documentId);
        if (size.historyStates !== before.historyStates + 1) throw new Error(`${size.historyStates - before.historyStates} history steps were added, not one`);
      });

      await check('Write Compare variants into a group in one history step, read a reveal-all mask whole, and keep one variant', async () => {
        const before = await scratch.documentSize(rgb.documentId);
        const variant = (name: string, visible: boolean) => ({
          name,
          pixels: bandsFrom(cards.rgb8),
          opacity: 100,
          blendMode: 'normal' as const,
          mask: 'reveal-all' as const,
          visible,
        });
        const stack = await host.writeLayer({
          documentId: rgb.documentId,
          aboveLayerId: rgb.layerId,
          ...variant('Self-test A', true),
          at: { left: 0, top: 0 },
          layersAbove: [variant('Self-test B', false)],
          group: 'Compare',
          historyName: 'Mend Self-test',
        });
        const [hidden] = stack.layersAbove;
        if (!stack.group || !hidden) throw new Error('the write answered no group or no second layer');
        const a = await scratch.describeLayer(rgb.documentId, stack.layerId);
        const b = await scratch.describeLayer(rgb.documentId, hidden.layerId);
        if (a.parentName !== 'Compare' || b.parentName !== 'Compare') throw new Error(`the variants are in ${a.parentName} and ${b.parentName}, not in "Compare"`);
        if (!a.visible || b.visible) throw new Error('the first variant should be shown and the second hidden');
        const written = await scratch.documentSize(rgb.documentId);
        if (written.historyStates !== before.historyStates + 1) throw new Error(`${written.historyStates - before.historyStates} history steps were added, not one`);
        // getLayerMask is not documented to answer a reveal-all mask (which holds no pixels) over the whole region asked for.
        const whole = await host.readLayerMask(stack, { left: 0, top: 0, right: WIDTH, bottom: HEIGHT });
        if (!whole.every((value) => value === 255)) throw new Error('a reveal-all mask read back with hidden pixels');
        await host.keepLayer({ keep: hidden, discard: [stack], group: stack.group, historyName: 'Mend Self-test' });
        const kept = await scratch.describeLayer(rgb.documentId, hidden.layerId);
        if (kept.parentName !== 'Mend' || !kept.visible) throw new Error(`the kept variant is in ${kept.parentName ?? 'no group'}, ${kept.visible ? 'shown' : 'hidden'}`);
        const after = await scratch.documentSize(rgb.documentId);
        if (after.layers !== before.layers + 1) throw new Error(`${after.layers - before.layers} layers were left, not the one kept`);
        if (after.historyStates !== written.historyStates + 1) throw new Error(`keeping added ${after.historyStates - written.historyStates} history steps, not one`);
      });

      await check('Make a mask the selection (Find dust & scratches)', async () => {
        const found = { left: 1, top: 1, right: 3, bottom: 3 };
        await host.selectMask(rgb.documentId, { bounds: found, data: new Uint8Array(4).fill(255) }, 'Mend Self-test');
        await expectSelection(found);
      });

      await check('Put a result into a new document', async () => {
        const created = await host.writeNewDocument({
          title: 'Mend self-test result',
          width: WIDTH,
          height: HEIGHT,
          name: 'Self-test',
          pixels: bandsFrom(cards.rgb8),
          opacity: 100,
          blendMode: 'normal',
          historyName: 'Mend Self-test',
        });
        documents.push(created.documentId);
        expectSame("the new document's pixels", await scratch.readLayer(created.documentId, created.layerId), cards.rgb8);
      });

      await check('Roll back a write that fails half way', async () => {
        const before = await scratch.documentSize(rgb.documentId);
        const failing = { ...bandsFrom(result), readBand: async () => Promise.reject(new Error('planned failure')) };
        const outcome = await host
          .writeLayer({
            documentId: rgb.documentId,
            aboveLayerId: rgb.layerId,
            name: 'Self-test failure',
            pixels: failing,
            at: { left: 0, top: 0 },
            mask,
            opacity: 100,
            blendMode: 'normal',
            historyName: 'Mend Self-test',
          })
          .then(
            () => 'written',
            (error: unknown) => (error instanceof Error && error.message === 'planned failure' ? 'refused' : `failed otherwise: ${String(error)}`),
          );
        if (outcome !== 'refused') throw new Error(`the failing write was ${outcome}`);
        const after = await scratch.documentSize(rgb.documentId);
        if (after.layers !== before.layers || after.historyStates !== before.historyStates)
          throw new Error(`the document kept ${after.layers - before.layers} layers and ${after.historyStates - before.historyStates} history steps of it`);
      });

      await check('Resize the document and add the result above the resized source', async () => {
        const doubled = { ...cards.rgb8, width: WIDTH * 2, height: HEIGHT * 2, data: new Uint8Array(WIDTH * HEIGHT * 16).fill(200) };
        await host.resizeAndWrite({
          documentId: rgb.documentId,
          aboveLayerId: rgb.layerId,
          name: 'Self-test ×2',
          pixels: bandsFrom(doubled),
          at: { left: 0, top: 0 },
          mask: 'reveal-all',
          opacity: 100,
          blendMode: 'normal',
          historyName: 'Mend Self-test',
          width: WIDTH * 2,
          height: HEIGHT * 2,
        });
        const size = await scratch.documentSize(rgb.documentId);
        if (size.width !== WIDTH * 2 || size.height !== HEIGHT * 2) throw new Error(`the document is ${size.width}×${size.height}`);
      });
    }

    await check("Encode a face's thumbnail as a JPEG data URL for an <img> (Faces)", async () => {
      const side = 8;
      const url = await host.pictureUrl({ width: side, height: side, data: new Uint8Array(side * side * 3).fill(128) });
      // A JPEG starts with the bytes FF D8 FF, "/9j/" in base64.
      if (!url.startsWith('data:image/jpeg;base64,/9j/')) throw new Error(`the URL is not a JPEG data URL: ${url.slice(0, 40)}…`);
    });
    await check('Keep an item in UXP secure storage', () => scratch.secureStorageRoundTrip());
  } finally {
    for (const documentId of documents) await check('Close a scratch document without saving', () => scratch.closeWithoutSaving(documentId));
  }
  return { startedAt: new Date().toISOString(), photoshopVersion: scratch.photoshopVersion, pluginVersion: manifest.version, ...(helperVersion ? { helperVersion } : {}), checks };
}
