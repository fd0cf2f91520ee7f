import { blurPlane } from '../imaging/gaussian-blur';
import { inventedDetailMap, inventedDetailScore, inventedDetailSignals } from '../imaging/invented-detail';
import type { PixelImage } from '../imaging/pixel-image';
import { lumaBt601, type Plane, shave } from './planes';
import { rocAuc } from './roc-auc';
import { outputOf, type UpscaleRun } from './upscale-runs';

/** The proof: the target is smoothed with a Gaussian of σ = 2 px, and its top 20 % are "invented". */
export const TARGET_SIGMA = 2;
export const INVENTED_SHARE = 0.2;

/** The weight of the disagreement when it is tried on top of the shipped score, as the re-degradation's. */
const DISAGREEMENT_EXPONENT = 0.25;

export const SIGNALS = [
  { id: 'naive', short: 'naive', label: 'local high-frequency energy of the output (Y minus its σ=1 blur, squared, σ=2 average)' },
  { id: 'departure', short: '(1)', label: 'departure: |Y(output) − Y(base)|, σ=2 average' },
  { id: 're-degradation', short: '(2)', label: 're-degradation inconsistency: |Y(bicubic shrink of the output) − Y(input)|, enlarged (Catmull-Rom), σ=2 average' },
  { id: 'disagreement', short: '(3)', label: 'disagreement: |Y(output) − Y(second model)|, σ=2 average' },
  { id: 'discounted', short: '(1) ÷ b', label: '(1) ÷ (1 + 0.5·b), b = |Y(base) − Y(bicubic)|, σ=2 average: detail the input implies' },
  { id: 'shipped', short: '… × (2)^¼', label: '(1) ÷ (1 + 0.5·b) × (2)^0.25: the shipped score' },
  { id: 'with-disagreement', short: '… × (3)^¼', label: 'the shipped score × (3)^0.25' },
  { id: 'map', short: 'map', label: 'the map as shipped: 8-bit, 255·(1 − e^(−score/8))' },
] as const;

export type SignalId = (typeof SIGNALS)[number]['id'];

export interface InventedDetailAuc {
  image: string;
  model: string;
  auc: Record<SignalId, number>;
}

const plane = (width: number, height: number, data: ArrayLike<number>): Plane => ({ width, height, data: Float64Array.from(data) });

function blurred(source: Plane, sigma: number): Plane {
  return plane(source.width, source.height, blurPlane(source.data, source.width, source.height, sigma));
}

/**
 * Which pixels the output made worse than bicubic, as the issue defines them: per pixel
 * |Y(output) − Y(truth)| − |Y(bicubic) − Y(truth)| on BT.601 luma, smoothed with a Gaussian of σ = 2,
 * `border` pixels shaved off each side (as the eval's PSNR), then the top 20 % marked.
 */
export function inventedDetailTarget(truth: PixelImage, output: PixelImage, bicubic: PixelImage, border: number): boolean[] {
  const t = lumaBt601(truth).data;
  const o = lumaBt601(output).data;
  const c = lumaBt601(bicubic).data;
  const worse = plane(
    truth.width,
    truth.height,
    Array.from(t, (truthY, i) => Math.abs(o[i] - truthY) - Math.abs(c[i] - truthY)),
  );
  const target = shave(blurred(worse, TARGET_SIGMA), border).data;
  const sorted = Float64Array.from(target).sort();
  const threshold = sorted[sorted.length - Math.ceil(INVENTED_SHARE * sorted.length)];
  return Array.from(target, (value) => value >= threshold);
}

/** The naive map: local high-frequency energy of the output's luma (its σ = 1 detail, squared, averaged over σ = 2). */
function naiveMap(output: PixelImage): Plane {
  const y = lumaBt601(output);
  const low = blurred(y, 1).data;
  return blurred(
    plane(
      y.width,
      y.height,
      Array.from(y.data, (v, i) => (v - low[i]) ** 2),
    ),
    2,
  );
}

/** Every signal of one output, at its size, before shaving. */
function signalPlanes(run: UpscaleRun, model: string, second: string, base: string, scale: number): Record<SignalId, Plane> {
  const output = outputOf(run, model);
  const { width, height } = output;
  const inputs = { input: run.input, output, base: outputOf(run, base), scale };
  const { departure, baseDetail, reDegradation } = inventedDetailSignals(inputs)(0, height);
  const y = lumaBt601(output).data;
  const other = lumaBt601(outputOf(run, second)).data;
  const disagreement = blurred(
    plane(
      width,
      height,
      Array.from(y, (v, i) => Math.abs(v - other[i])),
    ),
    2,
  ).data;
  const shipped = Array.from(departure, (d, i) => inventedDetailScore(d, baseDetail[i], reDegradation[i]));
  return {
    naive: naiveMap(output),
    departure: plane(width, height, departure),
    're-degradation': plane(width, height, reDegradation),
    disagreement: plane(width, height, disagreement),
    discounted: plane(
      width,
      height,
      Array.from(departure, (d, i) => inventedDetailScore(d, baseDetail[i], 1)),
    ),
    shipped: plane(width, height, shipped),
    'with-disagreement': plane(
      width,
      height,
      shipped.map((s, i) => s * disagreement[i] ** DISAGREEMENT_EXPONENT),
    ),
    map: plane(width, height, inventedDetailMap(inputs).data),
  };
}

/**
 * The ROC AUC of every signal against the target, for `model`'s output on one image. `second` is the
 * model whose output the disagreement compares with; `base` the fidelity base.
 */
export function inventedDetailAuc(run: UpscaleRun, model: string, second: string, base: string, scale: number): InventedDetailAuc {
  const positive = inventedDetailTarget(run.truth, outputOf(run, model), run.bicubic, scale);
  const planes = signalPlanes(run, model, second, base, scale);
  const auc = Object.fromEntries(SIGNALS.map(({ id }) => [id, rocAuc(shave(planes[id], scale).data, positive)])) as Record<SignalId, number>;
  return { image: run.image.id, model, auc };
}

/** The mean AUC of each signal over the given results. */
export function meanAuc(results: readonly InventedDetailAuc[]): Record<SignalId, number> {
  if (results.length === 0) throw new Error('no AUCs to average');
  return Object.fromEntries(SIGNALS.map(({ id }) => [id, results.reduce((sum, r) => sum + r.auc[id], 0) / results.length])) as Record<SignalId, number>;
}

/** One table of AUCs: a row per model and image, then each model's mean, the mean over all and over `evalPhotos` alone. */
export function inventedDetailMarkdown(results: readonly InventedDetailAuc[], evalPhotos: readonly string[]): string {
  const cells = (auc: Record<SignalId, number>) => SIGNALS.map(({ id }) => auc[id].toFixed(3)).join(' | ');
  const models = [...new Set(results.map((r) => r.model))];
  const onEvalPhotos = results.filter((r) => evalPhotos.includes(r.image));
  return [
    ...SIGNALS.map(({ short, label }) => `- **${short}**: ${label}`),
    '',
    `| image | model | ${SIGNALS.map((s) => s.short).join(' | ')} |`,
    `| --- | --- | ${SIGNALS.map(() => '---:').join(' | ')} |`,
    ...results.map((r) => `| ${r.image} | ${r.model} | ${cells(r.auc)} |`),
    ...models.map((model) => `| *mean* | ${model} | ${cells(meanAuc(results.filter((r) => r.model === model)))} |`),
    ...(onEvalPhotos.length ? [`| *mean, ${evalPhotos.length} eval photos* | all | ${cells(meanAuc(onEvalPhotos))} |`] : []),
    `| **mean** | all | ${cells(meanAuc(results))} |`,
  ].join('\n');
}
