import type { ModelManifest } from '../catalog/manifest';
import { EDGE_CONTEXT } from '../imaging/tiling';
import { planFor, type TiledModel, type TileShape } from './tiled-inference';
import type { TaskDependencies } from './types';

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

export interface LoadedTiledModel {
  model: TiledModel;
  provider: string;
  /** The tile side to plan with on that provider. */
  tile: number;
}

/** Loads a model for tiles of `image`: how many tiles it makes on the CPU decides how the CPU runs them. */
export async function loadTiledModel(
  { catalog, engine }: TaskDependencies,
  manifest: ModelManifest,
  image: { width: number; height: number },
  requestedTile: number | undefined,
): Promise<LoadedTiledModel> {
  const shape = tileShapeOf(manifest);
  const cpuTiles = planFor(image, shape, tileSide(manifest, 'cpu', requestedTile)).tiles.length;
  const session = await engine.loadForTiles(await catalog.readyPath(manifest), { input: manifest.io.input, output: manifest.io.output }, cpuTiles);
  return {
    provider: session.provider,
    tile: tileSide(manifest, session.provider, requestedTile),
    model: {
      id: manifest.id,
      format: { channelOrder: manifest.io.channelOrder, valueRange: manifest.io.valueRange },
      ...shape,
      parallelRuns: session.parallelRuns,
      run: (input, height, width) => session.run(input, height, width),
    },
  };
}
