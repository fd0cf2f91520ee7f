import type { Command } from 'commander';
import { DEFAULT_SENSITIVITY, MAX_COMPARE_VARIANTS, MAX_DETAIL, MIN_COMPARE_VARIANTS } from '../protocol';
import type { CliIo } from './cli-io';
import { fraction, integer, precisionOption, providerOption } from './command-options';
import { compareItems, detailStrength } from './compare-variants';
import type { SetExitCode } from './exit-codes';
import type { ImageCommand, ProcessFlags } from './image-run-plan';
import { processImages } from './process-images';

const OUTPUT_FLAGS = '-o, --output <output>';
const OUTPUT_HELP = 'output file (one input) or folder';
const INPAINT_MODEL_HELP = 'inpainting model id (see `mend models`); the classical fill by default';

function imageCommand(program: Command, name: ImageCommand, description: string, inputsHelp: string): Command {
  return program.command(name).description(description).argument('<input...>', inputsHelp);
}

/** The options upscale and restore share after their inputs. */
function addModelRunOptions(command: Command): Command {
  return command
    .requiredOption(OUTPUT_FLAGS, OUTPUT_HELP)
    .option('--model <id>', 'catalog model id (see `mend models`); the default for the task otherwise')
    .option('--tile <N>', 'tile side in pixels (smaller uses less memory)', integer('--tile', 32, 4096))
    .addOption(precisionOption());
}

/** The options every image command ends with. */
function addRunOptions(command: Command): Command {
  return command.addOption(providerOption()).option('--overwrite', 'replace existing output files').option('--json', 'print one JSON summary line instead of progress');
}

function runImagesOnAction(command: Command, name: ImageCommand, io: CliIo, setExit: SetExitCode): void {
  command.action(async (inputs: string[], flags: ProcessFlags) => setExit(await processImages(name, inputs, flags, io)));
}

export function addUpscaleCommand(program: Command, io: CliIo, setExit: SetExitCode): void {
  const upscale = addModelRunOptions(imageCommand(program, 'upscale', 'enlarge images with an AI model', 'PNG or JPEG files'));
  addRunOptions(upscale)
    .option('--scale <n>', 'output scale 1..8 (the model’s own scale by default)', integer('--scale', 1, 8))
    .option(
      '--detail <k>',
      `detail strength 0..${MAX_DETAIL}: 0 the fidelity base (esrgan-thick of the scale, else bicubic), 1 the model’s own output (default), above 1 its detail exaggerated`,
      detailStrength,
    )
    .option('--hallucination-map <map>', 'also write the map of invented detail, gray, 255 = most invented (file for one input, or folder)')
    .option(
      '--compare <variants>',
      `run ${MIN_COMPARE_VARIANTS}..${MAX_COMPARE_VARIANTS} variants into the -o folder, one PNG each plus a contact sheet: model ids (id1,id2), or detail strengths of --model (detail:0,detail:1)`,
      compareItems,
    );
  runImagesOnAction(upscale, 'upscale', io, setExit);
}

export function addRestoreCommand(program: Command, io: CliIo, setExit: SetExitCode): void {
  const restore = addModelRunOptions(imageCommand(program, 'restore', 'remove noise and JPEG artifacts with an AI model', 'PNG or JPEG files'));
  runImagesOnAction(addRunOptions(restore), 'restore', io, setExit);
}

export function addInpaintCommand(program: Command, io: CliIo, setExit: SetExitCode): void {
  const description = 'fill the parts of an image a mask marks (white = fill, black = keep, gray = soft edge); the rest stays byte-identical';
  const inpaint = imageCommand(program, 'inpaint', description, 'PNG or JPEG files (the same mask for each)')
    .requiredOption('--mask <mask>', "mask image of the input's size")
    .requiredOption(OUTPUT_FLAGS, OUTPUT_HELP)
    .option('--model <id>', INPAINT_MODEL_HELP);
  runImagesOnAction(addRunOptions(inpaint), 'inpaint', io, setExit);
}

export function addRepairCommand(program: Command, io: CliIo, setExit: SetExitCode): void {
  const repair = imageCommand(program, 'repair', 'find dust and scratches of scanned prints and fill them', 'PNG or JPEG files')
    .requiredOption(OUTPUT_FLAGS, OUTPUT_HELP)
    .option('--mask-out <mask>', 'also write the defects found as a mask (file for one input, or folder) to review')
    .option('--sensitivity <s>', `0..1: higher finds fainter and larger defects, and more false ones (default ${DEFAULT_SENSITIVITY})`, fraction('--sensitivity'))
    .option('--model <id>', INPAINT_MODEL_HELP);
  runImagesOnAction(addRunOptions(repair), 'repair', io, setExit);
}
