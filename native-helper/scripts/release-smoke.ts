/**
 * Drives an unpacked release archive as the panel would, from outside it: starts `<dir>/mend serve` with an
 * empty environment (no node on PATH), pairs with the code it prints, checks the version handshake and runs one
 * upscale job through the HTTP API with the panel's own client.
 * `tsx native-helper/scripts/release-smoke.ts <dir> [home] [port] [model]`; the release test calls `serveAndRunJob`.
 * The model the job runs must be prepared in that HOME first (`mend models prepare realesr-animevideov3-x2`).
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import WebSocket from 'ws';
import { HelperClient, PANEL_SIDE, type SocketLike } from '../../plugin/src/helper-client/helper-client';

export interface SmokeResult {
  helperVersion: string;
  panelVersion: string;
  /** Models the helper lists as ready. */
  readyModels: number;
  /** The job's result: its task, the models it ran and its size. */
  job: { task: string; models: string[]; width: number; height: number; bytes: number; ms: number };
}

/** Pairs with `<dir>/mend serve`, run in `env` alone, on `port`, and runs a 48×32 upscale with `model` through the API. */
export async function serveAndRunJob(dir: string, env: NodeJS.ProcessEnv, port: number, model: string): Promise<SmokeResult> {
  // Windows runs the .cmd launcher through cmd.exe (Node refuses to spawn a .cmd without a shell).
  const windows = process.platform === 'win32';
  const child = spawn(path.join(dir, windows ? 'mend.cmd' : 'mend'), ['serve', '--port', String(port)], { env, stdio: ['ignore', 'pipe', 'inherit'], shell: windows });
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
    const layout = { width: 48, height: 32, channels: 4 as const, bitDepth: 8 as const, maxValue: 255 };
    const pixels = new Uint8Array(48 * 32 * 4).map((_v, i) => (i % 4 === 3 ? 255 : (i * 37) % 251));
    const started = Date.now();
    const id = await client.startJob(
      { task: 'upscale', model },
      { layout, bandRows: 8, readBand: async (top, rows) => pixels.slice(top * 48 * 4, (top + rows) * 48 * 4) },
      undefined,
    );
    const result = await client.awaitResult(id);
    const band = await result.readBand(0, result.layout.height);
    return {
      helperVersion: info.version,
      panelVersion: PANEL_SIDE.version,
      readyModels: info.models.filter((m) => m.status === 'ready').length,
      job: { task: result.summary.task, models: result.summary.models, width: result.layout.width, height: result.layout.height, bytes: band.byteLength, ms: Date.now() - started },
    };
  } finally {
    // On Windows the child is cmd.exe: the helper's node.exe under it goes only with the whole tree.
    if (windows && child.pid !== undefined) spawnSync('taskkill', ['/pid', String(child.pid), '/T', '/F']);
    else child.kill();
  }
}

async function main(): Promise<void> {
  const [dir, home = process.env.HOME ?? '/tmp', port = '47899', model = 'realesr-animevideov3-x2'] = process.argv.slice(2);
  const env: NodeJS.ProcessEnv = { HOME: home, PATH: '/nonexistent', ...(process.env.NODE_EXTRA_CA_CERTS ? { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS } : {}) };
  const { helperVersion, panelVersion, readyModels, job } = await serveAndRunJob(dir, env, Number(port), model);
  console.log(`paired; helper ${helperVersion}, panel ${panelVersion}; ${readyModels} models ready`);
  console.log(`job: ${job.task} with ${job.models.join(', ')} → ${job.width}×${job.height}, ${job.bytes} bytes in ${job.ms} ms`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
