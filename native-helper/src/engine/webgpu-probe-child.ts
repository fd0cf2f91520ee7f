import * as ort from 'onnxruntime-node';
import { toFloat16 } from '../convert/onnx/to-float16';
import { messageOf } from '../errors';
import { ORT_LOG_ERRORS_ONLY } from './ort-log-level';
import { PROBE_IO, probeModel } from './probe-model';
import type { ProbeChildAnswer } from './webgpu-probe';

/**
 * The WebGPU probe's child process (see `runWebGpuProbe`): opens the one-convolution probe model on the WebGPU
 * provider and runs it once, since an adapter that opens a session may still fail to run one, then its fp16
 * variant, then prints its answer as one JSON line. Its stderr, where Dawn writes, is read by the parent alone.
 */
const PIXELS = Float32Array.from([0.25, 0.5, 0.75]);

/** Runs a probe model (an identity) once on WebGPU. */
async function runOnWebGpu(model: Uint8Array): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(model, { executionProviders: ['webgpu'], logSeverityLevel: ORT_LOG_ERRORS_ONLY });
  try {
    const input = new ort.Tensor('float32', PIXELS, [1, 3, 1, 1]);
    return (await session.run({ [PROBE_IO.input]: input }))[PROBE_IO.output].data as Float32Array;
  } finally {
    await session.release();
  }
}

/** Any answer but the probe's input is a broken adapter (1e-3: fp16 keeps 11 bits). */
const isIdentity = (output: Float32Array) => PIXELS.every((value, i) => Math.abs(output[i] - value) < 1e-3);

async function probe(): Promise<ProbeChildAnswer> {
  try {
    const output = await runOnWebGpu(probeModel());
    if (!isIdentity(output)) return { ok: false, reason: `the WebGPU provider computed [${[...output].join(', ')}] for [${[...PIXELS].join(', ')}]` };
  } catch (error) {
    return { ok: false, reason: messageOf(error) };
  }
  // onnxruntime places fp16 nodes on WebGPU whatever the adapter; one without `shader-f16` fails at the run
  // (SwiftShader: "Program Transpose requires f16 but the device does not support it").
  const shaderF16 = await runOnWebGpu(toFloat16(probeModel())).then(isIdentity, () => false);
  return { ok: true, shaderF16 };
}

void probe().then((answer) => {
  process.stdout.write(`${JSON.stringify(answer)}\n`);
  // Dawn's threads may keep the process alive; the answer is all the parent waits for.
  process.exit(0);
});
