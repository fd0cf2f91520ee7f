import { MendError } from '../errors';
import { modelFiles, type ModelFile, type ModelManifest } from '../catalog/manifest';
import { DEFAULT_PRECISION, type Precision } from '../protocol';
import { EDGE_CONTEXT } from '../imaging/tiling';
import { planFor, type TiledModel, type TileShape } from './tiled-inference';
import type { TaskContext, TaskDependencies } from './types';

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

/** The tile side a model runs at: the job's, else the manifest's for the CPU or, larger, for a GPU. */
export function tileSide(manifest: ModelManifest, provider: string, requested?: number): number {
  return requested ?? (provider === 'cpu' ? manifest.tiling.tile : manifest.tiling.maxTile);
}

/** How a model converted for fixed input sides runs over one image: the side of the file to load, and its tiles. */
export interface FixedSideTiling {
  side: number;
  /** The tile plan's geometry: every model input comes out exactly `side`² (multipleOf = minSize = side). */
  shape: TileShape;
  /** The core side to plan with. */
  tile: number;
}

/**
 * For a model of `fixedSides`: the smallest side the whole image fits in, as one tile; else the largest
 * side, tiled with cores of side − 2·overlap so each core's context still fits. Either way every model
 * input is exactly one exported side. Nothing is mirrored past the image's edges: these graphs pad their
 * own borders, as they do on the whole images they were trained and exported for, and 4 mirrored pixels
 * would push a 256² image into four 256² tiles.
 */
export function fixedSideTiling(manifest: ModelManifest, image: { width: number; height: number }): FixedSideTiling | undefined {
  if (!manifest.fixedSides) return undefined;
  const shape = { ...tileShapeOf(manifest), edgeContext: 0 };
  const sides = modelFiles(manifest)
    .map((f) => f.side ?? 0)
    .sort((a, b) => a - b);
  const fitting = sides.find((side) => Math.max(image.width, image.height) <= side);
  const side = fitting ?? sides[sides.length - 1];
  return { side, shape: { ...shape, multipleOf: side, minSize: side }, tile: fitting ?? side - 2 * shape.overlap };
}

/** How a job asks for one model to run: its tile side (the provider's default when absent) and precision (DEFAULT_PRECISION). */
export interface ModelRunChoice {
  tile?: number;
  precision?: Precision;
}

/**
 * fp16 variants run on GPU providers with half-precision shaders only: elsewhere the job is refused before
 * its variant is built or loaded, rather than silently run in fp32 (or in fp16 through casts on the CPU).
 */
async function refuseUnsupportedPrecision(engine: TaskDependencies['engine'], precision: Precision): Promise<void> {
  if (precision !== 'fp16') return;
  const half = engine.halfPrecision ? await engine.halfPrecision() : { supported: false, reason: 'this engine runs fp32 only' };
  if (!half.supported) throw new MendError('bad_usage', `${half.reason}; use --precision fp32`);
}

/** The file a model runs from at a precision: the model's own for fp32, else its variant, built when missing. */
async function precisionFile(dependencies: TaskDependencies, manifest: ModelManifest, side: number | undefined, precision: Precision, context: TaskContext): Promise<string> {
  const fp32 = await dependencies.catalog.readyPath(manifest, side);
  if (precision === 'fp32') return fp32;
  if (!dependencies.variantPath) throw new MendError('runtime', `${precision} variants cannot be built in this helper; use --precision fp32`);
  const file: ModelFile = side === undefined ? manifest : (modelFiles(manifest).find((f) => f.side === side) ?? manifest);
  return dependencies.variantPath(manifest, file, precision, context);
}

export interface LoadedTiledModel {
  model: TiledModel;
  provider: string;
  /** The tile side to plan with on that provider. */
  tile: number;
}

/**
 * Loads a model for tiles of `image`: how many tiles it makes on the CPU decides how the CPU runs them.
 * A model prepared on first use that is not built yet is built first, as part of the job.
 */
export async function loadTiledModel(
  dependencies: TaskDependencies,
  manifest: ModelManifest,
  image: { width: number; height: number },
  { tile: requestedTile, precision = DEFAULT_PRECISION }: ModelRunChoice,
  context: TaskContext,
): Promise<LoadedTiledModel> {
  await refuseUnsupportedPrecision(dependencies.engine, precision);
  const fixed = fixedSideTiling(manifest, image);
  if (fixed && requestedTile !== undefined) {
    const sides = modelFiles(manifest).map((f) => `${f.side}`);
    throw new MendError('bad_usage', `${manifest.id} runs on tiles of fixed sides (${sides.join(' or ')} px), chosen by the image's size; leave out the tile size`);
  }
  const { catalog, engine, prepareModel } = dependencies;
  if (manifest.prepareOnFirstUse && prepareModel && (await catalog.statusOf(manifest)) !== 'ready') await prepareModel(manifest, context);
  const shape = fixed?.shape ?? tileShapeOf(manifest);
  const cpuTiles = planFor(image, shape, fixed?.tile ?? tileSide(manifest, 'cpu', requestedTile)).tiles.length;
  const file = await precisionFile(dependencies, manifest, fixed?.side, precision, context);
  const session = await engine.loadForTiles(file, { input: manifest.io.input, output: manifest.io.output }, cpuTiles);
  // int8 variants are made for CPUs with VNNI: a GPU provider would run them slower than fp32, or not at all.
  if (precision === 'int8' && session.provider !== 'cpu') {
    throw new MendError('bad_usage', `int8 runs on the CPU provider only, and this helper runs models on ${session.provider}; use --precision fp32, or --provider cpu`);
  }
  return {
    provider: session.provider,
    tile: fixed?.tile ?? tileSide(manifest, session.provider, requestedTile),
    model: {
      id: manifest.id,
      format: { channelOrder: manifest.io.channelOrder, valueRange: manifest.io.valueRange },
      ...shape,
      parallelRuns: session.parallelRuns,
      run: (input, height, width) => session.run(input, height, width),
    },
  };
}
