/**
 * What `mend bench` measures and prints (`--json`), and the arithmetic that turns timings into the
 * table's columns and ratios. Kept free of I/O so the writers and tests can build documents by hand.
 */

/** The four ways an image gets upscaled, from the bare engine to the reference program. */
export const BENCH_PATHS = ['engine-limit', 'cli', 'server', 'reference'] as const;
export type BenchPath = (typeof BENCH_PATHS)[number];

export const PATH_TITLES: Record<BenchPath, string> = {
  'engine-limit': 'engine limit (one session.run, whole image)',
  cli: 'Mend CLI (whole process: decode → tiles → encode)',
  server: 'Mend server API (pixels in → pixels out, as the panel)',
  reference: 'realesrgan-ncnn-vulkan (Mesa software Vulkan)',
};

/** What one path did on one input size: every run's wall time, or why it was not run. */
export interface RawMeasurement {
  path: BenchPath;
  /** Side of the square input, in pixels. */
  size: number;
  runsMs: number[];
  peakRssBytes: number | null;
  /** Set when the path was skipped or failed on this size; `runsMs` is then empty. */
  notRun?: string;
}

export interface BenchRow extends RawMeasurement {
  megapixels: number;
  medianMs: number | null;
  megapixelsPerSecond: number | null;
  gflopsPerSecond: number | null;
}

export interface BenchRatios {
  size: number;
  /** Mend's CLI time over the engine limit: what tiling, decoding, encoding and process start cost. */
  cliOverEngineLimit: number | null;
  serverOverEngineLimit: number | null;
  /** The reference's time over Mend's CLI: how much faster Mend is. */
  referenceOverCli: number | null;
}

export interface TileSweepPoint {
  tile: number;
  medianMs: number;
  megapixelsPerSecond: number;
  peakRssBytes: number | null;
}

export interface TileSweep {
  provider: string;
  /** Side of the square input the sweep ran on. */
  size: number;
  points: TileSweepPoint[];
  /** The tile of the highest throughput. */
  best: number;
  /** See `recommendedTile`. */
  recommended: number;
  /** The tile the catalog uses for this provider now. */
  current: number;
}

/** Throughput that a smaller tile may give up for its smaller memory. */
export const TILE_SPEED_TOLERANCE = 0.1;

/**
 * The tile the catalog should use: the smallest within `TILE_SPEED_TOLERANCE` of the fastest, because
 * memory grows with the tile's area while throughput levels off.
 */
export function recommendedTile(points: readonly TileSweepPoint[]): number {
  const fastest = Math.max(...points.map((p) => p.megapixelsPerSecond));
  const good = points.filter((p) => p.megapixelsPerSecond >= fastest * (1 - TILE_SPEED_TOLERANCE));
  return good.length ? Math.min(...good.map((p) => p.tile)) : 0;
}

export interface BenchTarget {
  name: string;
  goal: string;
  measured: string;
  /** null when the rows needed were not measured. */
  met: boolean | null;
}

export interface BenchDocument {
  model: string;
  scale: number;
  provider: string;
  /** The input side of a model converted for one fixed input (MAXIM); null for models that take any size. */
  fixedSide: number | null;
  quick: boolean;
  repeats: number;
  /** 2 × multiply-accumulates of one whole-image run, per input megapixel. */
  gflopPerMegapixel: number | null;
  machine: { platform: string; arch: string; cpus: number; cpuModel: string; memoryBytes: number; node: string };
  rows: BenchRow[];
  ratios: BenchRatios[];
  tileSweep: TileSweep[];
  targets: BenchTarget[];
  /** The table, charts and this document, once written. */
  files: string[];
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export const megapixelsOf = (size: number) => (size * size) / 1e6;

/**
 * Adds the derived columns. `gflop` is the model's work on the whole input image: throughput counts
 * useful work, not the context a path recomputes around its tiles.
 */
export function toRow(raw: RawMeasurement, gflop: number | null): BenchRow {
  const megapixels = megapixelsOf(raw.size);
  const medianMs = median(raw.runsMs);
  const seconds = medianMs === null ? null : medianMs / 1000;
  return {
    ...raw,
    megapixels,
    medianMs,
    megapixelsPerSecond: seconds ? megapixels / seconds : null,
    gflopsPerSecond: seconds && gflop !== null ? gflop / seconds : null,
  };
}

function ratio(numerator: BenchRow | undefined, denominator: BenchRow | undefined): number | null {
  if (!numerator?.medianMs || !denominator?.medianMs) return null;
  return numerator.medianMs / denominator.medianMs;
}

export function ratiosOf(rows: readonly BenchRow[]): BenchRatios[] {
  const sizes = [...new Set(rows.map((r) => r.size))].sort((a, b) => a - b);
  const find = (path: BenchPath, size: number) => rows.find((r) => r.path === path && r.size === size);
  return sizes.map((size) => ({
    size,
    cliOverEngineLimit: ratio(find('cli', size), find('engine-limit', size)),
    serverOverEngineLimit: ratio(find('server', size), find('engine-limit', size)),
    referenceOverCli: ratio(find('reference', size), find('cli', size)),
  }));
}

const times = (value: number) => `${value.toFixed(2)}×`;

/** The paths whose memory must stay flat: Mend's own, as a user runs it. */
const MEMORY_PATHS: ReadonlyArray<{ path: BenchPath; name: string }> = [
  { path: 'cli', name: 'CLI' },
  { path: 'server', name: 'server' },
];

/** The three targets, judged on the rows that were measured. */
export function targetsOf(rows: readonly BenchRow[], ratios: readonly BenchRatios[]): BenchTarget[] {
  const speedups = ratios.filter((r) => r.referenceOverCli !== null).map((r) => ({ size: r.size, value: r.referenceOverCli as number }));
  const at512 = ratios.find((r) => r.size === 512)?.cliOverEngineLimit ?? null;
  const peak = (path: BenchPath, size: number) => rows.find((r) => r.path === path && r.size === size)?.peakRssBytes ?? null;
  const growths = MEMORY_PATHS.flatMap(({ path, name }) => {
    const [from, to] = [peak(path, 1024), peak(path, 2048)];
    return from && to ? [{ name, from, to, growth: to / from }] : [];
  });
  return [
    {
      name: 'speed-up over the reference engine',
      goal: 'Mend CLI ≥ 10× faster than realesrgan-ncnn-vulkan, same weights',
      measured: speedups.length ? speedups.map((s) => `${times(s.value)} at ${s.size}²`).join(', ') : 'not measured',
      met: speedups.length ? speedups.every((s) => s.value >= 10) : null,
    },
    {
      name: 'overhead over the engine limit',
      goal: 'Mend CLI, whole process, ≤ 1.3× one session.run at 512²',
      measured: at512 === null ? 'not measured' : times(at512),
      met: at512 === null ? null : at512 <= 1.3,
    },
    {
      name: 'bounded memory',
      goal: 'peak RSS of the CLI and of the server API within 20 % from 1024² to 2048²',
      measured: growths.length ? growths.map((g) => `${g.name} ${times(g.growth)} (${formatBytes(g.from)} → ${formatBytes(g.to)})`).join(', ') : 'not measured',
      met: growths.length ? growths.every((g) => g.growth <= 1.2) : null,
    },
  ];
}

export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '–';
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${Math.round(bytes / 1e6)} MB`;
}
