import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The original engine for TF.js graph models (MAXIM): @tensorflow/tfjs on its pure-JS CPU backend. */
export class TfjsGraphReference {
  private constructor(private readonly model: tf.GraphModel) {}

  static async load(modelJson: string): Promise<TfjsGraphReference> {
    await tf.setBackend('cpu');
    // On its first tensor tfjs suggests installing tfjs-node, with a stack trace; the pure-JS backend is the point here.
    const warn = console.warn;
    console.warn = () => undefined;
    tf.dispose(tf.zeros([1]));
    console.warn = warn;
    const json = JSON.parse(readFileSync(modelJson, 'utf8')) as tf.io.ModelJSON & { weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }> };
    const data = Buffer.concat(json.weightsManifest.flatMap((g) => g.paths.map((p) => readFileSync(path.join(path.dirname(modelJson), p)))));
    const model = await tf.loadGraphModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
        weightData: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength),
        signature: json.signature,
        format: json.format,
      }),
    );
    return new TfjsGraphReference(model);
  }

  /** Runs the model on an NHWC image (values 0..1); returns the NHWC output. */
  async run(nhwc: Float32Array, height: number, width: number): Promise<Float32Array> {
    const input = tf.tensor4d(nhwc, [1, height, width, 3]);
    const output = (await this.model.executeAsync(input)) as tf.Tensor;
    const result = (await output.data()) as Float32Array;
    tf.dispose([input, output]);
    return result;
  }

  dispose(): void {
    this.model.dispose();
  }
}
