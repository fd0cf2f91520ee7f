import { DEGRADATIONS, type Degradation } from './degradations';
import { FULL_SET, QUICK_SET, type EvalImage } from './test-set';

export interface EvalStep {
  degradation: Degradation;
  images: readonly EvalImage[];
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

const MODELS_FOR: Record<string, readonly string[]> = {
  'bicubic-x2': UPSCALERS_X2,
  'bicubic-x4': UPSCALERS_X4,
  'noise-15': RESTORERS,
  'noise-25': RESTORERS,
  'jpeg-20': RESTORERS,
  'jpeg-40': RESTORERS,
  // No model in the catalog is trained to deblur; measured to show that the denoisers do not help.
  'motion-9': ['waifu2x-cunet-noise0', 'waifu2x-cunet-noise3'],
};

export function fullPlan(): EvalPlan {
  return {
    quick: false,
    steps: DEGRADATIONS.map((degradation) => {
      const models = MODELS_FOR[degradation.id];
      if (!models) throw new Error(`no models are planned for the degradation ${degradation.id}`);
      // The art stand-in only matters for enlarging: the roles "denoise" and "de-JPEG" are for photos.
      const images = FULL_SET.filter((image) => degradation.kind === 'upscale' || image.domain === 'photo');
      return { degradation, images, models };
    }),
  };
}

/** One small image, one fast model, the ×2 degradation: a smoke run of the whole path. */
export function quickPlan(): EvalPlan {
  const degradation = DEGRADATIONS.find((d) => d.id === 'bicubic-x2');
  if (!degradation) throw new Error('the quick evaluation needs the bicubic-x2 degradation');
  return { quick: true, steps: [{ degradation, images: QUICK_SET, models: ['esrgan-slim-x2'] }] };
}
