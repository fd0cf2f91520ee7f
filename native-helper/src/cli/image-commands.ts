import { type Command, InvalidArgumentError } from 'commander';
import { DEFAULT_SENSITIVITY } from '../protocol';
import type { CliIo } from './cli-io';
import { integer, providerOption } from './command-options';
import type { SetExitCode } from './exit-codes';
import { processImages, type ProcessFlags } from './process-images';

function fraction(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError(`${name} must be a number from 0 to 1`);
    return n;
  };
}

const OUTPUT_FLAGS = '-o, --output <output>';
const OUTPUT_HELP = 'output file (one input) or folder';
const INPAINT_MODEL_HELP = 'inpainting model id (see `mend models`); the classical fill by default';

/** The options every image command ends with. */
function addRunOptions(command: Command): Command {
  return command
    .addOption(providerOption())
    .option('--overwrite', 'replace existing output files')
    .option('--json', 'print one JSON summary line instead of progress');
}

/** The options upscale and restore share, up to the run options. */
function addModelRunOptions(command: Command): Command {
  return command
    .argument('<input...>', 'PNG or JPEG files')
    .requiredOption(OUTPUT_FLAGS, OUTPUT_HELP)
    .option('--model <id>', 'catalog model id (see `mend models`); the default for the task otherwise')
    .option('--tile <N>', 'tile side in pixels (smaller uses less memory)', integer('--tile', 32, 4096));
}

/** `mend upscale <input...> -o <output>` */
export function addUpscaleCommand(program: Command, io: CliIo, setExit: SetExitCode): void {
  const command = addModelRunOptions(program.command('upscale').description('enlarge images with an AI model'));
  addRunOptions(command)
    .option('--scale <n>', 'output scale 1..8 (the model’s own scale by default)', integer('--scale', 1, 8))
    .action(async (inputs: string[], flags: ProcessFlags) => setExit(await processImages('upscale', inputs, flags, io)));
}

/** `mend restore <input...> -o <output>` */
export function addRestoreCommand(program: Command, io: CliIo, setExit: SetExitCode): void {
  const command = addModelRunOptions(program.command('restore').description('remove noise and JPEG artifacts with an AI model'));
  addRunOptions(command).action(async (inputs: string[], flags: ProcessFlags) => setExit(await processImages('restore', inputs, flags, io)));
}

/** `mend inpaint <input...> --mask <mask> -o <output>` */
export function addInpaintCommand(program: Command, io: CliIo, setExit: SetExitCode): void {
  const command = program
    .command('inpaint')
    .description('fill the parts of an image a mask marks (white = fill, black = keep, gray = soft edge); the rest stays byte-identical')
    .argument('<input...>', 'PNG or JPEG files (the same mask for each)')
    .requiredOption('--mask <mask>', 'mask image of the input\'s size')
    .requiredOption(OUTPUT_FLAGS, OUTPUT_HELP)
    .option('--model <id>', INPAINT_MODEL_HELP);
  addRunOptions(command).action(async (inputs: string[], flags: ProcessFlags) => setExit(await processImages('inpaint', inputs, flags, io)));
}

/** `mend repair <input...> -o <output>` */
export function addRepairCommand(program: Command, io: CliIo, setExit: SetExitCode): void {
  const command = program
    .command('repair')
    .description('find dust and scratches of scanned prints and fill them')
    .argument('<input...>', 'PNG or JPEG files')
    .requiredOption(OUTPUT_FLAGS, OUTPUT_HELP)
    .option('--mask-out <mask>', 'also write the defects found as a mask (file for one input, or folder) to review')
    .option('--sensitivity <s>', `0..1: higher finds fainter and larger defects, and more false ones (default ${DEFAULT_SENSITIVITY})`, fraction('--sensitivity'))
    .option('--model <id>', INPAINT_MODEL_HELP);
  addRunOptions(command).action(async (inputs: string[], flags: ProcessFlags) => setExit(await processImages('repair', inputs, flags, io)));
}
