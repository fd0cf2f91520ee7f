import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { MendError, messageOf } from '../errors';
import { CpuWorkerPool, cpuWorkerLayout } from './cpu-worker-pool';
import { ORT_LOG_ERRORS_ONLY } from './ort-log-level';
import type { GraphEngine, GraphIo, GraphSession, InferenceEngine, ModelSession, NamedTensor, SessionIo } from './inference-engine';
import { tileOutput, type TileOutput, type TileSession } from './tile-session';
import { parseProviderName, PROVIDERS, providerOrder, type ProviderName } from './providers';
import { sentenceOf, type WebGpuProbe } from './webgpu-probe';

/** The onnxruntime-node release in use: a cached WebGPU probe holds for it alone. */
export const ONNXRUNTIME_VERSION: string = require('onnxruntime-node/package.json').version;

/** Opens an onnxruntime session of a model on one execution provider. */
export type SessionOpener = (model: string | Uint8Array, provider: ProviderName) => Promise<ort.InferenceSession>;

export const openOrtSession: SessionOpener = (model, provider) => {
  const options: ort.InferenceSession.SessionOptions = { executionProviders: [provider], graphOptimizationLevel: 'all', logSeverityLevel: ORT_LOG_ERRORS_ONLY };
  return typeof model === 'string' ? ort.InferenceSession.create(model, options) : ort.InferenceSession.create(model, options);
};

export interface EngineOptions {
  /** Forces one provider; without it GPU providers are tried first and the CPU is the fallback. */
  provider?: string;
  log?: (message: string) => void;
  /** How sessions are opened; tests give one whose GPU providers fail, to run the fallback to the CPU. */
  openSession?: SessionOpener;
  /**
   * What the (cached) WebGPU probe found: asked once, before WebGPU would be tried unforced, which it is
   * only where the probe found an adapter that is not a CPU implementation. Without it, WebGPU is tried
   * in this process as any provider is.
   */
  webgpuProbe?: () => Promise<WebGpuProbe>;
}

/** One input or output of a model: its element type ("float32", "uint8", …) and shape (numbers, or names of free dimensions). */
export interface TensorSignature {
  name: string;
  type: string;
  shape: Array<number | string>;
}

export interface ModelSignature {
  inputs: TensorSignature[];
  outputs: TensorSignature[];
}

export interface ProviderStatus {
  provider: ProviderName;
  fallbackReason?: string;
  available: ProviderName[];
}

/** Bundled providers, plus CUDA where its libraries were installed next to onnxruntime's. */
function availableProviders(): ProviderName[] {
  const binaryDir = path.dirname(require.resolve('onnxruntime-node/package.json'));
  const cudaLibrary = path.join(binaryDir, 'bin', 'napi-v6', process.platform, process.arch, 'libonnxruntime_providers_cuda.so');
  const listed = ort
    .listSupportedBackends()
    .filter((b) => b.bundled || (b.name === 'cuda' && existsSync(cudaLibrary)))
    .map((b) => b.name);
  return PROVIDERS.filter((p) => listed.includes(p));
}

function reason(error: unknown): string {
  return sentenceOf(messageOf(error));
}

/**
 * The only owner of onnxruntime: picks an execution provider, loads sessions lazily and keeps them.
 * A GPU provider that cannot create a session hands over to the CPU with the reason logged.
 */
export class Engine implements InferenceEngine, GraphEngine {
  private readonly sessions = new Map<string, Promise<ModelSession>>();
  private readonly graphs = new Map<string, Promise<GraphSession & { release(): Promise<void> }>>();
  private readonly pools = new Map<string, Promise<CpuWorkerPool>>();
  private readonly forced?: ProviderName;
  private readonly log: (message: string) => void;
  private readonly openSession: SessionOpener;
  private readonly available = availableProviders();
  private readonly fallbackReasons: string[] = [];
  private readonly probeWebGpu?: () => Promise<WebGpuProbe>;
  private webgpuProbe?: Promise<WebGpuProbe>;
  private chosen?: ProviderName;

  constructor(options: EngineOptions = {}) {
    this.log = options.log ?? (() => undefined);
    this.openSession = options.openSession ?? openOrtSession;
    this.forced = options.provider === undefined ? undefined : parseProviderName(options.provider);
    this.probeWebGpu = options.webgpuProbe;
  }

  /** The WebGPU probe's answer (asked once per engine); undefined for an engine without a probe or a build without WebGPU. */
  webgpuAdapter(): Promise<WebGpuProbe | undefined> {
    if (!this.probeWebGpu || !this.available.includes('webgpu')) return Promise.resolve(undefined);
    this.webgpuProbe ??= this.probeWebGpu();
    return this.webgpuProbe;
  }

  /** Loads (once) the ONNX model at `source` (a file path, or the model's bytes named by `key`); later calls share the session. */
  load(source: string | Uint8Array, io: SessionIo, key = typeof source === 'string' ? source : ''): Promise<ModelSession> {
    if (!key) throw new Error('a model given as bytes needs a key');
    const cacheKey = [key, io.input, io.output, ...(io.extraInputs ?? [])].join('\u0000');
    let session = this.sessions.get(cacheKey);
    if (!session) {
      session = this.create(source, key, io);
      this.sessions.set(cacheKey, session);
      session.catch(() => this.sessions.delete(cacheKey));
    }
    return session;
  }

  /** Loads (once) a model of named inputs and outputs; later calls share the session. */
  loadGraph(file: string, io: GraphIo): Promise<GraphSession> {
    const cacheKey = [file, ...io.inputs, '\u0001', ...io.outputs].join('\u0000');
    let session = this.graphs.get(cacheKey);
    if (!session) {
      session = this.open(file, file, io.inputs, io.outputs).then(({ session: opened, provider }) => {
        const graph = new OrtGraphSession(opened, io);
        if (provider === 'cpu' || this.forced) return graph;
        return new GpuGraphSession(graph, (error) =>
          this.continueOnCpu(provider, error, async () => new OrtGraphSession((await this.openOnCpu(file, file, io.inputs, io.outputs)).session, io)),
        );
      });
      this.graphs.set(cacheKey, session);
      session.catch(() => this.graphs.delete(cacheKey));
    }
    return session;
  }

  /**
   * Loads (once) a model file for work of `tiles` tiles: on the CPU (chosen or forced), two tiles or more run
   * side by side on sessions in worker threads, and a single tile on one worker with every core. Opening a
   * session blocks its thread (MAXIM's 13,800 nodes: 7–9 s), which must not be the thread that answers the
   * panel. Elsewhere as `load` does.
   */
  async loadForTiles(file: string, io: SessionIo, tiles: number): Promise<TileSession> {
    const sideBySide = cpuWorkerLayout();
    const workersPay = tiles >= 2 && sideBySide.workers > 1;
    if ((this.forced ?? this.chosen) !== 'cpu') {
      const session = await this.load(file, io);
      if (session.provider !== 'cpu' || !workersPay) return session;
    }
    const layout = workersPay ? sideBySide : { workers: 1, threads: os.availableParallelism() };
    const key = [file, io.input, io.output, layout.workers].join('\u0000');
    let pool = this.pools.get(key);
    if (!pool) {
      pool = CpuWorkerPool.start(file, io, layout);
      this.pools.set(key, pool);
      pool.catch(() => this.pools.delete(key));
    }
    this.chosen ??= 'cpu';
    return pool;
  }

  /**
   * fp16 variants only on a GPU provider (the one models run on, found by loading the probe model when none
   * was loaded yet), and on WebGPU only where the probe ran an fp16 model: onnxruntime places fp16 nodes on
   * WebGPU whatever the adapter, and one without `shader-f16` (SwiftShader) fails at the first run.
   */
  async halfPrecision(): Promise<{ supported: boolean; reason?: string }> {
    let provider = this.forced ?? this.chosen;
    if (!provider) {
      const { PROBE_IO, probeModel } = await import('./probe-model');
      provider = (await this.load(probeModel(), PROBE_IO, 'mend:probe')).provider;
    }
    if (provider === 'cpu') return { supported: false, reason: 'fp16 runs on GPU providers only, and this helper runs models on the CPU' };
    if (provider === 'webgpu' && (await this.webgpuAdapter())?.shaderF16 === false) {
      return { supported: false, reason: "fp16 needs WebGPU's shader-f16, which this adapter lacks" };
    }
    return { supported: true };
  }

  /** The inputs and outputs of a model (names, element types, shapes), read without keeping a session. */
  async inspect(model: Uint8Array): Promise<ModelSignature> {
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(model, { executionProviders: ['cpu'], logSeverityLevel: ORT_LOG_ERRORS_ONLY });
    } catch (error) {
      throw new MendError('model_invalid', `not a model onnxruntime can load: ${reason(error)}`, { cause: error });
    }
    const describe = (values: readonly ort.InferenceSession.ValueMetadata[]): TensorSignature[] =>
      values.map((v) => (v.isTensor ? { name: v.name, type: v.type, shape: [...v.shape] } : { name: v.name, type: 'not a tensor', shape: [] }));
    const signature = { inputs: describe(session.inputMetadata), outputs: describe(session.outputMetadata) };
    await session.release();
    return signature;
  }

  /** Which provider serves models; undefined until a model was loaded. */
  status(): ProviderStatus | undefined {
    if (!this.chosen) return undefined;
    return {
      provider: this.chosen,
      fallbackReason: this.fallbackReasons.length ? this.fallbackReasons.join('; ') : undefined,
      available: this.available,
    };
  }

  async close(): Promise<void> {
    const sessions: Array<Promise<{ release(): Promise<void> }>> = [...this.sessions.values(), ...this.pools.values(), ...this.graphs.values()];
    this.sessions.clear();
    this.pools.clear();
    this.graphs.clear();
    await Promise.allSettled(sessions.map(async (s) => (await s).release()));
  }

  private async create(source: string | Uint8Array, path: string, io: SessionIo): Promise<ModelSession> {
    const inputs = [io.input, ...(io.extraInputs ?? [])];
    const { session, provider } = await this.open(source, path, inputs, [io.output]);
    const opened = new OrtModelSession(session, provider, io);
    if (provider === 'cpu' || this.forced) return opened;
    return new GpuModelSession(opened, (error) =>
      this.continueOnCpu(provider, error, async () => new OrtModelSession((await this.openOnCpu(source, path, inputs, [io.output])).session, 'cpu', io)),
    );
  }

  /**
   * A run on a GPU provider failed (the device was lost, or the adapter cannot run a kernel, e.g. SwiftShader's
   * 12 storage buffers per shader against a 12-way Split): the engine settles on the CPU for the models it
   * loads from now on, says why in its status and log, and the failed model continues on a CPU session.
   */
  private continueOnCpu<S>(provider: ProviderName, error: unknown, openCpu: () => Promise<S>): Promise<S> {
    const why = `${provider} failed during a run: ${reason(error)}`;
    if (!this.fallbackReasons.includes(why)) this.fallbackReasons.push(why);
    this.log(`${why}; continuing on the CPU`);
    this.chosen = 'cpu';
    return openCpu();
  }

  private openOnCpu(source: string | Uint8Array, path: string, inputs: readonly string[], outputs: readonly string[]) {
    return this.open(source, path, inputs, outputs, ['cpu']);
  }

  /** Opens a session on the first provider of the order that can, checked to have the named inputs and outputs. */
  private async open(
    source: string | Uint8Array,
    path: string,
    inputs: readonly string[],
    outputs: readonly string[],
    only?: ProviderName[],
  ): Promise<{ session: ort.InferenceSession; provider: ProviderName }> {
    const order =
      only ?? providerOrder({ forced: this.forced, platform: process.platform, available: this.available, settled: this.chosen, unusable: await this.unusableProviders() });
    for (const [index, provider] of order.entries()) {
      try {
        const session = await this.openSession(source, provider);
        if (!inputs.every((name) => session.inputNames.includes(name)) || !outputs.every((name) => session.outputNames.includes(name))) {
          await session.release();
          throw new MendError(
            'model_invalid',
            `${path}: the model's inputs are [${session.inputNames.join(', ')}] and outputs [${session.outputNames.join(', ')}], but its manifest names [${inputs.join(', ')}] → [${outputs.join(', ')}]`,
          );
        }
        if (this.chosen === undefined) this.chosen = provider;
        return { session, provider };
      } catch (error) {
        if (error instanceof MendError) throw error;
        if (index === order.length - 1) {
          throw new MendError('model_invalid', `could not load ${path} with the ${provider} provider: ${reason(error)}`, { cause: error });
        }
        const why = `${provider} unavailable: ${reason(error)}`;
        this.fallbackReasons.push(why);
        this.log(`${why}; trying the next provider`);
      }
    }
    throw new MendError('runtime', `no execution provider could load ${path}`);
  }

  /** WebGPU, where the probe found no adapter or a CPU one: the reason goes into the status once. */
  private async unusableProviders(): Promise<ProviderName[]> {
    if (this.forced || this.chosen) return [];
    const probe = await this.webgpuAdapter();
    if (!probe || probe.usable) return [];
    const why = `webgpu not tried: ${probe.reason ?? 'the probe found it unusable'}`;
    if (!this.fallbackReasons.includes(why)) this.fallbackReasons.push(why);
    return ['webgpu'];
  }
}

/**
 * Runs on a GPU session until a run fails, then on the CPU session the engine opens in its place, for this
 * run and every later one: a device lost mid-job costs the job its speed, not its result.
 */
class GpuThenCpu<S extends { release(): Promise<void> }> {
  private cpu?: Promise<S>;

  constructor(
    private readonly gpu: S,
    private readonly onFailure: (error: unknown) => Promise<S>,
  ) {}

  get onCpu(): boolean {
    return this.cpu !== undefined;
  }

  async run<T>(work: (session: S) => Promise<T>): Promise<T> {
    if (!this.cpu) {
      try {
        return await work(this.gpu);
      } catch (error) {
        // Opened once, for the first failure (runs side by side may fail together); the GPU session is let go.
        if (!this.cpu) {
          this.cpu = this.onFailure(error);
          void this.gpu.release().catch(() => undefined);
        }
      }
    }
    return work(await this.cpu);
  }

  async release(): Promise<void> {
    await (this.cpu ? this.cpu.then((s) => s.release()) : this.gpu.release());
  }
}

/** A model session on a GPU provider that continues on the CPU after a failed run (`GpuThenCpu`). */
class GpuModelSession implements ModelSession {
  private readonly sessions: GpuThenCpu<ModelSession>;

  constructor(
    private readonly gpu: ModelSession,
    onFailure: (error: unknown) => Promise<ModelSession>,
  ) {
    this.sessions = new GpuThenCpu(gpu, onFailure);
  }

  readonly parallelRuns = 1;

  get provider(): ProviderName {
    return this.sessions.onCpu ? 'cpu' : this.gpu.provider;
  }

  run(input: Float32Array, height: number, width: number): Promise<TileOutput> {
    return this.sessions.run((s) => s.run(input, height, width));
  }

  runNamed(inputs: Record<string, NamedTensor>): Promise<NamedTensor> {
    return this.sessions.run((s) => s.runNamed(inputs));
  }

  release(): Promise<void> {
    return this.sessions.release();
  }
}

/** `GpuModelSession` for models of named inputs and outputs. */
class GpuGraphSession implements GraphSession {
  private readonly sessions: GpuThenCpu<OrtGraphSession>;

  constructor(gpu: OrtGraphSession, onFailure: (error: unknown) => Promise<OrtGraphSession>) {
    this.sessions = new GpuThenCpu(gpu, onFailure);
  }

  run(inputs: Record<string, NamedTensor>): Promise<Record<string, NamedTensor>> {
    return this.sessions.run((s) => s.run(inputs));
  }

  release(): Promise<void> {
    return this.sessions.release();
  }
}

class OrtModelSession implements ModelSession {
  constructor(
    private readonly session: ort.InferenceSession,
    readonly provider: ProviderName,
    private readonly io: SessionIo,
  ) {}

  readonly parallelRuns = 1;

  async run(input: Float32Array, height: number, width: number): Promise<TileOutput> {
    const tensor = new ort.Tensor('float32', input, [1, 3, height, width]);
    const out = (await this.session.run({ [this.io.input]: tensor }, [this.io.output]))[this.io.output];
    tensor.dispose();
    return tileOutput(out.type, out.dims, out.data);
  }

  async runNamed(inputs: Record<string, NamedTensor>): Promise<NamedTensor> {
    const feeds: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(inputs))
      feeds[name] =
        t.type === 'float32'
          ? new ort.Tensor('float32', t.data, [...t.dims])
          : t.type === 'float64'
            ? new ort.Tensor('float64', t.data, [...t.dims])
            : new ort.Tensor('uint8', t.data, [...t.dims]);
    const result = await this.session.run(feeds, [this.io.output]);
    Object.values(feeds).forEach((t) => t.dispose());
    return namedTensor(result[this.io.output]);
  }

  release(): Promise<void> {
    return this.session.release();
  }
}

class OrtGraphSession implements GraphSession {
  constructor(
    private readonly session: ort.InferenceSession,
    private readonly io: GraphIo,
  ) {}

  async run(inputs: Record<string, NamedTensor>): Promise<Record<string, NamedTensor>> {
    const feeds: Record<string, ort.Tensor> = {};
    for (const name of this.io.inputs) {
      const t = inputs[name];
      if (!t) throw new Error(`the model's input ${name} was not given`);
      feeds[name] = t.type === 'float32' ? new ort.Tensor('float32', t.data, [...t.dims]) : new ort.Tensor('uint8', t.data, [...t.dims]);
    }
    const result = await this.session.run(feeds, [...this.io.outputs]);
    Object.values(feeds).forEach((t) => t.dispose());
    const outputs: Record<string, NamedTensor> = {};
    for (const name of this.io.outputs) outputs[name] = namedTensor(result[name]);
    return outputs;
  }

  release(): Promise<void> {
    return this.session.release();
  }
}

function namedTensor(out: ort.Tensor): NamedTensor {
  if (out.type === 'float32') return { type: 'float32', data: out.data as Float32Array, dims: out.dims };
  if (out.type === 'uint8') return { type: 'uint8', data: out.data as Uint8Array, dims: out.dims };
  throw new MendError('model_invalid', `the model answered a ${out.type} tensor; Mend reads float32 or uint8 outputs`);
}
