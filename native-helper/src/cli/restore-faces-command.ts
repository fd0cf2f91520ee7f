import type { Command } from 'commander';
import type { CliIo } from './cli-io';
import { fraction, providerOption } from './command-options';
import type { SetExitCode } from './exit-codes';
import type { RestoreFacesFlags } from './restore-faces';

// Loaded when the command runs: the face models and their pipeline would otherwise slow every `mend` start.
export function addRestoreFacesCommand(program: Command, io: CliIo, setExit: SetExitCode): void {
  program
    .command('restore-faces')
    .description('find, align, restore and paste back every face; pixels outside the faces stay byte-identical')
    .argument('<input...>', 'PNG or JPEG files')
    .requiredOption('-o, --output <path>', 'output file (one input) or folder (`<input>-faces.png`)')
    .option('--model <id>', 'a face model added with `mend models add --task face` (default: the first one added, else general detail)')
    .option('--strength <s>', `0..1: how much of each restored face replaces the original (default 1)`, fraction('--strength'))
    .addOption(providerOption())
    .option('--overwrite', 'replace existing output files')
    .option('--json', 'print {results: [{input, output, restorer, models, faces: [{box, score, alignedBy, identity, mayNotLookLikeSamePerson}]}]}')
    .action(async (inputs: string[], flags: RestoreFacesFlags) => setExit(await (await import('./restore-faces')).restoreFacesCommand(inputs, flags, io)));
}
