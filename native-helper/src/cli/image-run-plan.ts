import type { MendApp } from '../app';
import { maskFromImage } from '../imaging/mask';
import type { PixelImage } from '../imaging/pixel-image';
import { decodeImageFile } from '../codecs/image-file';
import { configDir } from '../config/config-dir';
import { MendError } from '../errors';
import { describeIssues, jobOptionsSchema, type JobOptions, type Precision } from '../protocol';
import type { CliIo } from './cli-io';
import { compareVariants } from './compare-variants';
import { namesFolder, resolveOutputs, type OutputTarget } from './output-paths';

/** The commands that turn image files into image files. */
export type ImageCommand = 'upscale' | 'restore' | 'inpaint' | 'repair';

export interface ProcessFlags {
  output: string;
  model?: string;
  scale?: number;
  tile?: number;
  /** upscale, restore: commander allows only PRECISIONS; the job's schema checks again. */
  precision?: Precision;
  provider?: string;
  overwrite?: boolean;
  json?: boolean;
  /** inpaint: the mask file (white = fill). */
  mask?: string;
  /** repair: where to write the defect mask that was found. */
  maskOut?: string;
  /** repair: 0..1 */
  sensitivity?: number;
  /** upscale: detail strength 0..2. */
  detail?: number;
  /** upscale: where to write the map of invented detail (file for one input, or folder). */
  hallucinationMap?: string;
  /** upscale: the items of --compare (model ids, or detail:k strengths). */
  compare?: string[];
}

function upscaleOptions(flags: ProcessFlags): unknown {
  if (flags.compare) {
    if (flags.hallucinationMap) throw new MendError('bad_usage', '--compare writes no map of invented detail: leave out --hallucination-map, or run the variant alone for its map');
    return { task: 'compare', variants: compareVariants(flags.compare, flags) };
  }
  return {
    task: 'upscale',
    model: flags.model,
    scale: flags.scale,
    tile: flags.tile,
    detail: flags.detail,
    inventedDetailMap: flags.hallucinationMap ? true : undefined,
    precision: flags.precision,
  };
}

function optionsFor(command: ImageCommand, flags: ProcessFlags): JobOptions {
  const parsed = jobOptionsSchema.safeParse(
    command === 'upscale'
      ? upscaleOptions(flags)
      : command === 'restore'
        ? { task: command, model: flags.model, tile: flags.tile, precision: flags.precision }
        : { task: 'inpaint', model: flags.model },
  );
  if (!parsed.success)
    throw new MendError(
      'bad_usage',
      describeIssues(parsed.error)
        .replace(/^variants\.\d+\.\w+:/, '--compare:')
        .replace(/^(\w+):/, '--$1:'),
    );
  return parsed.data;
}

const SUFFIXES = { restore: '-restored', inpaint: '-inpainted', repair: '-repaired' } as const;
/** A compare run's contact sheet is `<input stem>-compare.png`; its variants lie next to it. */
const COMPARE_SHEET_SUFFIX = '-compare';

/** `-x4` after the factor the run will reach: --scale, else the scale of the model the catalog will pick. Only for outputs named into a folder. */
async function outputSuffix(command: ImageCommand, options: JobOptions, app: MendApp): Promise<string> {
  if (command !== 'upscale') return SUFFIXES[command];
  if (options.task === 'compare') return COMPARE_SHEET_SUFFIX;
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
  /** upscale with --hallucination-map: where each input's map of invented detail goes. */
  mapTargets?: OutputTarget[];
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
  const mapTargets = flags.hallucinationMap ? await resolveOutputs(inputs, flags.hallucinationMap, async () => '-hallucination-map', 'png') : undefined;
  if (options.task === 'compare' && !(await namesFolder(flags.output))) {
    throw new MendError('bad_usage', `--compare writes one file per variant and a contact sheet: give a folder after -o, not ${flags.output}`);
  }
  // The engine's notes (a GPU run that failed and continues on the CPU, a user model skipped) are the user's business.
  const log = (message: string) => io.stderr.write(`\nmend: ${message}\n`);
  const app = await io.createApp({ provider: flags.provider ?? io.env.MEND_PROVIDER, configDir: configDir(io.env), log });
  try {
    return {
      app,
      options,
      mask,
      maskTargets,
      mapTargets,
      targets: await resolveOutputs(inputs, flags.output, () => outputSuffix(command, options, app), options.task === 'compare' ? 'png' : undefined),
    };
  } catch (error) {
    await app.close();
    throw error;
  }
}
