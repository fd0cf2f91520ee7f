import type { BenchContext, BenchImage } from './bench-context';
import { megapixelsOf, median, recommendedTile, type TileSweep, type TileSweepPoint } from './bench-document';
import { measureCli } from './measure-cli';

/** Tile sides tried: from many small tiles (more context re-read) to one tile per image. */
export const SWEEP_TILES = [128, 192, 256, 384, 512, 768, 1024] as const;

/**
 * Throughput of the CLI against `--tile` for the provider in use, on one input, next to the catalog's
 * `tiling.tile` (CPU) or `maxTile` (GPU providers).
 */
export async function sweepTiles(context: BenchContext, image: BenchImage): Promise<TileSweep> {
  const tiles = SWEEP_TILES.filter((t) => t <= image.size);
  const points: TileSweepPoint[] = [];
  for (const tile of tiles) {
    const row = await measureCli(context, image, tile);
    const ms = median(row.runsMs);
    if (ms === null) {
      context.log(`tile ${tile}: ${row.notRun ?? 'no runs'}`);
      continue;
    }
    context.log(`tile ${tile}: ${(ms / 1000).toFixed(2)} s`);
    points.push({ tile, medianMs: ms, megapixelsPerSecond: megapixelsOf(image.size) / (ms / 1000), peakRssBytes: row.peakRssBytes });
  }
  const best = points.reduce((a, b) => (b.megapixelsPerSecond > a.megapixelsPerSecond ? b : a), points[0])?.tile ?? 0;
  const { tiling } = context.manifest;
  return { provider: context.provider, size: image.size, points, best, recommended: recommendedTile(points), current: context.provider === 'cpu' ? tiling.tile : tiling.maxTile };
}
