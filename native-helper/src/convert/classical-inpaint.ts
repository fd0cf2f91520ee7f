import { GraphBuilder, attr } from './onnx';

/**
 * Mend's shipped inpainting operator: no learned weights, a classical method written as an ONNX
 * graph so it runs through the same engine and pipeline as the learned models.
 *
 * 1. Push: the known pixels (value × weight) and their weights are averaged down a pyramid.
 * 2. Pull: from the coarsest level up, each level keeps its own normalized average where it has
 *    known pixels (in proportion to their share) and takes the upsampled coarser estimate
 *    elsewhere, then smooths that mix a little. Every hole gets the colours of its surroundings
 *    at the scale of its size (normalized convolution at every scale).
 * 3. Diffusion: Jacobi iterations of the Laplace equation inside the hole, with the known pixels
 *    fixed, bend the fill smoothly onto its border (a harmonic, "membrane" fill).
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
const DIFFUSION_ITERATIONS = 40;

const BINOMIAL_3X3 = [1, 2, 1, 2, 4, 2, 1, 2, 1].map((v) => v / 16);

function scalar(g: GraphBuilder, name: string, value: number): string {
  return g.initializer(name, new Float32Array([value]), [1]);
}

/** 3×3 binomial blur of each of 3 channels, edges extended (no darkening at the image border). */
function blur(g: GraphBuilder, x: string, weights: string, pads: string, names?: { padded: string; out: string }): string {
  const padded = names ? g.node('Pad', [x, pads], [names.padded], { mode: attr.string('edge') })[0] : g.op('Pad', [x, pads], { mode: attr.string('edge') });
  const attributes = { group: attr.int(3), kernel_shape: attr.ints([3, 3]) };
  return names ? g.node('Conv', [padded, weights], [names.out], attributes)[0] : g.op('Conv', [padded, weights], attributes);
}

/** x + t·(y − x) */
function mix(g: GraphBuilder, x: string, y: string, t: string): string {
  return g.op('Add', [x, g.op('Mul', [t, g.op('Sub', [y, x])])]);
}

export function classicalInpaintModelBytes(): Uint8Array {
  const g = new GraphBuilder(CLASSICAL_INPAINT.id);
  const image = g.input(CLASSICAL_INPAINT.input, 'float32', [1, 3, 'H', 'W']);
  const mask = g.input(CLASSICAL_INPAINT.mask, 'float32', [1, 1, 'H', 'W']);
  const one = scalar(g, 'one', 1);
  const epsilon = scalar(g, 'epsilon', 1e-6);
  const trust = scalar(g, 'trust', 1 / TRUST_SHARE);
  const weights = g.initializer('blur_weights', Float32Array.from([...BINOMIAL_3X3, ...BINOMIAL_3X3, ...BINOMIAL_3X3]), [3, 1, 3, 3]);
  const pads = g.initializer('blur_pads', BigInt64Array.from([0, 0, 1, 1, 0, 0, 1, 1].map(BigInt)), [8]);
  const channelSplit = g.initializer('channel_split', BigInt64Array.from([3n, 1n]), [2]);

  const known = g.op('Sub', [one, mask]);
  const levels = [g.op('Concat', [g.op('Mul', [image, known]), known], { axis: attr.int(1) })];
  for (let l = 1; l <= LEVELS; l++) {
    levels.push(g.op('AveragePool', [levels[l - 1]], { kernel_shape: attr.ints([2, 2]), strides: attr.ints([2, 2]), ceil_mode: attr.int(1) }));
  }
  const estimate = (level: string) => {
    const [sum, weight] = g.node('Split', [level, channelSplit], 2, { axis: attr.int(1) });
    return { mean: g.op('Div', [sum, g.op('Max', [weight, epsilon])]), weight };
  };

  let fill = estimate(levels[LEVELS]).mean;
  for (let l = LEVELS - 1; l >= 1; l--) {
    const own = estimate(levels[l]);
    const up = g.op('Resize', [fill, '', '', g.op('Shape', [own.mean])], { mode: attr.string('linear'), coordinate_transformation_mode: attr.string('half_pixel') });
    const share = g.op('Min', [g.op('Mul', [own.weight, trust]), one]);
    fill = mix(g, up, own.mean, share);
    for (let i = 0; i < SMOOTHING_PER_LEVEL; i++) fill = mix(g, blur(g, fill, weights, pads), own.mean, share);
  }
  const up = g.op('Resize', [fill, '', '', g.op('Shape', [image])], { mode: attr.string('linear'), coordinate_transformation_mode: attr.string('half_pixel') });
  const start = mix(g, up, image, known);

  const body = new GraphBuilder(`${CLASSICAL_INPAINT.id}_diffusion`);
  body.input('diffusion_iteration', 'int64', []);
  body.input('diffusion_condition', 'bool', []);
  body.input('diffusion_in', 'float32', [1, 3, 'H', 'W']);
  body.node('Identity', ['diffusion_condition'], ['diffusion_condition_out']);
  // Value names are global across a model and its loop body: the body's are spelled out.
  const blurred = blur(body, 'diffusion_in', weights, pads, { padded: 'diffusion_padded', out: 'diffusion_blurred' });
  body.node('Add', [blurred, body.node('Mul', [known, body.node('Sub', [image, blurred], ['diffusion_delta'])[0]], ['diffusion_step'])[0]], ['diffusion_out']);
  body.output('diffusion_condition_out', 'bool', []);
  body.output('diffusion_out', 'float32', [1, 3, 'H', 'W']);

  const trips = g.initializer('diffusion_trips', BigInt64Array.from([BigInt(DIFFUSION_ITERATIONS)]), []);
  g.node('Loop', [trips, '', start], [CLASSICAL_INPAINT.output], { body: attr.graph(body) });
  g.output(CLASSICAL_INPAINT.output, 'float32', [1, 3, 'H', 'W']);
  return g.toModel();
}
