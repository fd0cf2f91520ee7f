import type { Catalog } from '../catalog/catalog';
import type { ModelManifest } from '../catalog/manifest';
import type { PixelImage } from '../imaging/pixel-image';
import { CATMULL_ROM, resampleImage } from '../imaging/resample';
import { collectPasses, tilesOf, type Pass } from './run-passes';
import type { TileProgress } from './tile-progress';
import { loadTiledModel } from './tiled-model';
import type { TaskContext, TaskDependencies } from './types';

/** The PSNR-oriented model of each factor: trained for fidelity, it invents little. */
export const fidelityModelId = (factor: number) => `esrgan-thick-x${factor}`;

/**
 * What detail strength 0 answers and what the map of invented detail measures the output against, for an
 * upscale by `factor`: the upscaler's own output when it is the PSNR-oriented model of that factor (detail
 * then changes nothing), else that model when the catalog has it, else bicubic (Catmull-Rom).
 */
export type FidelityBase = { kind: 'upscaler' } | { kind: 'model'; manifest: ModelManifest } | { kind: 'bicubic' };

export function fidelityBaseFor(catalog: Catalog, upscaler: ModelManifest, factor: number): FidelityBase {
  const id = fidelityModelId(factor);
  if (upscaler.id === id) return { kind: 'upscaler' };
  const manifest = catalog.list().find((m) => m.id === id && m.task === 'upscale' && m.scale === factor);
  return manifest ? { kind: 'model', manifest } : { kind: 'bicubic' };
}

/** The fidelity base of one job, its model loaded and its tiles counted; always in fp32, since detail strength is measured against it. */
export interface PlannedBase {
  /** The base's model, when one runs. */
  models: string[];
  tiles: number;
  /** The base of `input` (what the upscaler was given), at the size of `upscaled` (what it made). */
  make(input: PixelImage, upscaled: PixelImage, progress: TileProgress): Promise<PixelImage>;
}

export async function planFidelityBase(
  dependencies: TaskDependencies,
  upscaler: ModelManifest,
  factor: number,
  input: { width: number; height: number },
  tile: number | undefined,
  context: TaskContext,
): Promise<PlannedBase> {
  const base = fidelityBaseFor(dependencies.catalog, upscaler, factor);
  if (base.kind === 'upscaler') return { models: [], tiles: 0, make: async (_input, upscaled) => upscaled };
  if (base.kind === 'bicubic') return { models: [], tiles: 0, make: async (image, upscaled) => resampleImage(image, upscaled.width, upscaled.height, CATMULL_ROM) };
  const loaded = await loadTiledModel(dependencies, base.manifest, input, { tile }, context);
  const passes: Pass[] = [{ model: loaded.model, tile: loaded.tile, width: input.width, height: input.height }];
  return { models: [base.manifest.id], tiles: tilesOf(passes), make: (image, _upscaled, progress) => collectPasses(image, passes, progress) };
}
