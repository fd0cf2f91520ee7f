import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { GraphBuilder, attr } from '../../native-helper/src/convert/onnx';
import type { ModelManifest } from '../../native-helper/src/catalog/manifest';

/** Tiny ONNX models with known behaviour, made by our own builder, for engine and pipeline tests. */

/** Deterministic values in [-amplitude, amplitude] (a linear congruential sequence). */
export function seeded(count: number, seed: number, amplitude: number): Float32Array {
  const out = new Float32Array(count);
  let state = seed;
  for (let i = 0; i < count; i++) {
    state = (state * 1664525 + 1013904223) >>> 0;
    out[i] = (state / 2 ** 32 - 0.5) * 2 * amplitude;
  }
  return out;
}

function start(name: string): GraphBuilder {
  const g = new GraphBuilder(name);
  g.input('input', 'float32', [1, 3, 'H', 'W']);
  return g;
}

function finish(g: GraphBuilder, last: string): Uint8Array {
  g.node('Identity', [last], ['output']);
  g.output('output', 'float32', [1, 3, 'OH', 'OW']);
  return g.toModel();
}

export function identityModel(): Uint8Array {
  const g = start('identity');
  return finish(g, 'input');
}

/** k×k convolution 3→3 with seeded weights, zero padding, same size out. */
export function convModel(kernel: 3 | 5, seed = 7): Uint8Array {
  const g = start(`conv${kernel}`);
  return finish(g, conv(g, 'input', kernel, seed));
}

function conv(g: GraphBuilder, x: string, kernel: number, seed: number): string {
  const weights = seeded(3 * 3 * kernel * kernel, seed, 1 / (kernel * kernel));
  // Keep the centre tap dominant so outputs look like the input.
  for (let c = 0; c < 3; c++) weights[(c * 3 + c) * kernel * kernel + Math.floor((kernel * kernel) / 2)] += 0.6;
  const w = g.initializer('w', weights, [3, 3, kernel, kernel]);
  const b = g.initializer('b', seeded(3, seed + 1, 0.05), [3]);
  const pad = (kernel - 1) / 2;
  return g.op('Conv', [x, w, b], { kernel_shape: attr.ints([kernel, kernel]), pads: attr.ints([pad, pad, pad, pad]) });
}

function nearest(g: GraphBuilder, x: string, scale: number): string {
  return g.nearestUpscale(x, scale, scale);
}

export function nearestUpscaleModel(scale: number): Uint8Array {
  const g = start(`nearest-x${scale}`);
  return finish(g, nearest(g, 'input', scale));
}

/** 1×1 convolution to 3·s² channels (each output sub-pixel a known mix), then DepthToSpace ×s. */
export function pixelShuffleModel(scale: number, seed = 3): Uint8Array {
  const g = start(`pixel-shuffle-x${scale}`);
  const channels = 3 * scale * scale;
  const weights = seeded(channels * 3, seed, 0.2);
  for (let o = 0; o < channels; o++) weights[o * 3 + Math.floor(o / (scale * scale))] += 0.8;
  const w = g.initializer('w', weights, [channels, 3, 1, 1]);
  const expanded = g.op('Conv', ['input', w], { kernel_shape: attr.ints([1, 1]) });
  return finish(g, g.op('DepthToSpace', [expanded], { blocksize: attr.int(scale), mode: attr.string('CRD') }));
}

/** 5×5 convolution then nearest ×scale: a receptive field and a scale at once. */
export function convUpscaleModel(scale: number): Uint8Array {
  const g = start(`conv5-x${scale}`);
  return finish(g, nearest(g, conv(g, 'input', 5, 11), scale));
}

export interface TinyModelSpec {
  id: string;
  task: ModelManifest['task'];
  scale: number;
  bytes: Uint8Array;
  /** Context the receptive field needs, doubled so blended pixels still see all of it. */
  overlap: number;
  tile?: number;
  default?: boolean;
  roles?: ModelManifest['roles'];
}

/** Writes the models and their manifests into `dir`/{onnx,manifests}; returns the folders. */
export function writeTinyCatalog(dir: string, specs: TinyModelSpec[]): { manifestDir: string; cacheDir: string } {
  const manifestDir = path.join(dir, 'manifests');
  const cacheDir = path.join(dir, 'onnx');
  mkdirSync(manifestDir, { recursive: true });
  mkdirSync(cacheDir, { recursive: true });
  for (const spec of specs) {
    writeFileSync(path.join(cacheDir, `${spec.id}.onnx`), spec.bytes);
    const manifest: ModelManifest = {
      id: spec.id,
      title: spec.id,
      task: spec.task,
      scale: spec.scale,
      denoise: -1,
      domain: 'any',
      io: { input: 'input', output: 'output', layout: 'NCHW', channelOrder: 'RGB', valueRange: [0, 1] },
      tiling: { tile: spec.tile ?? 64, maxTile: 512, overlap: spec.overlap, multipleOf: 1, minSize: 1 },
      license: 'MIT',
      source: { files: [], converter: 'script' },
      file: `${spec.id}.onnx`,
      sha256: createHash('sha256').update(spec.bytes).digest('hex'),
      default: spec.default ?? false,
      roles: spec.roles,
    };
    writeFileSync(path.join(manifestDir, `${spec.id}.json`), JSON.stringify(manifest, null, 2));
  }
  return { manifestDir, cacheDir };
}

/** The set most tests use: a default ×2 upscaler, a ×4 one, and a restore (same-size) model. */
export function standardTinyModels(): TinyModelSpec[] {
  return [
    { id: 'tiny-conv5-x2', task: 'upscale', scale: 2, bytes: convUpscaleModel(2), overlap: 4, default: true },
    { id: 'tiny-nearest-x4', task: 'upscale', scale: 4, bytes: nearestUpscaleModel(4), overlap: 0 },
    { id: 'tiny-shuffle-x4', task: 'upscale', scale: 4, bytes: pixelShuffleModel(4), overlap: 0 },
    { id: 'tiny-conv3', task: 'restore', scale: 1, bytes: convModel(3), overlap: 2, default: true },
    { id: 'tiny-conv5', task: 'restore', scale: 1, bytes: convModel(5), overlap: 4 },
  ];
}

/** Installs the models as the user's own (config folder `models/`, absolute file paths), as `mend models add` would. */
export function writeUserModels(configDir: string, specs: TinyModelSpec[]): void {
  const { manifestDir, cacheDir } = writeTinyCatalog(path.join(configDir, 'tiny-build'), specs);
  const userDir = path.join(configDir, 'models');
  mkdirSync(userDir, { recursive: true });
  for (const spec of specs) {
    const manifest = JSON.parse(readFileSync(path.join(manifestDir, `${spec.id}.json`), 'utf8')) as ModelManifest;
    writeFileSync(path.join(userDir, `${spec.id}.json`), JSON.stringify({ ...manifest, file: path.join(cacheDir, manifest.file) }, null, 2));
  }
}

/** The gray an inpainting test model paints into holes (0.25 of white: 64 in 8-bit). */
export const TINY_FILL = 0.25;

/**
 * A model with a LaMa export's signature: `image` float32 1×3×H×W in 0..1, `mask` float32 1×1×H×W with
 * 1 = fill, `output` float32 RGB — scaled by `outputScale`: 255 like the common export, or 1. It keeps
 * the kept pixels and paints holes TINY_FILL gray. `side` fixes H and W (the usual 512×512 export);
 * absent: any size.
 */
export function lamaLikeModel(options: { side?: number; outputScale: number }): Uint8Array {
  const g = new GraphBuilder('tiny-lama');
  const h = options.side ?? 'H';
  const w = options.side ?? 'W';
  g.input('image', 'float32', [1, 3, h, w]);
  g.input('mask', 'float32', [1, 1, h, w]);
  const one = g.initializer('one', new Float32Array([1]), [1]);
  const fill = g.initializer('fill', new Float32Array([TINY_FILL]), [1]);
  const composite = g.op('Add', [g.op('Mul', ['image', g.op('Sub', [one, 'mask'])]), g.op('Mul', ['mask', fill])]);
  const scale = g.initializer('scale', new Float32Array([options.outputScale]), [1]);
  g.node('Mul', [composite, scale], ['output']);
  g.output('output', 'float32', [1, 3, h, w]);
  return g.toModel();
}

/** A normalized 5×5 Gaussian of σ = 1, as a 1→1 convolution weight. */
function gaussian5(): Float32Array {
  const taps = [-2, -1, 0, 1, 2].map((d) => Math.exp(-(d * d) / 2));
  const weights = Float32Array.from({ length: 25 }, (_, i) => taps[Math.floor(i / 5)] * taps[i % 5]);
  const sum = weights.reduce((a, b) => a + b, 0);
  return weights.map((v) => v / sum);
}

/**
 * A model with MI-GAN's pipeline signature: uint8 `image` and `mask` (255 = keep), uint8 `result` of
 * any size. Like `migan_pipeline_v2.onnx` it pastes its fill (TINY_FILL gray) through the keep mask
 * dilated by a 3×3 max-pool and blurred by a 5×5 Gaussian, so thin holes keep some of their old
 * pixels unless the mask it is given was grown.
 */
export function miganLikeModel(): Uint8Array {
  const g = new GraphBuilder('tiny-migan');
  g.input('image', 'uint8', [1, 3, 'H', 'W']);
  g.input('mask', 'uint8', [1, 1, 'H', 'W']);
  const toFloat = { to: attr.int(1) };
  const keep = g.op('Div', [g.op('Cast', ['mask'], toFloat), g.initializer('white', new Float32Array([255]), [1])]);
  const dilated = g.op('MaxPool', [keep], { kernel_shape: attr.ints([3, 3]), pads: attr.ints([1, 1, 1, 1]) });
  const padded = g.op('Pad', [dilated, g.initializer('pads', new BigInt64Array([0, 0, 2, 2, 0, 0, 2, 2].map(BigInt)), [8])], { mode: attr.string('reflect') });
  const blurred = g.op('Conv', [padded, g.initializer('gaussian', gaussian5(), [1, 1, 5, 5])]);
  const hole = g.op('Sub', [g.initializer('one', new Float32Array([1]), [1]), blurred]);
  const filled = g.op('Add', [g.op('Mul', [g.op('Cast', ['image'], toFloat), blurred]), g.op('Mul', [hole, g.initializer('fill', new Float32Array([TINY_FILL * 255]), [1])])]);
  g.node('Cast', [g.op('Round', [filled])], ['result'], { to: attr.int(2) });
  g.output('result', 'uint8', [1, 3, 'H', 'W']);
  return g.toModel();
}

/** Two inputs of a signature neither contract has: a float32 image beside a uint8 mask. */
export function mixedTypeInpaintModel(): Uint8Array {
  const g = new GraphBuilder('tiny-mixed');
  g.input('image', 'float32', [1, 3, 'H', 'W']);
  g.input('mask', 'uint8', [1, 1, 'H', 'W']);
  g.node('Identity', ['image'], ['output']);
  g.output('output', 'float32', [1, 3, 'H', 'W']);
  return g.toModel();
}

export interface FixedSideSpec {
  id: string;
  /** Exported input sides, the main (tiling) one first. */
  sides: number[];
  overlap: number;
  /** Which sides' files to write into the cache (all when absent). */
  built?: number[];
}

/** Stand-in bytes of a model's export for `side`: the engine in unit tests never reads them, the catalog hashes them. */
export function fixedSideBytes(id: string, side: number): Uint8Array {
  return new TextEncoder().encode(`${id} ${side}²`);
}

/**
 * Writes a catalog of one restore model converted for fixed sides and prepared on first use, like the
 * MAXIM models, with stand-in bytes per side; returns the folders.
 */
export function writeFixedSideCatalog(dir: string, spec: FixedSideSpec): { manifestDir: string; cacheDir: string } {
  const manifestDir = path.join(dir, 'manifests');
  const cacheDir = path.join(dir, 'onnx');
  mkdirSync(manifestDir, { recursive: true });
  mkdirSync(cacheDir, { recursive: true });
  const exports = spec.sides.map((side) => {
    const bytes = fixedSideBytes(spec.id, side);
    const file = `${spec.id}-${side}.onnx`;
    if (!spec.built || spec.built.includes(side)) writeFileSync(path.join(cacheDir, file), bytes);
    return { side, file, sha256: createHash('sha256').update(bytes).digest('hex') };
  });
  const [main, ...smaller] = exports;
  const manifest: ModelManifest = {
    id: spec.id,
    title: spec.id,
    task: 'restore',
    scale: 1,
    denoise: -1,
    domain: 'photo',
    io: { input: 'input', output: 'output', layout: 'NCHW', channelOrder: 'RGB', valueRange: [0, 1] },
    tiling: { tile: main.side - 2 * spec.overlap, maxTile: main.side - 2 * spec.overlap, overlap: spec.overlap, multipleOf: main.side, minSize: main.side },
    license: 'MIT',
    source: { package: `@fake/${spec.id}@0.1.0`, files: ['models/model.json'], converter: 'tfjs-graph' },
    file: main.file,
    sha256: main.sha256,
    fixedSides: { side: main.side, smaller },
    prepareOnFirstUse: true,
    default: false,
  };
  writeFileSync(path.join(manifestDir, `${spec.id}.json`), JSON.stringify(manifest, null, 2));
  return { manifestDir, cacheDir };
}

/** What the tiny face restorers do in their −1..1 range: halve the contrast about mid-gray (the input ×½). */
export const TINY_FACE_GAIN = 0.5;

/**
 * A model with a face restorer's signature: float32 1×3×side×side in, the same out, under the given
 * names (GFPGAN, GPEN-BFR and RestoreFormer exports differ only in these). It multiplies by
 * TINY_FACE_GAIN, so a crop read or written in the wrong range (0..1 instead of −1..1) comes out
 * otherwise. `side` absent: free sides.
 */
export function faceRestorerLikeModel(options: { side?: number; input?: string; output?: string }): Uint8Array {
  const g = new GraphBuilder('tiny-face');
  const input = options.input ?? 'input';
  const output = options.output ?? 'output';
  const h = options.side ?? 'H';
  const w = options.side ?? 'W';
  g.input(input, 'float32', [1, 3, h, w]);
  g.node('Mul', [input, g.initializer('gain', new Float32Array([TINY_FACE_GAIN]), [1])], [output]);
  g.output(output, 'float32', [1, 3, h, w]);
  return g.toModel();
}

/**
 * A model with CodeFormer's signature: the image and a float64 fidelity weight of shape [1] (names
 * `x` and `w` as in redthing1/CodeFormer's export, or `input` and `weight` as in facefusion's), and
 * — first — an output that is not the image, then the image multiplied by the weight.
 */
export function codeFormerLikeModel(names: { image: string; weight: string }): Uint8Array {
  const g = new GraphBuilder('tiny-codeformer');
  g.input(names.image, 'float32', [1, 3, 512, 512]);
  g.input(names.weight, 'float64', [1]);
  g.node('ReduceMean', [names.image], ['logits'], { axes: attr.ints([1]), keepdims: attr.int(0) });
  g.output('logits', 'float32', [1, 512, 512]);
  const weight = g.op('Cast', [names.weight], { to: attr.int(1) });
  g.node('Mul', [names.image, weight], ['output']);
  g.output('output', 'float32', [1, 3, 512, 512]);
  return g.toModel();
}
