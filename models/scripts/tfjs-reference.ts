import * as tf from '@tensorflow/tfjs';
import { modelArtifacts, startQuietCpuBackend } from './tfjs-cpu';

/**
 * The original engine for the TF.js models: @tensorflow/tfjs on its pure-JS CPU backend, with the
 * two custom layers of esrgan-thick registered by their published semantics.
 */
class MultiplyBeta extends tf.layers.Layer {
  static className = 'MultiplyBeta';
  private readonly beta: number;
  constructor(config: { beta?: number; name?: string; trainable?: boolean }) {
    super(config);
    this.beta = config.beta ?? 0.2;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.mul(Array.isArray(inputs) ? inputs[0] : inputs, this.beta);
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), beta: this.beta };
  }
}

function pixelShuffle(scale: number) {
  return class extends tf.layers.Layer {
    static className = `PixelShuffle${scale}x`;
    override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
      return tf.depthToSpace((Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D, scale);
    }
    override computeOutputShape(shape: tf.Shape): tf.Shape {
      const grow = (d: number | null) => (d === null ? null : d * scale);
      return [shape[0], grow(shape[1]), grow(shape[2]), (shape[3] ?? 0) / (scale * scale)];
    }
  };
}

let registered = false;
function registerCustomLayers(): void {
  if (registered) return;
  tf.serialization.registerClass(MultiplyBeta);
  for (const scale of [2, 3, 4, 8]) tf.serialization.registerClass(pixelShuffle(scale));
  registered = true;
}

/** Runs the original model on an NHWC tensor; returns the NHWC output. */
export async function runTfjsReference(modelJson: string, nhwc: Float32Array, height: number, width: number): Promise<Float32Array> {
  registerCustomLayers();
  await startQuietCpuBackend();
  const model = await tf.loadLayersModel(tf.io.fromMemory(modelArtifacts(modelJson)));
  const input = tf.tensor4d(nhwc, [1, height, width, 3]);
  const output = model.predict(input) as tf.Tensor;
  const result = output.dataSync() as Float32Array;
  tf.dispose([input, output]);
  model.dispose();
  return result;
}
