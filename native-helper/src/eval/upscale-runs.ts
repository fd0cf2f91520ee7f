import type { MendApp } from '../app';
import { CancelledError } from '../errors';
import type { PixelImage } from '../imaging/pixel-image';
import { resampleImage } from '../imaging/resample';
import { bicubicDownscale } from './degradations';
import { type EvalImage, loadGroundTruth } from './test-set';

/** One ground truth shrunk by the eval's bicubic degradation, and what each model made of it. */
export interface UpscaleRun {
  image: EvalImage;
  truth: PixelImage;
  /** The degraded image the models were given. */
  input: PixelImage;
  /** The input enlarged back by Catmull-Rom: the eval's bicubic baseline. */
  bicubic: PixelImage;
  /** Model id → output at the truth's size. */
  outputs: Map<string, PixelImage>;
}

export interface UpscaleRunDependencies {
  app: MendApp;
  signal: AbortSignal;
  log(line: string): void;
}

/** Shrinks every image ×`scale` (as `mend eval`'s bicubic-x4 degradation) and runs every model on it through the app's runner. */
export async function runUpscales(images: readonly EvalImage[], models: readonly string[], scale: number, deps: UpscaleRunDependencies): Promise<UpscaleRun[]> {
  const runs: UpscaleRun[] = [];
  for (const image of images) {
    const truth = await loadGroundTruth(image);
    const input = bicubicDownscale(truth, scale);
    const outputs = new Map<string, PixelImage>();
    for (const model of models) {
      if (deps.signal.aborted) throw new CancelledError();
      const started = performance.now();
      const result = await deps.app.runTask({ options: { task: 'upscale', model, scale }, image: input }, { signal: deps.signal, onProgress: () => undefined });
      deps.log(`${image.id} · ${model}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
      outputs.set(model, result.image);
    }
    runs.push({ image, truth, input, bicubic: resampleImage(input, truth.width, truth.height), outputs });
  }
  return runs;
}

export function outputOf(run: UpscaleRun, model: string): PixelImage {
  const output = run.outputs.get(model);
  if (!output) throw new Error(`${model} was not run on ${run.image.id}`);
  return output;
}
