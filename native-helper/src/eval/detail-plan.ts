/** What `mend eval --detail-curve` and `--invented-detail` measure: ×4 on DETAIL_SET, over the eval's bicubic shrink. */
export const DETAIL_SCALE = 4;

/** The fidelity base the product blends towards at k = 0 and measures departures from (PSNR-trained). */
export const FIDELITY_BASE = 'esrgan-thick-x4';

/** The photo upscalers whose detail strength a user sets: the default and the stronger one. */
export const CURVE_MODELS = ['realesrgan-x4fast', 'realesrgan-x4plus'] as const;

/**
 * The GAN upscalers the map is measured on (Real-ESRGAN both, Real-CUGAN both ×4 variants), each with
 * the second model its disagreement is measured against: the other of its family.
 */
export const MAP_MODELS = [
  { model: 'realesrgan-x4plus', second: 'realesrgan-x4fast' },
  { model: 'realesrgan-x4fast', second: 'realesrgan-x4plus' },
  { model: 'realcugan-up4x-no-denoise', second: 'realcugan-up4x-conservative' },
  { model: 'realcugan-up4x-conservative', second: 'realcugan-up4x-no-denoise' },
] as const;
