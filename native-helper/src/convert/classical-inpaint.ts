import { GraphBuilder, attr } from './onnx';

/**
 * Mend's shipped inpainting operator: no learned weights, a classical method written as an ONNX
 * graph so it runs through the same engine and pipeline as the learned models.
 *
 * 1. Push-pull (normalized convolution at every scale): the known pixels and their weights are
 *    averaged down a pyramid; from the coarsest level up, each level keeps its own average where it
 *    has known pixels and takes the upsampled coarser estimate elsewhere. Every hole gets the colours
 *    of its surroundings at the scale of its size.
 * 2. Structure: the structure tensor of the known pixels (the summed outer products of the colour
 *    gradients) is filled into the hole the same way, so each hole pixel knows which way the
 *    surrounding edges run and how strongly (coherence).
 * 3. Oriented diffusion: Jacobi iterations replace each hole pixel by a weighted mean of its 5×5
 *    neighbourhood, weighting neighbours along the edges (across the gradient) more where the
 *    structure is coherent: lines and edges are continued through the hole instead of blurred
 *    (Tschumperlé-style tensor-driven diffusion). Known pixels stay fixed.
 *
 * Contract (LaMa's, but with the output in 0..1): image 1×3×H×W in 0..1, mask 1×1×H×W with
 * 1 = fill, output 1×3×H×W: the input outside the hole, the fill inside. Any size works.
 */
export const CLASSICAL_INPAINT = {
  id: 'classical-pushpull',
  input: 'image',
  mask: 'mask',
  output: 'output',
} as const;

/** 2^12 = 4096: one pyramid level per halving up to the largest working side. */
const LEVELS = 12;
/** A level trusts its own average fully once this share of its footprint is known. */
const TRUST_SHARE = 0.5;
const SMOOTHING_PER_LEVEL = 2;
/** Neighbourhood radius of the diffusion: 5×5 gives 24 directions, enough to follow diagonal edges. */
const RADIUS = 2;
/** How strongly coherent structure turns the diffusion along the edges. */
const ANISOTROPY = 5;
const DIFFUSION_ITERATIONS = 100;

const BINOMIAL_3X3 = [1, 2, 1, 2, 4, 2, 1, 2, 1].map((v) => v / 16);

const OFFSETS: Array<[number, number]> = [];
for (let dy = -RADIUS; dy <= RADIUS; dy++) for (let dx = -RADIUS; dx <= RADIUS; dx++) if (dx || dy) OFFSETS.push([dx, dy]);

interface Constants {
  one: string;
  epsilon: string;
  blurWeights: string;
  blurPads: string;
  channelSplit: string;
  channelAxis: string;
}

function scalar(g: GraphBuilder, name: string, value: number): string {
  return g.initializer(name, new Float32Array([value]), [1]);
}

function ints(g: GraphBuilder, name: string, values: number[]): string {
  return g.initializer(name, BigInt64Array.from(values.map(BigInt)), [values.length]);
}

/** 3×3 binomial blur of each of 3 channels, edges extended (no darkening at the image border). */
function blur(g: GraphBuilder, x: string, k: Constants): string {
  const padded = g.op('Pad', [x, k.blurPads], { mode: attr.string('edge') });
  return g.op('Conv', [padded, k.blurWeights], { group: attr.int(3), kernel_shape: attr.ints([3, 3]) });
}

/** x + t·(y − x) */
function mix(g: GraphBuilder, x: string, y: string, t: string): string {
  return g.op('Add', [x, g.op('Mul', [t, g.op('Sub', [y, x])])]);
}

/**
 * Fills 3 channels of `values` where `weight` (1×1×H×W, 0..1) is low from where it is high, at
 * every scale: the normalized-convolution pyramid. Where `weight` is 1 the values come back as they were.
 */
function pushPull(g: GraphBuilder, values: string, weight: string, k: Constants): string {
  const trust = scalar(g, 'trust', 1 / TRUST_SHARE);
  const levels = [g.op('Concat', [g.op('Mul', [values, weight]), weight], { axis: attr.int(1) })];
  for (let l = 1; l <= LEVELS; l++) {
    levels.push(g.op('AveragePool', [levels[l - 1]], { kernel_shape: attr.ints([2, 2]), strides: attr.ints([2, 2]), ceil_mode: attr.int(1) }));
  }
  const estimate = (level: string) => {
    const [sum, share] = g.node('Split', [level, k.channelSplit], 2, { axis: attr.int(1) });
    return { mean: g.op('Div', [sum, g.op('Max', [share, k.epsilon])]), share };
  };
  const resizeLike = (x: string, like: string) =>
    g.op('Resize', [x, '', '', g.op('Shape', [like])], { mode: attr.string('linear'), coordinate_transformation_mode: attr.string('half_pixel') });

  let fill = estimate(levels[LEVELS]).mean;
  for (let l = LEVELS - 1; l >= 1; l--) {
    const own = estimate(levels[l]);
    const share = g.op('Min', [g.op('Mul', [own.share, trust]), k.one]);
    fill = mix(g, resizeLike(fill, own.mean), own.mean, share);
    for (let i = 0; i < SMOOTHING_PER_LEVEL; i++) fill = mix(g, blur(g, fill, k), own.mean, share);
  }
  return mix(g, resizeLike(fill, values), values, weight);
}

/** Per pixel, the structure tensor's entries (xx, xy, yy) of the 3 colour channels, from central differences. */
function structureTensor(g: GraphBuilder, image: string, k: Constants): string {
  const central = (dx: number, dy: number) => {
    const kernel = new Float32Array(9);
    kernel[4 + dx + 3 * dy] = 0.5;
    kernel[4 - dx - 3 * dy] = -0.5;
    return g.initializer('difference', Float32Array.from([...kernel, ...kernel, ...kernel]), [3, 1, 3, 3]);
  };
  const padded = g.op('Pad', [image, k.blurPads], { mode: attr.string('edge') });
  const conv = (w: string) => g.op('Conv', [padded, w], { group: attr.int(3), kernel_shape: attr.ints([3, 3]) });
  const gx = conv(central(1, 0));
  const gy = conv(central(0, 1));
  const sum = (x: string) => g.op('ReduceSum', [x, k.channelAxis], { keepdims: attr.int(1) });
  return g.op('Concat', [sum(g.op('Mul', [gx, gx])), sum(g.op('Mul', [gx, gy])), sum(g.op('Mul', [gy, gy]))], { axis: attr.int(1) });
}

/**
 * For each hole pixel and each neighbour offset, the diffusion weight (rows summing to 1 over the
 * offsets; 0 at known pixels): neighbours across the local gradient are damped by the coherence.
 */
function diffusionWeights(g: GraphBuilder, tensor: string, hole: string, k: Constants): string[] {
  const [a, b, d] = g.node('Split', [tensor, ints(g, 'tensor_split', [1, 1, 1])], 3, { axis: attr.int(1) });
  const trace = g.op('Add', [a, d]);
  const difference = g.op('Sub', [a, d]);
  const four = scalar(g, 'four', 4);
  const spread = g.op('Sqrt', [g.op('Add', [g.op('Mul', [difference, difference]), g.op('Mul', [four, g.op('Mul', [b, b])])])]);
  const ratio = g.op('Div', [spread, g.op('Max', [trace, k.epsilon])]);
  const coherence = g.op('Mul', [ratio, ratio]);
  const half = scalar(g, 'half', 0.5);
  const smaller = g.op('Mul', [half, g.op('Sub', [trace, spread])]);
  const denominator = g.op('Max', [spread, k.epsilon]);
  // The projection onto the dominant gradient direction: n·nᵀ with n the eigenvector of the larger eigenvalue.
  const projection = g.op('Concat', [g.op('Div', [g.op('Sub', [a, smaller]), denominator]), g.op('Div', [b, denominator]), g.op('Div', [g.op('Sub', [d, smaller]), denominator])], {
    axis: attr.int(1),
  });
  const alongGradient = g.initializer('along_gradient', Float32Array.from(OFFSETS.flatMap(([x, y]) => [x * x, 2 * x * y, y * y].map((v) => v / (x * x + y * y)))), [
    OFFSETS.length,
    3,
    1,
    1,
  ]);
  const squaredCosines = g.op('Conv', [projection, alongGradient]);
  const inverseDistance = g.initializer('inverse_distance', Float32Array.from(OFFSETS.map(([x, y]) => 1 / (x * x + y * y))), [1, OFFSETS.length, 1, 1]);
  const strength = g.op('Mul', [scalar(g, 'anisotropy', -ANISOTROPY), coherence]);
  const raw = g.op('Mul', [g.op('Exp', [g.op('Mul', [strength, squaredCosines])]), inverseDistance]);
  const normalized = g.op('Div', [raw, g.op('ReduceSum', [raw, k.channelAxis], { keepdims: attr.int(1) })]);
  return g.node(
    'Split',
    [
      g.op('Mul', [normalized, hole]),
      ints(
        g,
        'offset_split',
        OFFSETS.map(() => 1),
      ),
    ],
    OFFSETS.length,
    { axis: attr.int(1) },
  );
}

export function classicalInpaintModelBytes(): Uint8Array {
  const g = new GraphBuilder(CLASSICAL_INPAINT.id);
  const image = g.input(CLASSICAL_INPAINT.input, 'float32', [1, 3, 'H', 'W']);
  const hole = g.input(CLASSICAL_INPAINT.mask, 'float32', [1, 1, 'H', 'W']);
  const k: Constants = {
    one: scalar(g, 'one', 1),
    epsilon: scalar(g, 'epsilon', 1e-6),
    blurWeights: g.initializer('blur_weights', Float32Array.from([...BINOMIAL_3X3, ...BINOMIAL_3X3, ...BINOMIAL_3X3]), [3, 1, 3, 3]),
    blurPads: ints(g, 'blur_pads', [0, 0, 1, 1, 0, 0, 1, 1]),
    channelSplit: ints(g, 'channel_split', [3, 1]),
    channelAxis: ints(g, 'channel_axis', [1]),
  };
  const known = g.op('Sub', [k.one, hole]);

  // Gradients are trusted only where all four neighbours are known too (the hole's values are garbage).
  const cross = g.initializer('cross', Float32Array.from([0, 1, 0, 1, 1, 1, 0, 1, 0]), [1, 1, 3, 3]);
  const holeNearby = g.op('Conv', [g.op('Pad', [hole, k.blurPads], { mode: attr.string('edge') }), cross]);
  const gradientKnown = g.op('Relu', [g.op('Sub', [k.one, holeNearby])]);
  const tensor = pushPull(g, structureTensor(g, image, k), gradientKnown, k);
  const weights = diffusionWeights(g, tensor, hole, k);
  const start = pushPull(g, image, known, k);
  const fixed = g.op('Mul', [image, known]);

  const body = new GraphBuilder(`${CLASSICAL_INPAINT.id}_diffusion`, 'diffusion_');
  body.input('diffusion_iteration', 'int64', []);
  body.input('diffusion_condition', 'bool', []);
  body.input('diffusion_in', 'float32', [1, 3, 'H', 'W']);
  body.node('Identity', ['diffusion_condition'], ['diffusion_condition_out']);
  const padded = body.op('Pad', ['diffusion_in', ints(body, 'pads', [0, 0, RADIUS, RADIUS, 0, 0, RADIUS, RADIUS])], { mode: attr.string('edge') });
  const axes = ints(body, 'axes', [2, 3]);
  // Slice ends past the last index are clamped: "to the end" for a neighbour at the far edge.
  const end = (offset: number) => (RADIUS - offset > 0 ? -(RADIUS - offset) : 2 ** 31 - 1);
  let sum = fixed;
  OFFSETS.forEach(([x, y], i) => {
    const shifted = body.op('Slice', [padded, ints(body, 'starts', [RADIUS + y, RADIUS + x]), ints(body, 'ends', [end(y), end(x)]), axes]);
    sum = body.op('Add', [sum, body.op('Mul', [shifted, weights[i]])]);
  });
  body.node('Identity', [sum], ['diffusion_out']);
  body.output('diffusion_condition_out', 'bool', []);
  body.output('diffusion_out', 'float32', [1, 3, 'H', 'W']);

  const trips = g.initializer('diffusion_trips', BigInt64Array.from([BigInt(DIFFUSION_ITERATIONS)]), []);
  g.node('Loop', [trips, '', start], [CLASSICAL_INPAINT.output], { body: attr.graph(body) });
  g.output(CLASSICAL_INPAINT.output, 'float32', [1, 3, 'H', 'W']);
  return g.toModel();
}
