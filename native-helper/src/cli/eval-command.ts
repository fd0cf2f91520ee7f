import type { Command } from 'commander';
import { MendError } from '../errors';
import type { CliIo } from './cli-io';
import { providerOption } from './command-options';
import type { DetailEvalFlags } from './evaluate-detail';
import type { SetExitCode } from './exit-codes';
import type { EvalFlags } from './evaluate-models';

const list = (value: string) =>
  value
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);

export function addEvalCommand(program: Command, io: CliIo, setExit: SetExitCode): void {
  program
    .command('eval')
    .description('measure the models against classical baselines on degraded test photos (PSNR, SSIM, detail), write tables, contact sheets and the default per role')
    .option('--quick', 'one small image and one model: a check that the whole path works')
    .option('--degradations <ids>', 'only these degradations, comma-separated (e.g. motion-linear,noise-camera); roles whose degradations are not all run are not decided', list)
    .option('--detail-curve', 'instead: PSNR-Y, SSIM-Y and detail against the detail strength k (×4, Real-ESRGAN over esrgan-thick), table and chart')
    .option('--invented-detail', 'instead: ROC AUC of the map of invented detail and of each of its signals, per image and model')
    .option('--out <dir>', 'where to write the report, tables and contact sheets', 'eval-results')
    .addOption(providerOption())
    .option('--json', 'print the report as one JSON document')
    // Loaded when run: every `mend upscale` would otherwise pay at start for the evaluation.
    .action(async (flags: EvalFlags & DetailEvalFlags) => {
      if (flags.detailCurve || flags.inventedDetail) {
        if (flags.quick || flags.degradations) throw new MendError('bad_usage', '--detail-curve and --invented-detail run their own set; leave out --quick and --degradations');
        setExit(await (await import('./evaluate-detail')).evaluateDetail(flags, io));
      } else setExit(await (await import('./evaluate-models')).evaluateModels(flags, io));
    });
}
