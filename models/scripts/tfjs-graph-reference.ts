import * as tf from '@tensorflow/tfjs';
import { modelArtifacts, startQuietCpuBackend } from './tfjs-cpu';

interface CpuBackend {
  readSync(dataId: object): tf.backend_util.BackendValues;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
}

/**
 * Einsum straight from its definition: each output element sums the products over the contracted
 * letters. tfjs-cpu's own kernel multiplies the broadcast operands out in full before summing, which
 * for MAXIM's resize and dense-layer Einsums at 256² means gigabytes per op. Written independently of
 * the converter's MatMul lowering, so it still checks that lowering.
 */
function einsumByDefinition({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const cpu = backend as CpuBackend;
  const [left, out] = String(attrs?.equation).replace(/\s/g, '').split('->');
  const operands = left.split(',');
  // tfjs hands the operands over as an array.
  const tensors = Object.values(inputs) as tf.TensorInfo[];
  if (operands.length !== 2 || tensors.length !== 2) throw new Error(`the reference Einsum takes two operands, not "${String(attrs?.equation)}"`);
  const sizes = new Map<string, number>();
  operands.forEach((letters, i) => [...letters].forEach((letter, axis) => sizes.set(letter, tensors[i].shape[axis])));
  const values = tensors.map((t) => cpu.readSync(t.dataId) as Float32Array);
  const strideOf = (letters: string, letter: string) => {
    let stride = 0;
    let step = 1;
    for (let axis = letters.length - 1; axis >= 0; axis--) {
      if (letters[axis] === letter) stride += step;
      step *= sizes.get(letters[axis]) as number;
    }
    return stride;
  };
  const offsets = (letters: string[]) => {
    const count = letters.reduce((n, l) => n * (sizes.get(l) as number), 1);
    const table = operands.map(() => new Int32Array(count));
    const strides = operands.map((ops) => letters.map((letter) => strideOf(ops, letter)));
    const counter = new Array<number>(letters.length).fill(0);
    for (let i = 0; i < count; i++) {
      strides.forEach((operandStrides, k) => (table[k][i] = operandStrides.reduce((o, stride, j) => o + counter[j] * stride, 0)));
      for (let j = letters.length - 1; j >= 0 && ++counter[j] === sizes.get(letters[j]); j--) counter[j] = 0;
    }
    return table;
  };
  // The last output letter runs innermost, so both operands and the output are read at a fixed stride.
  const contracted = [...new Set(operands.join(''))].filter((letter) => !out.includes(letter));
  const inner = out[out.length - 1];
  const innerSize = sizes.get(inner) as number;
  const [strideA, strideB] = operands.map((letters) => strideOf(letters, inner));
  const outer = [...out.slice(0, -1), ...contracted];
  const [outerA, outerB] = offsets(outer);
  const result = new Float64Array(out.split('').reduce((n, letter) => n * (sizes.get(letter) as number), 1));
  const outStrides = outer.map((letter) => (out.includes(letter) ? strideOf(out, letter) : 0));
  const counter = new Array<number>(outer.length).fill(0);
  const [a, b] = values;
  for (let i = 0, target = 0; i < outerA.length; i++) {
    const [offsetA, offsetB] = [outerA[i], outerB[i]];
    for (let j = 0; j < innerSize; j++) result[target + j] += a[offsetA + j * strideA] * b[offsetB + j * strideB];
    for (let k = outer.length - 1; k >= 0; k--) {
      target += outStrides[k];
      if (++counter[k] < (sizes.get(outer[k]) as number)) break;
      target -= outStrides[k] * counter[k];
      counter[k] = 0;
    }
  }
  return cpu.makeTensorInfo(
    [...out].map((letter) => sizes.get(letter) as number),
    'float32',
    Float32Array.from(result),
  );
}

let einsumReplaced = false;
function replaceEinsumKernel(): void {
  if (einsumReplaced) return;
  tf.unregisterKernel('Einsum', 'cpu');
  tf.registerKernel({ kernelName: 'Einsum', backendName: 'cpu', kernelFunc: einsumByDefinition as unknown as tf.KernelFunc });
  einsumReplaced = true;
}

/** The original engine for TF.js graph models (MAXIM): @tensorflow/tfjs on its pure-JS CPU backend. */
export class TfjsGraphReference {
  private constructor(private readonly model: tf.GraphModel) {}

  static async load(modelJson: string): Promise<TfjsGraphReference> {
    await startQuietCpuBackend();
    replaceEinsumKernel();
    const model = await tf.loadGraphModel(tf.io.fromMemory(modelArtifacts(modelJson)));
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
