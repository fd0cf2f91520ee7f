import { MendError } from '../errors';
import { modelFiles, type ModelManifest } from '../catalog/manifest';
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
  { catalog, engine, prepareModel }: TaskDependencies,
  manifest: ModelManifest,
  image: { width: number; height: number },
  requestedTile: number | undefined,
  context: TaskContext,
): Promise<LoadedTiledModel> {
  const fixed = fixedSideTiling(manifest, image);
  if (fixed && requestedTile !== undefined) {
    const sides = modelFiles(manifest).map((f) => `${f.side}`);
    throw new MendError('bad_usage', `${manifest.id} runs on tiles of fixed sides (${sides.join(' or ')} px), chosen by the image's size; leave out the tile size`);
  }
  if (manifest.prepareOnFirstUse && prepareModel && (await catalog.statusOf(manifest)) !== 'ready') await prepareModel(manifest, context);
  const shape = fixed?.shape ?? tileShapeOf(manifest);
  const cpuTiles = planFor(image, shape, fixed?.tile ?? tileSide(manifest, 'cpu', requestedTile)).tiles.length;
  const session = await engine.loadForTiles(await catalog.readyPath(manifest, fixed?.side), { input: manifest.io.input, output: manifest.io.output }, cpuTiles);
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
