import type { MendApp } from '../app';
import { maskFromImage } from '../imaging/mask';
import type { PixelImage } from '../imaging/pixel-image';
import { decodeImageFile } from '../codecs/image-file';
import { configDir } from '../config/config-dir';
import { MendError } from '../errors';
import { describeIssues, jobOptionsSchema, type JobOptions } from '../protocol';
import type { CliIo } from './cli-io';
import { resolveOutputs, type OutputTarget } from './output-paths';

/** The commands that turn image files into image files. */
export type ImageCommand = 'upscale' | 'restore' | 'inpaint' | 'repair';

export interface ProcessFlags {
  output: string;
  model?: string;
  scale?: number;
  tile?: number;
  provider?: string;
  overwrite?: boolean;
  json?: boolean;
  /** inpaint: the mask file (white = fill). */
  mask?: string;
  /** repair: where to write the defect mask that was found. */
  maskOut?: string;
  /** repair: 0..1 */
  sensitivity?: number;
}

function optionsFor(command: ImageCommand, flags: ProcessFlags): JobOptions {
  const parsed = jobOptionsSchema.safeParse(
    command === 'upscale'
      ? { task: command, model: flags.model, scale: flags.scale, tile: flags.tile }
      : command === 'restore'
        ? { task: command, model: flags.model, tile: flags.tile }
        : { task: 'inpaint', model: flags.model },
  );
  if (!parsed.success) throw new MendError('bad_usage', describeIssues(parsed.error).replace(/^(\w+):/, '--$1:'));
  return parsed.data;
}

const SUFFIXES = { restore: '-restored', inpaint: '-inpainted', repair: '-repaired' } as const;

/** `-x4` after the factor the run will reach: --scale, else the scale of the model the catalog will pick. Only for outputs named into a folder. */
async function outputSuffix(command: ImageCommand, options: JobOptions, app: MendApp): Promise<string> {
  if (command !== 'upscale') return SUFFIXES[command];
  if (options.task !== 'upscale') throw new Error(`upscale was given ${options.task} options`);
  const scale = options.scale ?? app.upscalerScale(options.model, undefined);
  return scale ? `-x${scale}` : '-upscaled';
}

/** What every image of one command shares: the app, its options, where each output goes. */
export interface RunPlan {
  app: MendApp;
  options: JobOptions;
  targets: OutputTarget[];
  /** inpaint: the mask every input is filled by. */
  mask?: PixelImage;
  /** repair with --mask-out: where each input's defect mask goes. */
  maskTargets?: OutputTarget[];
}

async function readMask(file: string): Promise<PixelImage> {
  return maskFromImage((await decodeImageFile(file)).image);
}

/** Checks the flags, reads the inpaint mask, opens the app and resolves where every output goes, before any image is run. */
export async function planRun(command: ImageCommand, inputs: string[], flags: ProcessFlags, io: CliIo): Promise<RunPlan> {
  const options = optionsFor(command, flags);
  if (command === 'inpaint' && !flags.mask) throw new MendError('bad_usage', 'inpaint needs --mask <mask.png>: white where to fill, black where to keep');
  const mask = command === 'inpaint' && flags.mask ? await readMask(flags.mask) : undefined;
  const maskTargets = command === 'repair' && flags.maskOut ? await resolveOutputs(inputs, flags.maskOut, async () => '-defects', 'png') : undefined;
  const app = await io.createApp({ provider: flags.provider ?? io.env.MEND_PROVIDER, configDir: configDir(io.env) });
  try {
    return { app, options, mask, maskTargets, targets: await resolveOutputs(inputs, flags.output, () => outputSuffix(command, options, app)) };
  } catch (error) {
    await app.close();
    throw error;
  }
}
