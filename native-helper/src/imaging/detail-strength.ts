import { createImage, type PixelImage } from './pixel-image';

/**
 * The output at detail strength `k`: base + k·(model − base). k = 0 is the fidelity base, k = 1 the
 * model's own output exactly. Both images must share one layout.
 */
export function applyDetailStrength(base: PixelImage, model: PixelImage, k: number): PixelImage {
  if (base.width !== model.width || base.height !== model.height || base.channels !== model.channels || base.bitDepth !== model.bitDepth) {
    throw new Error('the fidelity base and the model output must have one layout');
  }
  if (k === 1) return model;
  const out = createImage(model.width, model.height, model.channels, model.bitDepth, model.maxValue);
  const max = model.maxValue;
  for (let i = 0; i < out.data.length; i++) {
    const v = base.data[i] + k * (model.data[i] - base.data[i]);
    out.data[i] = Math.min(max, Math.max(0, Math.round(v)));
  }
  return out;
}
