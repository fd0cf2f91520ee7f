/**
 * Measures the peak memory of `mend upscale` on a 24-megapixel photo (6000×4000) made ×4 (384 MP out), in a
 * process of its own as a user runs it. The output is encoded into its file band by band, so its 8-bit pixels
 * (1.15 GB) are never held whole; goal: a peak under 2 GB. The model is a nearest ×4 built here, so the figure is
 * the pipeline's (decode, tiles, bands, encode), not a network's, and the run takes a minute, not hours.
 * Needs `npm run build:helper`; run with `npx tsx models/scripts/large-photo-memory.ts`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { MEND_BIN } from '../../native-helper/src/bench/bench-context';
import { formatBytes } from '../../native-helper/src/bench/bench-document';
import { BENCH_PHOTO } from '../../native-helper/src/bench/bench-images';
import { cliSummarySchema, lastJsonLine, runMeasured } from '../../native-helper/src/bench/measured-process';
import { GraphBuilder } from '../../native-helper/src/convert/onnx';

const [WIDTH, HEIGHT, SCALE, TILE] = [6000, 4000, 4, 512];
const GOAL_BYTES = 2e9;
const MODEL_ID = 'nearest-x4';

function nearestModel(): Uint8Array {
  const g = new GraphBuilder(MODEL_ID);
  g.input('input', 'float32', [1, 3, 'H', 'W']);
  g.node('Identity', [g.nearestUpscale('input', SCALE, SCALE)], ['output']);
  g.output('output', 'float32', [1, 3, 'OH', 'OW']);
  return g.toModel();
}

/** Runs `mend <args>` with its own config folder and answers its stdout; fails with what it printed unless it exits 0. */
async function mend(env: NodeJS.ProcessEnv, ...args: string[]): Promise<string> {
  const run = await runMeasured(process.execPath, [MEND_BIN, ...args], env);
  if (run.exitCode !== 0) throw new Error(`mend ${args[0]} exited with ${run.exitCode}: ${run.stderr.trim()}`);
  return run.stdout;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'mend-large-photo-'));
  try {
    const env = { ...process.env, MEND_CONFIG_DIR: path.join(dir, 'config'), MEND_PROVIDER: 'cpu' };
    const model = path.join(dir, `${MODEL_ID}.onnx`);
    writeFileSync(model, nearestModel());
    await mend(env, 'models', 'add', model, '--scale', String(SCALE), '--id', MODEL_ID, '--json');
    const photo = path.join(dir, 'photo.png');
    await sharp(BENCH_PHOTO).removeAlpha().resize(WIDTH, HEIGHT, { fit: 'fill' }).png({ compressionLevel: 1 }).toFile(photo);
    const stdout = await mend(env, 'upscale', photo, '-o', path.join(dir, 'photo-x4.png'), '--model', MODEL_ID, '--tile', String(TILE), '--json');
    const peak = lastJsonLine(stdout, cliSummarySchema, 'the JSON line of mend upscale')?.peakRssBytes;
    if (typeof peak !== 'number') throw new Error('mend upscale --json reported no peakRssBytes');
    console.log(
      `mend upscale ${WIDTH}×${HEIGHT} ×${SCALE} (--tile ${TILE}): peak RSS ${formatBytes(peak)}, goal under ${formatBytes(GOAL_BYTES)}: ${peak < GOAL_BYTES ? 'met' : 'not met'}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
