import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** tfjs on its pure-JS CPU backend, the reference engine, without the tfjs-node advice it prints (with a stack trace) on its first tensor. */
export async function startQuietCpuBackend(): Promise<void> {
  await tf.setBackend('cpu');
  const warn = console.warn;
  console.warn = () => undefined;
  tf.dispose(tf.zeros([1]));
  console.warn = warn;
}

/** A model.json and its weight shards as tfjs loads them from memory (layers and graph models alike). */
export function modelArtifacts(modelJson: string): tf.io.ModelArtifacts {
  const json = JSON.parse(readFileSync(modelJson, 'utf8')) as tf.io.ModelJSON & { weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }> };
  const data = Buffer.concat(json.weightsManifest.flatMap((g) => g.paths.map((p) => readFileSync(path.join(path.dirname(modelJson), p)))));
  return {
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
    weightData: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength),
    signature: json.signature,
    format: json.format,
  };
}
