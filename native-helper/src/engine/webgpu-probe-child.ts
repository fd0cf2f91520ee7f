import * as ort from 'onnxruntime-node';
import { messageOf } from '../errors';
import { ORT_LOG_ERRORS_ONLY } from './ort-log-level';
import { PROBE_IO, probeModel } from './probe-model';
import type { ProbeChildAnswer } from './webgpu-probe';

/**
 * The WebGPU probe's child process (see `runWebGpuProbe`): opens the one-convolution probe model on the WebGPU
 * provider and runs it once, since an adapter that opens a session may still fail to run one, then prints its
 * answer as one JSON line. Its stderr, where Dawn writes, is read by the parent alone.
 */
async function probe(): Promise<ProbeChildAnswer> {
  try {
    const session = await ort.InferenceSession.create(probeModel(), { executionProviders: ['webgpu'], logSeverityLevel: ORT_LOG_ERRORS_ONLY });
    const pixels = Float32Array.from([0.25, 0.5, 0.75]);
    const input = new ort.Tensor('float32', pixels, [1, 3, 1, 1]);
    const output = (await session.run({ [PROBE_IO.input]: input }))[PROBE_IO.output].data as Float32Array;
    await session.release();
    // The probe model is an identity: any other answer is a broken adapter.
    if (!pixels.every((value, i) => Math.abs(output[i] - value) < 1e-6))
      return { ok: false, reason: `the WebGPU provider computed [${[...output].join(', ')}] for [${[...pixels].join(', ')}]` };
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: messageOf(error) };
  }
}

void probe().then((answer) => {
  process.stdout.write(`${JSON.stringify(answer)}\n`);
  // Dawn's threads may keep the process alive; the answer is all the parent waits for.
  process.exit(0);
});
