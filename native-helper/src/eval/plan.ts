import { MendError } from '../errors';
import { BASELINES, type Baseline, type BaselineId } from './baselines';
import { DEGRADATIONS, type Degradation } from './degradations';
import { FULL_SET, QUICK_SET, type EvalImage } from './test-set';

export interface EvalStep {
  degradation: Degradation;
  images: readonly EvalImage[];
  /** Run beside the models, in this order. */
  baselines: readonly Baseline[];
  /** Catalog ids, run at the degradation's scale through the same runner as `mend upscale|restore`. */
  models: readonly string[];
}

export interface EvalPlan {
  quick: boolean;
  steps: EvalStep[];
}

/**
 * Every family of the catalog, by representatives: the waifu2x / Real-CUGAN denoise levels and the
 * ESRGAN ×3/×8 variants differ from the ones measured only in strength or factor. Real-ESRGAN ×4 runs
 * at ×2 too, since `mend upscale --scale 2` with it is what a photographer gets by default.
 */
const UPSCALERS_X2 = [
  'realesrgan-x4plus',
  'realesrgan-x4fast',
  'realesr-animevideov3-x2',
  'realcugan-up2x-conservative',
  'realcugan-up2x-no-denoise',
  'waifu2x-cunet-scale2x',
  'esrgan-slim-x2',
  'esrgan-medium-x2',
  'esrgan-thick-x2',
];

const UPSCALERS_X4 = [
  'realesrgan-x4plus',
  'realesrgan-x4fast',
  'realesrgan-x4plus-anime',
  'realesr-animevideov3-x4',
  'realcugan-up4x-conservative',
  'realcugan-up4x-no-denoise',
  'esrgan-slim-x4',
  'esrgan-medium-x4',
  'esrgan-thick-x4',
];

const RESTORERS = ['waifu2x-cunet-noise0', 'waifu2x-cunet-noise1', 'waifu2x-cunet-noise2', 'waifu2x-cunet-noise3'];

interface Planned {
  baselines: readonly BaselineId[];
  models: readonly string[];
}

const UPSCALE_BASELINES: readonly BaselineId[] = ['identity', 'bicubic', 'lanczos'];
const DEBLUR_BASELINES: readonly BaselineId[] = ['identity', 'richardson-lucy', 'unsharp-mask'];

/**
 * What runs on each degradation. MAXIM's models (each trained for one degradation) run only on theirs: a
 * 192² crop takes them 8–15 s on 2 CPU cores. waifu2x's strongest level, the catalog's denoiser before
 * MAXIM, runs on camera noise as the model to beat.
 */
const PLANNED: Record<string, Planned> = {
  'bicubic-x2': { baselines: UPSCALE_BASELINES, models: UPSCALERS_X2 },
  'bicubic-x4': { baselines: UPSCALE_BASELINES, models: UPSCALERS_X4 },
  'noise-15': { baselines: ['identity'], models: RESTORERS },
  'noise-25': { baselines: ['identity'], models: RESTORERS },
  'jpeg-20': { baselines: ['identity'], models: RESTORERS },
  'jpeg-40': { baselines: ['identity'], models: RESTORERS },
  // The box blur in sRGB values of the first evaluation, kept for comparison; its kernel is not one in linear light, so no Richardson–Lucy.
  'motion-9': { baselines: ['identity', 'unsharp-mask'], models: ['waifu2x-cunet-noise0', 'waifu2x-cunet-noise3', 'maxim-deblur'] },
  'motion-linear': { baselines: DEBLUR_BASELINES, models: ['maxim-deblur'] },
  'motion-shake': { baselines: DEBLUR_BASELINES, models: ['maxim-deblur'] },
  'noise-camera': { baselines: ['identity', 'non-local-means'], models: ['waifu2x-cunet-noise3', 'maxim-denoise'] },
  // Retouching (trained on expert edits of FiveK) also brightens; run for interest beside the low-light model.
  'lowlight-2ev': { baselines: ['identity', 'auto-levels'], models: ['maxim-lowlight', 'maxim-retouch'] },
  // Stretching the contrast is what one tries first on a hazy photo.
  haze: { baselines: ['identity', 'auto-levels'], models: ['maxim-dehaze-outdoor', 'maxim-dehaze-indoor'] },
};

function stepFor(degradation: Degradation): EvalStep {
  const planned = PLANNED[degradation.id];
  if (!planned) throw new Error(`nothing is planned for the degradation ${degradation.id}`);
  // The art stand-in only matters for enlarging: the restoration roles are for photos.
  const images = FULL_SET.filter((image) => degradation.kind === 'upscale' || image.domain === 'photo');
  return { degradation, images, baselines: planned.baselines.map((id) => BASELINES[id]), models: planned.models };
}

/** Every degradation, or only those named (`mend eval --degradations a,b`), in the evaluation's order. */
export function fullPlan(only?: readonly string[]): EvalPlan {
  const unknown = only?.filter((id) => !DEGRADATIONS.some((d) => d.id === id)) ?? [];
  if (unknown.length) {
    throw new MendError('bad_usage', `unknown degradation ${unknown.join(', ')}; the degradations are ${DEGRADATIONS.map((d) => d.id).join(', ')}`);
  }
  return { quick: false, steps: DEGRADATIONS.filter((d) => !only || only.includes(d.id)).map(stepFor) };
}

/** One small image, one fast model, the ×2 degradation: a smoke run of the whole path. */
export function quickPlan(): EvalPlan {
  const degradation = DEGRADATIONS.find((d) => d.id === 'bicubic-x2');
  if (!degradation) throw new Error('the quick evaluation needs the bicubic-x2 degradation');
  return { quick: true, steps: [{ degradation, images: QUICK_SET, baselines: UPSCALE_BASELINES.map((id) => BASELINES[id]), models: ['esrgan-slim-x2'] }] };
}
