/**
 * Drives an unpacked release archive as the panel would, from outside it: starts `<dir>/mend serve` with an
 * empty environment (no node on PATH), pairs with the code it prints, checks the version handshake and runs one
 * restore job through the HTTP API with the panel's own client. `tsx native-helper/scripts/release-smoke.ts <dir>`.
 * The models the job needs must be prepared in that HOME first (`mend models prepare waifu2x-cunet-noise1`).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import WebSocket from 'ws';
import { HelperClient, PANEL_SIDE, type SocketLike } from '../../plugin/src/helper-client/helper-client';

async function main(): Promise<void> {
  const [dir, home = process.env.HOME ?? '/tmp', port = '47899'] = process.argv.slice(2);
  const env: NodeJS.ProcessEnv = { HOME: home, PATH: '/nonexistent', ...(process.env.NODE_EXTRA_CA_CERTS ? { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS } : {}) };
  const child = spawn(path.join(dir, 'mend'), ['serve', '--port', port], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const code = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const found = /Pairing code: (\d{6})/.exec(out)?.[1];
        if (found) resolve(found);
      });
      child.once('exit', (status) => reject(new Error(`mend serve exited with ${status}: ${out}`)));
    });
    const client = new HelperClient(`http://127.0.0.1:${port}`, undefined, (url) => new WebSocket(url) as unknown as SocketLike);
    await client.pair(code);
    const info = await client.info();
    console.log(
      `paired; helper ${info.version} (protocol ${info.api}), panel ${PANEL_SIDE.version}; provider ${info.provider.name}; ${info.models.filter((m) => m.status === 'ready').length} models ready`,
    );
    const layout = { width: 48, height: 32, channels: 4 as const, bitDepth: 8 as const, maxValue: 255 };
    const pixels = new Uint8Array(48 * 32 * 4).map((_v, i) => (i % 4 === 3 ? 255 : (i * 37) % 251));
    const started = Date.now();
    const id = await client.startJob(
      { task: 'restore', model: 'waifu2x-cunet-noise1' },
      { layout, bandRows: 8, readBand: async (top, rows) => pixels.slice(top * 48 * 4, (top + rows) * 48 * 4) },
      undefined,
    );
    const result = await client.awaitResult(id);
    const band = await result.readBand(0, result.layout.height);
    console.log(
      `job ${id}: ${result.summary.task} with ${result.summary.models.join(', ')} → ${result.layout.width}×${result.layout.height}, ${band.byteLength} bytes in ${Date.now() - started} ms`,
    );
  } finally {
    child.kill();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
