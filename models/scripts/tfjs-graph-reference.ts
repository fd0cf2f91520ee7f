import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { modelArtifacts } from './tfjs-cpu';

/** What the Einsum kernel uses of tfjs-backend-wasm's backend (its class is not exported). */
interface WasmBackend {
  disposeData(dataId: object): void;
}

/** One of tfjs-backend-wasm's own kernels, called from inside another kernel as its kernels call each other. */
function wasmKernel(name: string, backend: unknown, inputs: Record<string, tf.TensorInfo>, attrs: tf.NamedAttrMap): tf.TensorInfo {
  const kernel = tf.getKernel(name, 'wasm');
  if (!kernel) throw new Error(`tfjs-backend-wasm has no ${name} kernel`);
  return kernel.kernelFunc({ inputs, backend: backend as tf.KernelBackend, attrs }) as tf.TensorInfo;
}

/**
 * Einsum of two operands on tfjs-backend-wasm, which has no Einsum kernel: from the equation alone, each
 * operand is transposed to [shared, own, summed] letters, the two multiplied as one batched matrix
 * product by tfjs's own BatchMatMul kernel, and the result transposed to the output's letter order.
 * tfjs-cpu's Einsum instead multiplies the broadcast operands out in full before summing, which for
 * MAXIM's resize and dense-layer Einsums at 256² means gigabytes per op; a loop straight from the
 * definition in JavaScript took 85% of a 256² run (742 of 877 s). Written independently of the
 * converter's MatMul lowering, so it still checks that lowering.
 */
function einsumAsBatchMatMul({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const equation = String(attrs?.equation).replace(/\s/g, '');
  const [left, out] = equation.split('->');
  const [lettersA, lettersB, ...more] = left.split(',');
  // tfjs hands the operands over as an array.
  const [a, b] = Object.values(inputs) as tf.TensorInfo[];
  const repeated = (letters: string) => new Set(letters).size !== letters.length;
  const summedAlone = [...lettersA, ...lettersB].filter((letter) => !out.includes(letter) && !(lettersA.includes(letter) && lettersB.includes(letter)));
  if (more.length > 0 || !b || out === undefined || repeated(lettersA) || repeated(lettersB) || repeated(out) || summedAlone.length > 0) {
    throw new Error(`the reference Einsum takes two operands whose letters each appear once per operand and are summed only when shared, not "${equation}"`);
  }
  const shared = [...out].filter((letter) => lettersA.includes(letter) && lettersB.includes(letter));
  const summed = [...lettersA].filter((letter) => lettersB.includes(letter) && !out.includes(letter));
  const ownA = [...lettersA].filter((letter) => !lettersB.includes(letter));
  const ownB = [...lettersB].filter((letter) => !lettersA.includes(letter));
  const size = (letter: string) => (lettersA.includes(letter) ? a.shape[lettersA.indexOf(letter)] : b.shape[lettersB.indexOf(letter)]);
  const product = (letters: string[]) => letters.reduce((n, letter) => n * size(letter), 1);
  const disposals: tf.TensorInfo[] = [];
  const keep = (info: tf.TensorInfo) => (disposals.push(info), info);
  try {
    const orderedA = keep(wasmKernel('Transpose', backend, { x: a }, { perm: [...shared, ...ownA, ...summed].map((l) => lettersA.indexOf(l)) }));
    const orderedB = keep(wasmKernel('Transpose', backend, { x: b }, { perm: [...shared, ...summed, ...ownB].map((l) => lettersB.indexOf(l)) }));
    const matrixA = keep(wasmKernel('Reshape', backend, { x: orderedA }, { shape: [product(shared), product(ownA), product(summed)] }));
    const matrixB = keep(wasmKernel('Reshape', backend, { x: orderedB }, { shape: [product(shared), product(summed), product(ownB)] }));
    const multiplied = keep(wasmKernel('BatchMatMul', backend, { a: matrixA, b: matrixB }, { transposeA: false, transposeB: false }));
    const resultLetters = [...shared, ...ownA, ...ownB];
    const result = keep(wasmKernel('Reshape', backend, { x: multiplied }, { shape: resultLetters.map(size) }));
    return wasmKernel('Transpose', backend, { x: result }, { perm: [...out].map((letter) => resultLetters.indexOf(letter)) });
  } finally {
    for (const info of disposals) (backend as WasmBackend).disposeData(info.dataId);
  }
}

async function startWasmBackend(): Promise<void> {
  await tf.setBackend('wasm');
  if (!tf.getKernel('Einsum', 'wasm')) tf.registerKernel({ kernelName: 'Einsum', backendName: 'wasm', kernelFunc: einsumAsBatchMatMul as unknown as tf.KernelFunc });
}

/**
 * The original engine for TF.js graph models (MAXIM): @tensorflow/tfjs on its WebAssembly backend. On the
 * shared 2-core machine maxim-enhancement at 64² took 11.5 s here and 159 s on the pure-JS CPU backend.
 */
export class TfjsGraphReference {
  private constructor(private readonly model: tf.GraphModel) {}

  static async load(modelJson: string): Promise<TfjsGraphReference> {
    await startWasmBackend();
    const model = await tf.loadGraphModel(tf.io.fromMemory(modelArtifacts(modelJson)));
    return new TfjsGraphReference(model);
  }

  /** Runs the model on an NHWC image (values 0..1); returns the NHWC output. */
  async run(nhwc: Float32Array, height: number, width: number): Promise<Float32Array> {
    const input = tf.tensor4d(nhwc, [1, height, width, 3]);
    // jax2tf graphs have no control flow, so the synchronous executor runs them (and executeAsync would say so on the console).
    const output = this.model.execute(input) as tf.Tensor;
    const result = (await output.data()) as Float32Array;
    tf.dispose([input, output]);
    return result;
  }

  dispose(): void {
    this.model.dispose();
  }
}
