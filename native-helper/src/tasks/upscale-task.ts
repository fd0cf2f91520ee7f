import { DEFAULT_DETAIL, type UpscaleOptions } from '../protocol';
import { throwIfCancelled } from '../errors';
import { applyDetailStrength } from '../imaging/detail-strength';
import { writeWhole, type ImageSink } from '../imaging/image-sink';
import { inventedDetailMap } from '../imaging/invented-detail';
import type { PixelImage } from '../imaging/pixel-image';
import { resampleImage } from '../imaging/resample';
import { chooseModel } from './choose-model';
import { fidelityBaseFor, planFidelityBase } from './fidelity-base';
import { collectPasses, runPasses, tilesOf, type Pass } from './run-passes';
import { TileProgress } from './tile-progress';
import { loadTiledModel } from './tiled-model';
import type { ExtraOutput, PlannedRun, TaskContext, TaskDependencies, TaskJob, TaskResult } from './types';

/** What the map of invented detail is called, as a layer or an output. */
export const INVENTED_DETAIL_LABEL = 'Invented detail';

/** How many passes of a ×modelScale model reach at least ×target. */
export function passCount(modelScale: number, target: number): number {
  if (modelScale === 1) return 1;
  let passes = 1;
  for (let reached = modelScale; reached < target; reached *= modelScale) passes++;
  return passes;
}

/** An upscale's result as a layer or file is called: its model, and the detail strength when it is not the model's own. */
export function upscaleLabel(model: string, detail: number, withDetail = detail !== DEFAULT_DETAIL): string {
  return withDetail ? `${model} · detail ${detail}` : model;
}

/** What an upscale made, held whole: what the upscaler was given, its output at the job's size, and the fidelity base when one was planned. */
export interface UpscaleImages {
  input: PixelImage;
  upscaled: PixelImage;
  fidelity?: PixelImage;
}

/** An upscale with its models loaded (the fidelity base's too, when planned) and its tiles counted. */
export interface UpscaleRun {
  /** Catalog id of the upscaler. */
  model: string;
  /** The job's factor. */
  factor: number;
  provider: string;
  /** Every model it runs, in order: the restore pass's, the upscaler per pass, the fidelity base's. */
  models: string[];
  tiles: number;
  width: number;
  height: number;
  hasBase: boolean;
  /** The upscaler's output, into the sink as its tiles finish (a resample needs it whole first). */
  stream(sink: ImageSink, progress: TileProgress): Promise<void>;
  collect(progress: TileProgress): Promise<UpscaleImages>;
}

/**
 * Loads an upscale's models and counts its tiles: a restore pass first when asked, then as many passes of
 * the upscaler as reach the factor, and a resample down where they overshoot it. The fidelity base (see
 * `fidelity-base.ts`) is planned for the map of invented detail, and for any of `details` other than 1
 * unless the upscaler is itself the base.
 */
export async function loadUpscale(options: UpscaleOptions, image: PixelImage, dependencies: TaskDependencies, context: TaskContext, details: number[]): Promise<UpscaleRun> {
  const manifest = chooseModel(dependencies.catalog, 'upscale', options.model, options.scale);
  const target = options.scale ?? manifest.scale;
  const upscaler = await loadTiledModel(dependencies, manifest, image, options, context);
  const cleaning: Pass[] = [];
  let { width, height } = image;
  if (options.cleanFirst) {
    const cleanManifest = chooseModel(dependencies.catalog, 'restore', options.cleanFirst);
    const cleaner = await loadTiledModel(dependencies, cleanManifest, image, options, context);
    cleaning.push({ model: cleaner.model, tile: cleaner.tile, width, height });
    width *= cleanManifest.scale;
    height *= cleanManifest.scale;
  }
  const cleaned = { width, height };
  const upscaling: Pass[] = [];
  for (let i = 0; i < passCount(manifest.scale, target); i++) {
    upscaling.push({ model: upscaler.model, tile: upscaler.tile, width, height });
    width *= manifest.scale;
    height *= manifest.scale;
  }
  const wanted = { width: image.width * target, height: image.height * target };
  const overshoots = width !== wanted.width || height !== wanted.height;
  const detailChanges = details.some((k) => k !== DEFAULT_DETAIL) && fidelityBaseFor(dependencies.catalog, manifest, target).kind !== 'upscaler';
  const base = options.inventedDetailMap || detailChanges ? await planFidelityBase(dependencies, manifest, target, cleaned, options.tile, context) : undefined;
  const passes = [...cleaning, ...upscaling];
  return {
    model: manifest.id,
    factor: target,
    provider: upscaler.provider,
    models: passes.map((p) => p.model.id).concat(base?.models ?? []),
    tiles: tilesOf(passes) + (base?.tiles ?? 0),
    ...wanted,
    hasBase: base !== undefined,
    async stream(sink, progress) {
      if (!overshoots) await runPasses(image, passes, sink, progress);
      else await writeWhole(sink, resampleImage(await collectPasses(image, passes, progress), wanted.width, wanted.height));
    },
    async collect(progress) {
      const input = cleaning.length ? await collectPasses(image, cleaning, progress) : image;
      const made = await collectPasses(input, upscaling, progress);
      const upscaled = overshoots ? resampleImage(made, wanted.width, wanted.height) : made;
      return { input, upscaled, fidelity: await base?.make(input, upscaled, progress) };
    },
  };
}

/** The output at detail strength `k`: the upscaler's own at 1, or without a fidelity base (the upscaler is the base). */
export function atDetail({ upscaled, fidelity }: UpscaleImages, k: number): PixelImage {
  return fidelity ? applyDetailStrength(fidelity, upscaled, k) : upscaled;
}

/**
 * An upscale (see `loadUpscale`) at the job's detail strength, with the map of invented detail as a second
 * output when asked. Made without the fidelity base, the output streams to the sink as the tiles finish;
 * with it, the model's output and the base are held whole and mixed into a third image.
 */
export async function planUpscale(options: UpscaleOptions, image: PixelImage, dependencies: TaskDependencies, context: TaskContext): Promise<PlannedRun> {
  const detail = options.detail ?? DEFAULT_DETAIL;
  const upscale = await loadUpscale(options, image, dependencies, context, [detail]);
  const { models, provider, tiles, width, height } = upscale;
  const result = (extraOutputs?: ExtraOutput[]): TaskResult => ({
    models,
    provider,
    tiles,
    width,
    height,
    main: { kind: 'result', label: upscaleLabel(upscale.model, detail), models },
    extraOutputs,
  });
  return {
    model: upscale.model,
    width,
    height,
    tiles,
    async run(sink, progress) {
      if (!upscale.hasBase) {
        await upscale.stream(sink, progress);
        return result();
      }
      const images = await upscale.collect(progress);
      throwIfCancelled(progress.signal);
      const output = atDetail(images, detail);
      await writeWhole(sink, output);
      if (!options.inventedDetailMap) return result();
      throwIfCancelled(progress.signal);
      const map = inventedDetailMap({ input: images.input, output, base: images.fidelity ?? images.upscaled, scale: upscale.factor });
      return result([{ kind: 'invented-detail', label: INVENTED_DETAIL_LABEL, models, image: map }]);
    },
  };
}

/** Upscales by the job's factor (see `planUpscale`). */
export async function upscaleTask({ options, image, sink, context }: TaskJob<UpscaleOptions>, dependencies: TaskDependencies): Promise<TaskResult> {
  const planned = await planUpscale(options, image, dependencies, context);
  return planned.run(sink, new TileProgress(context, planned.tiles));
}
