import type { AppOptions, EngineInfo, MendApp } from '../../../native-helper/src/app';
import type { ModelStatus } from '../../../native-helper/src/catalog/catalog';
import type { CliIo } from '../../../native-helper/src/cli/cli-io';
import { throwIfCancelled } from '../../../native-helper/src/errors';
import { writeWhole } from '../../../native-helper/src/imaging/image-sink';
import { createImage, type PixelImage } from '../../../native-helper/src/imaging/pixel-image';
import type { TaskContext, TaskInput, TaskOutput } from '../../../native-helper/src/tasks/types';

export const FAKE_MODELS: ModelStatus[] = [
  { id: 'fake-x2', task: 'upscale', scale: 2, path: '/models/fake-x2.onnx', sha256: 'a'.repeat(64), status: 'ready', domain: 'photo', default: true },
  { id: 'fake-x4', task: 'upscale', scale: 4, path: '/models/fake-x4.onnx', sha256: 'b'.repeat(64), status: 'not-built', domain: 'photo', default: false },
  { id: 'fake-clean', task: 'restore', scale: 1, path: '/models/fake-clean.onnx', sha256: 'c'.repeat(64), status: 'ready', domain: 'photo', default: true },
  { id: 'fake-deblur', task: 'restore', scale: 1, path: '/models/fake-deblur-256.onnx', sha256: 'd'.repeat(64), status: 'available', domain: 'photo', default: false },
];

/** Nearest-neighbour enlargement: every output pixel is a copy of one input pixel, so results can be checked exactly. */
export function nearest(image: PixelImage, scale: number): PixelImage {
  const out = createImage(image.width * scale, image.height * scale, image.channels, image.bitDepth, image.maxValue);
  const c = image.channels;
  for (let y = 0; y < out.height; y++) {
    for (let x = 0; x < out.width; x++) {
      const from = (Math.floor(y / scale) * image.width + Math.floor(x / scale)) * c;
      out.data.set(image.data.subarray(from, from + c), (y * out.width + x) * c);
    }
  }
  return out;
}

/** Index of the first sample that differs (or the shorter length), -1 when equal: jest's deep equality is slow on millions of samples. */
export function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : Math.min(a.length, b.length);
}

const ROWS_OF_TILES = 4;

/** The fake's map of invented detail: the output's first channel, as 8-bit gray. */
function firstChannel(image: PixelImage): PixelImage {
  const map = createImage(image.width, image.height, 1, 8);
  for (let p = 0; p < map.data.length; p++) map.data[p] = Math.round((image.data[p * image.channels] * 255) / image.maxValue);
  return map;
}

/** The label the real compare task gives: the model, and the detail strength when the variants differ in it or it is not 1. */
function fakeLabel(model: string, detail: number | undefined, details: Array<number | undefined>): string {
  const differ = details.some((k) => (k ?? 1) !== (details[0] ?? 1));
  return differ || (detail ?? 1) !== 1 ? `${model} · detail ${detail ?? 1}` : model;
}

/**
 * The runner the real app would give, minus the model: reports progress per "row of tiles" and honours cancel between them.
 * An upscale's map of invented detail is its output's first channel; a compare job runs each variant in turn.
 */
export async function nearestTask(input: TaskInput, context: TaskContext): Promise<TaskOutput> {
  const options = input.options;
  if (options.task === 'find-defects' || options.task === 'inpaint' || options.task === 'find-faces' || options.task === 'restore-faces')
    throw new Error(`fake app does not ${options.task}`);
  if (options.task === 'compare') {
    const details = options.variants.map((v) => (v.task === 'upscale' ? v.detail : undefined));
    const outputs: TaskOutput[] = [];
    for (const variant of options.variants) outputs.push(await nearestTask({ options: variant, image: input.image }, context));
    const described = outputs.map((out, i) => ({ kind: 'variant' as const, label: fakeLabel(out.models[0], details[i], details), models: out.models, image: out.image }));
    const { image: _main, ...main } = described[0];
    return { ...outputs[0], models: outputs.flatMap((o) => o.models), main, extraOutputs: described.slice(1) };
  }
  const model = options.model ?? (options.task === 'restore' ? 'fake-clean' : 'fake-x2');
  const manifest = FAKE_MODELS.find((m) => m.id === model);
  if (!manifest) throw new Error(`fake app has no model ${model}`);
  const scale = options.task === 'upscale' ? (options.scale ?? manifest.scale) : 1;
  for (let done = 0; done < ROWS_OF_TILES; done++) {
    throwIfCancelled(context.signal);
    context.onProgress({ done, total: ROWS_OF_TILES, stage: options.task });
    await new Promise((resolve) => setImmediate(resolve));
  }
  throwIfCancelled(context.signal);
  const image = nearest(input.image, scale);
  const map =
    options.task === 'upscale' && options.inventedDetailMap
      ? [{ kind: 'invented-detail' as const, label: 'Invented detail', models: [model], image: firstChannel(image) }]
      : undefined;
  return { image, models: [model], provider: 'fake-gpu', tiles: ROWS_OF_TILES, width: image.width, height: image.height, extraOutputs: map };
}

export interface FakeApp extends MendApp {
  options: AppOptions[];
  runs: TaskInput[];
  closed: number;
}

export function fakeApp(runTask: MendApp['runTask'] = nearestTask, engine: EngineInfo = { provider: 'fake-gpu', available: ['fake-gpu', 'cpu'] }): FakeApp {
  const app: FakeApp = {
    options: [],
    runs: [],
    closed: 0,
    runTask: (input, context) => {
      app.runs.push(input);
      return runTask(input, context);
    },
    streamTask: async (input, sink, context) => {
      const { image, ...result } = await app.runTask(input, context);
      await writeWhole(sink, image);
      return result;
    },
    listModels: async () => FAKE_MODELS,
    upscalerScale: (model) => FAKE_MODELS.find((m) => m.task === 'upscale' && (model ? m.id === model : m.default))?.scale,
    engineInfo: async () => engine,
    close: async () => {
      app.closed++;
    },
  };
  return app;
}

export interface RecordingIo extends CliIo {
  out: string[];
  err: string[];
  /** Simulates Ctrl+C: calls the handler the command registered, if any. */
  interrupt(): void;
  interruptible(): boolean;
}

export function recordingIo(app: FakeApp, env: NodeJS.ProcessEnv = {}, tty = false): RecordingIo {
  const handlers = new Set<() => void>();
  const io: RecordingIo = {
    out: [],
    err: [],
    stdout: { write: (s: string) => io.out.push(s) },
    stderr: { write: (s: string) => io.err.push(s), isTTY: tty, columns: 100 },
    env,
    createApp: async (options) => {
      app.options.push(options);
      return app;
    },
    onInterrupt(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    interrupt: () => handlers.forEach((handler) => handler()),
    interruptible: () => handlers.size > 0,
  };
  return io;
}
