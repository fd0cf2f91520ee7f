/**
 * @jest-environment jsdom
 * @jest-environment-options {"customExportConditions": ["node", "require"]}
 *
 * The built panel (dist/plugin/index.js, as Photoshop loads it) driven like a user, over the in-memory
 * Photoshop, against a real helper process running a real catalog model.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TextDecoder, TextEncoder } from 'node:util';
import { deserialize, serialize } from 'node:v8';
import { fireEvent, screen, waitFor, within } from '@testing-library/dom';
import nodeFetch from 'node-fetch';
import WebSocket from 'ws';
import * as photoshop from '../fakes/photoshop';
import { fakePhotoshop } from '../fakes/photoshop/control';
import * as uxp from '../fakes/photoshop/uxp';
import { defineSpectrumPicker, pick } from '../helpers/spectrum-picker';

const ROOT = path.join(__dirname, '..', '..');
const BUNDLE = path.join(ROOT, 'dist', 'plugin', 'index.js');
const MANIFEST = JSON.parse(readFileSync(path.join(ROOT, 'manifest.json'), 'utf8'));
const PANEL_PORT = ':47811';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Starts `mend serve` and resolves with its pairing code once it listens. */
function startHelper(port: number, configDir: string): Promise<{ child: ChildProcess; code: string }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'native-helper', 'bin', 'mend.js'), 'serve', '--port', String(port)], {
    env: { ...process.env, MEND_CONFIG_DIR: configDir, MEND_PROVIDER: 'cpu' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const code = /Pairing code: (\d{6})/.exec(out)?.[1];
      if (code) resolve({ child, code });
    });
    child.once('exit', (status) => reject(new Error(`mend serve exited with ${status}: ${out}`)));
  });
}

/** A photo-like 8-bit RGBA gradient with noise, 64×48, fully opaque. */
function photo(width: number, height: number): number[] {
  const data: number[] = [];
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.push((x * 4 + ((x * y) % 7)) % 256, (y * 5 + ((x + y) % 5)) % 256, 128, 255);
  return data;
}

describe('the built Mend panel in Photoshop, end to end', () => {
  let helper: ChildProcess;
  let pairingCode: string;
  let configDir: string;

  beforeAll(async () => {
    if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run \`npm run build\` first (npm test does)`);
    configDir = mkdtempSync(path.join(tmpdir(), 'mend-e2e-'));
    const port = await freePort();
    ({ child: helper, code: pairingCode } = await startHelper(port, configDir));
    // The panel talks to the port its manifest allows; the test's helper listens on a free one.
    const rewrite = (url: string) => url.replace(PANEL_PORT, `:${port}`);
    Object.assign(window, {
      // UXP has these; jsdom does not (structuredClone is the fake Photoshop's, for its history).
      TextEncoder,
      TextDecoder,
      structuredClone: <T,>(value: T): T => deserialize(serialize(value)) as T,
      fetch: (url: string, init?: Parameters<typeof nodeFetch>[1]) => nodeFetch(rewrite(url), init),
      WebSocket: function PanelSocket(url: string) {
        return new WebSocket(rewrite(url));
      },
    });
    fakePhotoshop.reset();
    // Pickers as UXP's: the choice is `selectedIndex`, there is no `value`.
    defineSpectrumPicker();
    const bundleRequire = (name: string) => {
      if (name === 'photoshop') return photoshop;
      if (name === 'uxp') return uxp;
      throw new Error(`the bundle asked for "${name}", which Photoshop does not provide`);
    };
    new Function('require', readFileSync(BUNDLE, 'utf8'))(bundleRequire);
    const root = document.createElement('div');
    document.body.appendChild(root);
    await uxp.registeredPanel(MANIFEST.entrypoints[0].id)?.create?.(root);
  }, 60_000);

  afterAll(() => {
    helper?.kill();
    rmSync(configDir, { recursive: true, force: true });
  });

  it('pairs once, restores the active layer into a masked layer in the Mend group, in one history step, leaving the source untouched', async () => {
    const doc = fakePhotoshop.addDocument({ title: 'print.png', width: 64, height: 48, layers: [{ name: 'Photo', pixels: { left: 0, top: 0, width: 64, height: 48, data: photo(64, 48) }, active: true }] });
    const source = doc.layer('Photo');
    const before = Array.from(fakePhotoshop.layerPixels(doc.id, source));

    fireEvent.change(await screen.findByLabelText('Pairing code', {}, { timeout: 20_000 }), { target: { value: pairingCode } });
    fireEvent.click(screen.getByText('Pair'));
    await screen.findByText(/Connected · CPU/, {}, { timeout: 20_000 });

    await pick('Operation', 'Restore (noise, JPEG)');
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
