import { MendError } from '../errors';
import type { ProviderName } from './providers';

/** A model's answer for one 1×3×H×W tile: 3 planes of H·s × W·s. */
export interface TileOutput {
  data: Float32Array;
  height: number;
  width: number;
}

/** A loaded model that maps a 1×3×H×W tensor to a 1×3×(H·s)×(W·s) tensor. */
export interface TileSession {
  readonly provider: ProviderName;
  /** How many `run` calls make progress at the same time; more are queued. */
  readonly parallelRuns: number;
  run(input: Float32Array, height: number, width: number): Promise<TileOutput>;
  release(): Promise<void>;
}

/** Checks that a model answered an image tensor, whose planes Mend then reads. */
export function tileOutput(type: string, dims: readonly number[], data: unknown): TileOutput {
  const [, channels, height, width] = dims;
  if (type !== 'float32' || dims.length !== 4 || channels !== 3) {
    throw new MendError('model_invalid', `the model answered a ${type} tensor of shape [${dims.join(', ')}]; Mend needs float32 [1, 3, H, W]`);
  }
  return { data: data as Float32Array, height, width };
}
