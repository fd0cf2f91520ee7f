import { MendError } from '../errors';
import { ImageCollector, writeWhole, type ImageSink } from '../imaging/image-sink';
import type { PixelImage } from '../imaging/pixel-image';
import { DEFAULT_DETAIL, DEFAULT_PRECISION, type CompareOptions, type CompareVariant, type UpscaleOptions } from '../protocol';
import { planRestore } from './restore-task';
import { TileProgress } from './tile-progress';
import { atDetail, loadUpscale, upscaleLabel } from './upscale-task';
import type { ExtraOutput, TaskContext, TaskDependencies, TaskJob, TaskResult } from './types';

/** One or more variants made by one run: upscales that differ only in detail strength share the model's output and its fidelity base. */
interface VariantGroup {
  /** Indexes of the variants, in order. */
  variants: number[];
  model: string;
  width: number;
  height: number;
  tiles: number;
  /** Runs once; hands each variant's image to `sinkFor(variant)`. */
  run(sinkFor: (variant: number) => ImageSink, progress: TileProgress): Promise<{ models: string[]; provider: string }>;
}

const detailOf = (variant: CompareVariant) => (variant.task === 'upscale' ? (variant.detail ?? DEFAULT_DETAIL) : DEFAULT_DETAIL);

/** What makes two upscale variants one run: everything but the detail strength. */
const runKey = ({ model, scale, cleanFirst, tile, precision }: UpscaleOptions) => JSON.stringify([model, scale, cleanFirst, tile, precision ?? DEFAULT_PRECISION]);

function groupVariants(variants: CompareVariant[]): number[][] {
  const groups = new Map<string, number[]>();
  variants.forEach((variant, index) => {
    const key = variant.task === 'upscale' ? runKey(variant) : `restore ${index}`;
    groups.set(key, [...(groups.get(key) ?? []), index]);
  });
  return [...groups.values()];
}

async function planGroup(indexes: number[], variants: CompareVariant[], image: PixelImage, dependencies: TaskDependencies, context: TaskContext): Promise<VariantGroup> {
  const first = variants[indexes[0]];
  if (first.task === 'restore') {
    const planned = await planRestore(first, image, dependencies, context);
    return { variants: indexes, ...planned, run: async (sinkFor, progress) => planned.run(sinkFor(indexes[0]), progress) };
  }
  const upscale = await loadUpscale(
    first,
    image,
    dependencies,
    context,
    indexes.map((i) => detailOf(variants[i])),
  );
  const { models, provider } = upscale;
  return {
    variants: indexes,
    model: upscale.model,
    width: upscale.width,
    height: upscale.height,
    tiles: upscale.tiles,
    async run(sinkFor, progress) {
      if (indexes.length === 1 && !upscale.hasBase) {
        await upscale.stream(sinkFor(indexes[0]), progress);
        return { models, provider };
      }
      const images = await upscale.collect(progress);
      for (const index of indexes) await writeWhole(sinkFor(index), atDetail(images, detailOf(variants[index])));
      return { models, provider };
    },
  };
}

/**
 * Labels of the variants: their model, their detail strength when the variants do not all share one, and
 * their precision when it is not fp32 (so "realesrgan-x4plus" and "realesrgan-x4plus · int8" tell apart).
 */
function variantLabels(variants: CompareVariant[], models: string[]): string[] {
  const details = variants.map(detailOf);
  const detailsDiffer = details.some((k) => k !== details[0]);
  return models.map((model, i) => {
    const label = upscaleLabel(model, details[i], detailsDiffer || details[i] !== DEFAULT_DETAIL);
    const precision = variants[i].precision ?? DEFAULT_PRECISION;
    return precision === DEFAULT_PRECISION ? label : `${label} · ${precision}`;
  });
}

/**
 * The same operation run 2..4 ways on one source, each variant one output in order: the first streams to
 * the sink, the others are held whole. Every model is loaded and every tile counted before the first runs,
 * so progress goes once over all variants; cancel stops at the next tile of whichever runs.
 */
export async function compareTask({ options, image, sink, context }: TaskJob<CompareOptions>, dependencies: TaskDependencies): Promise<TaskResult> {
  const { variants } = options;
  const groups: VariantGroup[] = [];
  for (const indexes of groupVariants(variants)) groups.push(await planGroup(indexes, variants, image, dependencies, context));
  const [first] = groups;
  const other = groups.find((g) => g.width !== first.width || g.height !== first.height);
  if (other) {
    throw new MendError(
      'bad_usage',
      `compare variants must make images of one size, but ${first.model} makes ${first.width}×${first.height} and ${other.model} ${other.width}×${other.height}: give the variants one scale`,
    );
  }
  const modelOf: string[] = [];
  for (const group of groups) for (const index of group.variants) modelOf[index] = group.model;
  const labels = variantLabels(variants, modelOf);

  const tiles = groups.reduce((n, g) => n + g.tiles, 0);
  const progress = new TileProgress(context, tiles);
  const collectors = new Map<number, ImageCollector>();
  const sinkFor = (index: number): ImageSink => {
    if (index === 0) return sink;
    const collector = new ImageCollector();
    collectors.set(index, collector);
    return collector;
  };
  const modelsOf: string[][] = [];
  let provider = '';
  for (const group of groups) {
    const ran = await group.run(sinkFor, progress);
    for (const index of group.variants) modelsOf[index] = ran.models;
    provider = ran.provider;
  }
  const extraOutputs: ExtraOutput[] = variants.slice(1).map((_, i) => {
    const index = i + 1;
    const collector = collectors.get(index);
    if (!collector) throw new Error(`variant ${index} made no image`);
    return { kind: 'variant', label: labels[index], models: modelsOf[index], image: collector.collected() };
  });
  return {
    models: groups.flatMap((g) => modelsOf[g.variants[0]]),
    provider,
    tiles,
    width: first.width,
    height: first.height,
    main: { kind: 'variant', label: labels[0], models: modelsOf[0] },
    extraOutputs,
  };
}
