import path from 'node:path';
import { Catalog, type ModelStatus } from './catalog/catalog';
import type { VariantBuilders } from './catalog/variants';
import { MendError } from './errors';
import { IS_RELEASE, PACKAGE_ROOT } from './package-info';
import { configDir } from './config/config-dir';
import { cachedWebGpuProbe, probeKey } from './config/webgpu-probe-cache';
import { Engine, ONNXRUNTIME_VERSION } from './engine/engine';
import { runWebGpuProbe, type WebGpuProbe } from './engine/webgpu-probe';
import { chooseFaceRestorer, loadFaceAnalysis } from './faces/face-tools';
import type { FaceAnalysis } from './faces/restore-photo-faces';
import { collectingOutput, createTaskRunner, createTaskStreamer } from './tasks/runner';
import type { FaceTools, TaskDependencies, TaskRunner, TaskStreamer } from './tasks/types';

export interface EngineInfo {
  /** Execution provider in use: 'cpu', 'webgpu', 'dml', 'coreml' or 'cuda'. */
  provider: string;
  /** Why a GPU provider was not used, when the CPU is in use. */
  fallbackReason?: string;
  /** Providers this onnxruntime build offers on this platform. */
  available: string[];
  /** What the WebGPU probe found (the adapter's name where the platform reports it); absent without WebGPU. */
  webgpu?: WebGpuProbe;
}

/** Everything the CLI and the server need, wired once per process. */
export interface MendApp {
  /** Runs a job; its output image goes to the sink band by band (see `TaskStreamer`). */
  streamTask: TaskStreamer;
  /** Runs a job and answers its output image whole. */
  runTask: TaskRunner;
  listModels(): Promise<ModelStatus[]>;
  /**
   * The scale of the upscaler an upscale job will run: the named model's, else the catalog's default for
   * `scale` (as the runner picks it); undefined for a model the catalog lacks (such a job fails with the
   * catalog's message when it runs). Reads manifests only, no model file.
   */
  upscalerScale(model: string | undefined, scale: number | undefined): number | undefined;
  engineInfo(): Promise<EngineInfo>;
  close(): Promise<void>;
}

export interface AppOptions {
  /** Forces one execution provider (`--provider` / MEND_PROVIDER). */
  provider?: string;
  /** The user's config folder; user models live in its `models` folder. */
  configDir?: string;
  log?: (message: string) => void;
}

/** Where shipped models are built: the checkout's models/.cache/onnx, or in a release the user's config folder (the archive's own folder may not be writable). */
export function modelCacheDir(): string {
  return process.env.MEND_MODEL_CACHE ?? (IS_RELEASE ? path.join(configDir(), 'cache', 'onnx') : path.join(PACKAGE_ROOT, 'models', '.cache', 'onnx'));
}

/** The shipped catalog plus the user's own models (in `<configDir>/models`). */
export function openCatalog(configDir: string | undefined, log?: (message: string) => void): Promise<Catalog> {
  return Catalog.open({
    manifestDirs: [path.join(PACKAGE_ROOT, 'models', 'manifests')],
    cacheDir: modelCacheDir(),
    userDir: configDir ? path.join(configDir, 'models') : undefined,
    log,
  });
}

/**
 * The face jobs' models: loaded on the first face job and kept (a failed load is tried again by the next
 * job); the general detail chain runs through the same pipelines as every other job.
 */
function faceTools(catalog: Catalog, engine: Engine, log: (message: string) => void): FaceTools {
  let analysis: Promise<FaceAnalysis> | undefined;
  const runTask = createTaskRunner({ catalog, engine });
  return {
    analysis(signal) {
      analysis ??= loadFaceAnalysis(engine, modelCacheDir(), signal, log);
      analysis.catch(() => {
        analysis = undefined;
      });
      return analysis;
    },
    restorer: (model, context) => chooseFaceRestorer(catalog, engine, model, runTask, context),
    provider: () => engine.status()?.provider ?? 'cpu',
  };
}

/** The shipped photos int8 variants are calibrated on: bright skies, snow and white walls among them. */
export const CALIBRATION_IMAGES_DIR = path.join(PACKAGE_ROOT, 'tests', 'fixtures', 'images');

/**
 * How the variants of other precisions than fp32 are made, loaded with the first variant a job needs; a
 * precision without a builder is refused, saying so.
 */
export async function variantBuilders(): Promise<VariantBuilders> {
  const [{ int8Builder }, { openActivationSession }, { toFloat16 }, { readdir }] = await Promise.all([
    import('./catalog/int8-variant'),
    import('./engine/activation-session'),
    import('./convert/onnx/to-float16'),
    import('node:fs/promises'),
  ]);
  const images = (await readdir(CALIBRATION_IMAGES_DIR)).filter((name) => /\.(png|jpe?g)$/i.test(name)).map((name) => path.join(CALIBRATION_IMAGES_DIR, name));
  return { int8: int8Builder({ images, open: openActivationSession }), fp16: { version: 'to-float16 1', build: async (fp32) => toFloat16(fp32) } };
}

export async function createApp(options: AppOptions): Promise<MendApp> {
  const log = options.log ?? (() => undefined);
  const catalog = await openCatalog(options.configDir, log);
  // Probed once per onnxruntime release, platform and Vulkan driver list, in a child process: see `runWebGpuProbe`.
  const webgpuProbe = () => cachedWebGpuProbe(options.configDir, probeKey(ONNXRUNTIME_VERSION), () => runWebGpuProbe());
  const engine = new Engine({ provider: options.provider ?? process.env.MEND_PROVIDER, log, webgpuProbe });
  // The converters load only when a job first needs a model built: `mend upscale` would otherwise pay for them at start.
  const prepareModel: TaskDependencies['prepareModel'] = async (manifest, context) => (await import('./catalog/prepare')).prepareModel(catalog, manifest, context);
  const variantPath: TaskDependencies['variantPath'] = async (manifest, file, precision, context) =>
    (await import('./catalog/variants')).readyVariant(catalog, manifest, file, precision, await variantBuilders(), context);
  const faces = faceTools(catalog, engine, log);
  const streamTask = createTaskStreamer({ catalog, engine, prepareModel, variantPath, faces });
  return {
    streamTask,
    runTask: collectingOutput(streamTask),
    listModels: () => catalog.statuses(),
    upscalerScale(model, scale) {
      try {
        return (model ? catalog.get(model) : catalog.defaultFor('upscale', scale)).scale;
      } catch (error) {
        if (error instanceof MendError && error.code === 'model_missing') return undefined;
        throw error;
      }
    },
    async engineInfo() {
      // The probe model is built with protobufjs, loaded only here so that CLI runs start faster.
      const { PROBE_IO, probeModel } = await import('./engine/probe-model');
      const status = engine.status() ?? (await engine.load(probeModel(), PROBE_IO, 'mend:probe'), engine.status());
      if (!status) throw new Error('the engine chose no provider after loading a model');
      return { provider: status.provider, fallbackReason: status.fallbackReason, available: status.available, webgpu: await engine.webgpuAdapter() };
    },
    close: () => engine.close(),
  };
}
