import type { InpaintOptions, RestoreOptions, UpscaleOptions } from '../protocol';
import { MendError } from '../errors';
import type { Catalog } from '../catalog/catalog';
import type { ModelManifest } from '../catalog/manifest';
import type { Engine } from '../engine/engine';
import type { PixelImage } from '../imaging/pixel-image';
import { Resampler } from '../imaging/resample';
import { createImage } from '../imaging/pixel-image';
import { ImageCollector, writeWhole, type ImageSink } from '../imaging/image-sink';
import { detectDefects } from '../imaging/defect-detection';
import { maskFromImage } from '../imaging/mask';
import { inpaintImage } from './inpaint';
import { maskIoOf, modelHoleFiller } from './inpaint-model';
import { EDGE_CONTEXT } from '../imaging/tiling';
import { planFor, runTiled, type TiledModel, type TileShape } from './tiled-inference';
import type { TaskContext, TaskInput, TaskResult, TaskRunner, TaskStreamer } from './types';

export interface TaskDependencies {
  catalog: Catalog;
  engine: Engine;
}

interface Pass {
  model: TiledModel;
  tile: number;
  width: number;
  height: number;
}

function expectTask(manifest: ModelManifest, task: ModelManifest['task']): void {
  if (manifest.task !== task) {
    throw new MendError('bad_usage', `${manifest.id} is made for ${manifest.task}, not ${task}; run \`mend models\` to pick one`);
  }
}

/** How many passes of a ×modelScale model reach at least ×target. */
export function passCount(modelScale: number, target: number): number {
  if (modelScale === 1) return 1;
  let passes = 1;
  for (let reached = modelScale; reached < target; reached *= modelScale) passes++;
  return passes;
}

function resampleTo(image: PixelImage, width: number, height: number): PixelImage {
  const out = createImage(width, height, image.channels, image.bitDepth, image.maxValue);
  const pairs = Array.from({ length: image.channels }, (_, c) => [c, c] as const);
  new Resampler(image.width, image.height, width, height).resampleRows(image, out, pairs, 0, height);
  return out;
}

function tileShapeOf(manifest: ModelManifest): TileShape {
  return {
    scale: manifest.scale,
    overlap: manifest.tiling.overlap,
    // Graphs converted with their engine's prepadding pad their borders themselves, the way the engine does.
    edgeContext: manifest.source.prepadding ? 0 : EDGE_CONTEXT,
    multipleOf: manifest.tiling.multipleOf,
    minSize: manifest.tiling.minSize,
  };
}

function tileSide(manifest: ModelManifest, provider: string, requested?: number): number {
  return requested ?? (provider === 'cpu' ? manifest.tiling.tile : manifest.tiling.maxTile);
}

export function createTaskStreamer({ catalog, engine }: TaskDependencies): TaskStreamer {
  /** Loads a model for tiles of `image`: how many tiles it makes on the CPU decides how the CPU runs them. */
  async function tiledModel(manifest: ModelManifest, image: { width: number; height: number }, requestedTile?: number): Promise<{ model: TiledModel; provider: string }> {
    const shape = tileShapeOf(manifest);
    const cpuTiles = planFor(image, shape, tileSide(manifest, 'cpu', requestedTile)).tiles.length;
    const session = await engine.loadForTiles(await catalog.readyPath(manifest), { input: manifest.io.input, output: manifest.io.output }, cpuTiles);
    return {
      provider: session.provider,
      model: {
        id: manifest.id,
        format: { channelOrder: manifest.io.channelOrder, valueRange: manifest.io.valueRange },
        ...shape,
        parallelRuns: session.parallelRuns,
        run: (input, height, width) => session.run(input, height, width),
      },
    };
  }

  /** Runs the passes one after the other; the last one streams into `sink`. Returns the number of tiles. */
  async function runPasses(image: PixelImage, passes: Pass[], sink: ImageSink, context: TaskContext): Promise<number> {
    const plans = passes.map((p) => planFor(p, p.model, p.tile));
    const total = plans.reduce((n, plan) => n + plan.tiles.length, 0);
    let done = 0;
    context.onProgress({ done, total, stage: passes[0].model.id });
    let current = image;
    for (let i = 0; i < passes.length; i++) {
      const stage = passes[i].model.id;
      const intermediate = i + 1 < passes.length ? new ImageCollector() : undefined;
      await runTiled(current, passes[i].model, plans[i], intermediate ?? sink, {
        signal: context.signal,
        onTile: () => context.onProgress({ done: ++done, total, stage }),
      });
      if (intermediate) current = intermediate.collected();
    }
    return total;
  }

  async function upscale(input: TaskInput, options: UpscaleOptions, sink: ImageSink, context: TaskContext): Promise<TaskResult> {
    const manifest = options.model ? catalog.get(options.model) : catalog.defaultFor('upscale', options.scale);
    expectTask(manifest, 'upscale');
    const target = options.scale ?? manifest.scale;
    const upscaler = await tiledModel(manifest, input.image, options.tile);
    const passes: Pass[] = [];
    let { width, height } = input.image;
    if (options.cleanFirst) {
      const cleanManifest = catalog.get(options.cleanFirst);
      expectTask(cleanManifest, 'restore');
      const cleaner = await tiledModel(cleanManifest, input.image, options.tile);
      passes.push({ model: cleaner.model, tile: tileSide(cleanManifest, cleaner.provider, options.tile), width, height });
      width *= cleanManifest.scale;
      height *= cleanManifest.scale;
    }
    for (let i = 0; i < passCount(manifest.scale, target); i++) {
      passes.push({ model: upscaler.model, tile: tileSide(manifest, upscaler.provider, options.tile), width, height });
      width *= manifest.scale;
      height *= manifest.scale;
    }
    const wanted = { width: input.image.width * target, height: input.image.height * target };
    let tiles: number;
    if (width === wanted.width && height === wanted.height) {
      tiles = await runPasses(input.image, passes, sink, context);
    } else {
      const overshot = new ImageCollector();
      tiles = await runPasses(input.image, passes, overshot, context);
      await writeWhole(sink, resampleTo(overshot.collected(), wanted.width, wanted.height));
    }
    return { models: passes.map((p) => p.model.id), provider: upscaler.provider, tiles, ...wanted };
  }

  async function restore(input: TaskInput, options: RestoreOptions, sink: ImageSink, context: TaskContext): Promise<TaskResult> {
    const manifest = options.model ? catalog.get(options.model) : catalog.defaultFor('restore');
    expectTask(manifest, 'restore');
    const restorer = await tiledModel(manifest, input.image, options.tile);
    const { width, height } = input.image;
    const tiles = await runPasses(input.image, [{ model: restorer.model, tile: tileSide(manifest, restorer.provider, options.tile), width, height }], sink, context);
    return { models: [manifest.id], provider: restorer.provider, tiles, width, height };
  }

  async function inpaint(input: TaskInput, options: InpaintOptions, sink: ImageSink, context: TaskContext): Promise<TaskResult> {
    if (!input.mask) throw new MendError('bad_usage', 'inpainting needs a mask: white where to fill, black where to keep');
    const manifest = options.model ? catalog.get(options.model) : catalog.defaultFor('inpaint');
    expectTask(manifest, 'inpaint');
    const io = { input: manifest.io.input, output: manifest.io.output, extraInputs: [maskIoOf(manifest).name] };
    const session = await engine.load(await catalog.readyPath(manifest), io);
    const filler = modelHoleFiller(manifest, session, tileSide(manifest, session.provider));
    const { image, windows } = await inpaintImage(input.image, maskFromImage(input.mask), filler, {
      signal: context.signal,
      onWindow: (done, total) => context.onProgress({ done, total, stage: manifest.id }),
    });
    await writeWhole(sink, image);
    return { models: [manifest.id], provider: session.provider, tiles: windows, width: image.width, height: image.height };
  }

  return async (input, sink, context) => {
    const { options } = input;
    switch (options.task) {
      case 'upscale':
        return upscale(input, options, sink, context);
      case 'restore':
        return restore(input, options, sink, context);
      case 'inpaint':
        return inpaint(input, options, sink, context);
      case 'find-defects': {
        context.onProgress({ done: 0, total: 1, stage: 'find-defects' });
        const image = detectDefects(input.image, { sensitivity: options.sensitivity });
        context.onProgress({ done: 1, total: 1, stage: 'find-defects' });
        await writeWhole(sink, image);
        return { models: [], provider: 'cpu', tiles: 1, width: image.width, height: image.height };
      }
    }
  };
}

/** The streamer with its output collected in memory. */
export function collectingOutput(streamTask: TaskStreamer): TaskRunner {
  return async (input, context) => {
    const collector = new ImageCollector();
    const result = await streamTask(input, collector, context);
    return { ...result, image: collector.collected() };
  };
}

export function createTaskRunner(dependencies: TaskDependencies): TaskRunner {
  return collectingOutput(createTaskStreamer(dependencies));
}
