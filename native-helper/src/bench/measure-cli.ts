import path from 'node:path';
import { messageOf } from '../errors';
import { benchTaskOf, childEnv, lastLine, MEND_BIN, type BenchContext, type BenchImage } from './bench-context';
import type { RawMeasurement } from './bench-document';
import { cliSummarySchema, lastJsonLine, runMeasured } from './measured-process';

/**
 * `mend upscale` (or `mend restore`) as a user runs it, timed from spawn to exit: Node start, catalog, session,
 * decode, tiles, blend, encode, atomic write. Its peak RSS is the one the CLI reports about itself
 * (`peakRssBytes` of its JSON line, from getrusage), so no sampling gap.
 */
export async function measureCli(context: BenchContext, image: BenchImage, tile?: number): Promise<RawMeasurement> {
  const output = path.join(context.workDir, `cli-${image.size}-out.png`);
  const args = [MEND_BIN, benchTaskOf(context.manifest), image.file, '-o', output, '--model', context.manifest.id, '--overwrite', '--json'];
  if (tile !== undefined) args.push('--tile', String(tile));
  const runsMs: number[] = [];
  let peakRssBytes: number | null = null;
  for (let i = 0; i < context.repeats; i++) {
    const run = await runMeasured(process.execPath, args, childEnv(context));
    let summary: ReturnType<typeof cliSummarySchema.parse> | undefined;
    try {
      summary = lastJsonLine(run.stdout, cliSummarySchema, `the JSON line of \`mend ${benchTaskOf(context.manifest)} --json\``);
    } catch (error) {
      return { path: 'cli', size: image.size, runsMs: [], peakRssBytes: null, notRun: `failed: ${messageOf(error)}` };
    }
    if (run.exitCode !== 0 || summary?.ok !== true) {
      const why = summary?.results?.[0]?.error?.message ?? lastLine(run.stderr);
      return { path: 'cli', size: image.size, runsMs: [], peakRssBytes: null, notRun: `failed: ${why || `exit code ${run.exitCode}`}` };
    }
    runsMs.push(run.wallMs);
    const reported = summary.peakRssBytes ?? run.sampledPeakRssBytes;
    if (reported !== null) peakRssBytes = Math.max(peakRssBytes ?? 0, reported);
  }
  return { path: 'cli', size: image.size, runsMs, peakRssBytes };
}
