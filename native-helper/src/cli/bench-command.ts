import { type Command, InvalidArgumentError, Option } from 'commander';
import type { BenchFlags } from './run-bench';
import { BENCH_SIZES, DEFAULT_BENCH_DIR, DEFAULT_BENCH_MODEL } from '../bench/bench-defaults';
import type { CliIo } from './cli-io';
import { integer, providerOption } from './command-options';
import { PRECISIONS } from '../protocol';
import type { SetExitCode } from './exit-codes';

function sizeList(value: string): number[] {
  const sizes = value.split(',').map((part) => Number(part.trim()));
  if (!sizes.length || sizes.some((n) => !Number.isInteger(n) || n < 16 || n > 16384))
    throw new InvalidArgumentError('--sizes must be whole numbers from 16 to 16384, comma-separated');
  return sizes;
}

/** `mend bench`, run by `run-bench.ts`. */
export function addBenchCommand(program: Command, io: CliIo, setExit: SetExitCode): void {
  program
    .command('bench')
    .description('time the engine alone, the CLI, the server API and the reference ncnn engine on the same images and weights; write a table and a chart')
    .option('--quick', 'one small image, one run: a check that every path works (under a minute on a CPU)')
    .option('--out <dir>', 'where to write bench.md, bench.svg, bench.png and bench.json', DEFAULT_BENCH_DIR)
    .option('--model <id>', 'shipped upscale or restore model to measure', DEFAULT_BENCH_MODEL)
    .option('--sizes <list>', `input sides, comma-separated (default ${BENCH_SIZES.join(',')}; models of one fixed input side: that side and twice it)`, sizeList)
    .option('--repeats <n>', 'runs per path and size; the table shows the median (default 3)', integer('--repeats', 1, 50))
    .option('--reference-max-size <N>', 'largest input side the slow reference engine runs on (default 512)', integer('--reference-max-size', 1, 16384))
    .option('--no-tile-sweep', 'skip timing the CLI against --tile')
    .addOption(providerOption())
    .addOption(
      new Option(
        '--precision <p>',
        'instead: time fp32 against this precision (int8) per --model, comma-separated, in one process, with the PSNR of its output against fp32',
      ).choices(PRECISIONS),
    )
    .option('--json', 'print the results as one JSON document')
    // Loaded when run: every `mend upscale` would otherwise pay at start for the bench.
    .action(async (flags: BenchFlags) => setExit(await (await import('./run-bench')).benchCommand(flags, io)));
}
