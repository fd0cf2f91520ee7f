import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { createApp, openCatalog } from '../app';
import type { CliIo } from './cli-io';
import { EXIT } from './exit-codes';
import { benchChartSvg } from '../bench/bench-chart';
import { BENCH_SIZES, DEFAULT_BENCH_MODEL } from '../bench/bench-defaults';
import { benchTaskOf, type BenchContext, type BenchImage } from '../bench/bench-context';
import { ratiosOf, targetsOf, toRow, type BenchDocument, type RawMeasurement, type TileSweep } from '../bench/bench-document';
import { writeBenchImages } from '../bench/bench-images';
import { benchMarkdown } from '../bench/bench-table';
import { measureCli } from '../bench/measure-cli';
import { measureEngineLimit } from '../bench/measure-engine-limit';
import { measureReference, referenceEngineFor } from '../bench/measure-reference';
import { measureServer } from '../bench/measure-server';
import { countModelFlops } from '../bench/model-flops';
import { sweepTiles } from '../bench/tile-sweep';
import { measurePrecision, precisionMarkdown } from '../bench/measure-precision';
import type { Precision } from '../protocol';

const QUICK_SIZE = 128;
const DEFAULT_REPEATS = 3;
/** The reference is about 100× slower than Mend here: 512² takes minutes, 2048² would take an hour. */
const DEFAULT_REFERENCE_MAX_SIZE = 512;
/** Enough tiles to compare and small enough to sweep in a few minutes. */
const SWEEP_SIZE = 1024;
/** Several tiles of every shipped model's default tile, so the tiling is what a photo gets. */
const PRECISION_SIZE = 256;

export interface BenchFlags {
  quick?: boolean;
  json?: boolean;
  out: string;
  model?: string;
  sizes?: number[];
  repeats?: number;
  referenceMaxSize?: number;
  tileSweep?: boolean;
  provider?: string;
  /** Measure fp32 against this precision instead (see `precisionBench`). */
  precision?: Precision;
}

/**
 * Models converted for one input side tile every image at that side, so their engine limit and CLI run
 * only on whole tiles: a 12 MP photo is then timed from the second size (nine 256² tiles' worth with context).
 */
function defaultSizes(fixedSide: number | undefined): readonly number[] {
  return fixedSide === undefined ? BENCH_SIZES : [fixedSide, 2 * fixedSide];
}

/**
 * GFLOP of one run on an s×s image. A graph converted for one side is counted at that side and scaled by
 * area: the model's work per pixel is the same on every tile.
 */
async function gflopCounter(modelFile: string, fixedSide: number | undefined): Promise<(size: number) => number> {
  if (fixedSide === undefined) {
    const cache = new Map<number, number>();
    const model = await readFile(modelFile);
    return (size) => {
      if (!cache.has(size)) cache.set(size, countModelFlops(model, size, size, modelFile).flops / 1e9);
      return cache.get(size) as number;
    };
  }
  const perPixel = countModelFlops(await readFile(modelFile), fixedSide, fixedSide, modelFile).flops / 1e9 / fixedSide ** 2;
  return (size) => perPixel * size * size;
}

function machine(): BenchDocument['machine'] {
  const cpus = os.cpus();
  return { platform: process.platform, arch: process.arch, cpus: cpus.length, cpuModel: cpus[0]?.model.trim() ?? 'unknown CPU', memoryBytes: os.totalmem(), node: process.version };
}

function describe(raw: RawMeasurement): string {
  if (raw.notRun) return `not run (${raw.notRun})`;
  return `${raw.runsMs.map((ms) => (ms / 1000).toFixed(2)).join(', ')} s`;
}

/** The provider the engine picks here (or the one asked for); every child is then forced onto it, so all paths run on the same one. */
async function resolveProvider(requested: string | undefined): Promise<string> {
  const app = await createApp({ provider: requested });
  try {
    return (await app.engineInfo()).provider;
  } finally {
    await app.close();
  }
}

async function measureSize(context: BenchContext, image: BenchImage, referenceMaxSize: number): Promise<RawMeasurement[]> {
  const rows: RawMeasurement[] = [];
  const record = (raw: RawMeasurement) => {
    context.log(`${image.size}² ${raw.path}: ${describe(raw)}`);
    rows.push(raw);
  };
  record(await measureEngineLimit(context, image));
  record(await measureCli(context, image));
  record(await measureServer(context, image));
  const reference = referenceEngineFor(context.manifest);
  if ('unavailable' in reference) {
    record({ path: 'reference', size: image.size, runsMs: [], peakRssBytes: null, notRun: reference.unavailable });
  } else if (image.size > referenceMaxSize) {
    record({ path: 'reference', size: image.size, runsMs: [], peakRssBytes: null, notRun: `over the time budget (--reference-max-size ${referenceMaxSize})` });
  } else {
    // One run: at minutes per image, a median of several would not change the conclusion.
    record(await measureReference(context, image, reference, 1));
  }
  return rows;
}

async function writeOutputs(doc: BenchDocument, outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const file = (name: string) => path.join(outDir, name);
  const svg = benchChartSvg(doc);
  const files = [file('bench.md'), file('bench.svg'), file('bench.png'), file('bench.json')];
  doc.files = files;
  await writeFile(files[0], benchMarkdown(doc));
  await writeFile(files[1], svg);
  await sharp(Buffer.from(svg)).png().toFile(files[2]);
  await writeFile(files[3], `${JSON.stringify(doc, null, 2)}\n`);
  return files;
}

/**
 * `mend bench --precision int8`: fp32 and the other precision of each `--model` (comma-separated) timed in
 * turn in one process on the CPU provider, with the PSNR of its output against fp32's; the variant is
 * built by the first run when missing.
 */
async function precisionBench(flags: BenchFlags, precision: Precision, io: CliIo): Promise<number> {
  const catalog = await openCatalog(undefined);
  const manifests = (flags.model ?? DEFAULT_BENCH_MODEL).split(',').map((id) => catalog.get(id.trim()));
  const sizes = flags.sizes ?? [flags.quick ? QUICK_SIZE : PRECISION_SIZE];
  const repeats = flags.repeats ?? (flags.quick ? 1 : DEFAULT_REPEATS);
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'mend-bench-'));
  const app = await createApp({ provider: flags.provider ?? io.env.MEND_PROVIDER ?? 'cpu' });
  try {
    const images = await writeBenchImages(workDir, sizes);
    const rows = [];
    for (const manifest of manifests)
      for (const image of images) {
        io.stderr.write(`[bench] ${manifest.id} ${image.size}²: fp32 and ${precision}, ${repeats} pairs\n`);
        rows.push(await measurePrecision(app, benchTaskOf(manifest), manifest.id, image, precision, repeats));
      }
    io.stdout.write(flags.json ? `${JSON.stringify({ precision, repeats, machine: machine(), rows })}\n` : precisionMarkdown(rows));
    return EXIT.ok;
  } finally {
    await app.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * `mend bench`: the same images and weights through the bare engine, the CLI, the server API and
 * the reference program; writes a markdown table, a chart and the JSON document to `--out`.
 */
export async function benchCommand(flags: BenchFlags, io: CliIo): Promise<number> {
  if (flags.precision && flags.precision !== 'fp32') return precisionBench(flags, flags.precision, io);
  // Shipped models only: the children run with a config folder of their own, without the user's models.
  const catalog = await openCatalog(undefined);
  const manifest = catalog.get(flags.model ?? DEFAULT_BENCH_MODEL);
  benchTaskOf(manifest);
  const modelFile = await catalog.readyPath(manifest);
  const quick = flags.quick === true;
  const fixedSide = manifest.fixedSides?.side;
  const sizes = quick ? [fixedSide ?? QUICK_SIZE] : [...new Set(flags.sizes ?? defaultSizes(fixedSide))].sort((a, b) => a - b);
  const repeats = flags.repeats ?? (quick ? 1 : DEFAULT_REPEATS);
  const provider = await resolveProvider(flags.provider ?? io.env.MEND_PROVIDER);
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'mend-bench-'));
  const context: BenchContext = {
    manifest,
    modelFile,
    provider,
    repeats,
    workDir,
    configDir: path.join(workDir, 'config'),
    log: (line) => io.stderr.write(`[bench] ${line}\n`),
  };
  try {
    context.log(`${manifest.id} on ${context.provider}, sizes ${sizes.map((s) => `${s}²`).join(', ')}, median of ${repeats}`);
    const images = await writeBenchImages(workDir, sizes);
    const gflopOf = await gflopCounter(modelFile, fixedSide);
    const flopsOf = new Map(sizes.map((s) => [s, gflopOf(s)] as const));
    const raws: RawMeasurement[] = [];
    for (const image of images) raws.push(...(await measureSize(context, image, flags.referenceMaxSize ?? (quick ? QUICK_SIZE : DEFAULT_REFERENCE_MAX_SIZE))));
    const tileSweep: TileSweep[] = [];
    if (fixedSide !== undefined) context.log(`no tile sweep: ${manifest.id} runs at its fixed ${fixedSide}² input`);
    else if (!quick && flags.tileSweep !== false) {
      const sweepImage = images.find((i) => i.size === SWEEP_SIZE) ?? images[images.length - 1];
      context.log(`tile sweep on ${sweepImage.size}²`);
      tileSweep.push(await sweepTiles(context, sweepImage));
    }
    const rows = raws.map((raw) => toRow(raw, flopsOf.get(raw.size) ?? null));
    const ratios = ratiosOf(rows);
    const perMegapixel = gflopOf(1000);
    const doc: BenchDocument = {
      model: manifest.id,
      scale: manifest.scale,
      provider: context.provider,
      fixedSide: fixedSide ?? null,
      quick,
      repeats,
      gflopPerMegapixel: perMegapixel,
      machine: machine(),
      rows,
      ratios,
      tileSweep,
      targets: targetsOf(rows, ratios),
      files: [],
    };
    await writeOutputs(doc, path.resolve(flags.out));
    io.stdout.write(flags.json ? `${JSON.stringify(doc)}\n` : benchMarkdown(doc));
    if (!flags.json) io.stderr.write(`Written: ${doc.files.join(', ')}\n`);
    return rows.some((r) => r.notRun?.startsWith('failed')) ? EXIT.runtime : EXIT.ok;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
