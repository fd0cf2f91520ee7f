import { GraphBuilder, attr } from '../convert/onnx';
import type { SessionIo } from './inference-engine';

export const PROBE_IO: SessionIo = { input: 'input', output: 'output' };

let bytes: Uint8Array | undefined;

/** A one-convolution model: loading it tells which execution provider works before any real model is needed. */
export function probeModel(): Uint8Array {
  if (!bytes) {
    const g = new GraphBuilder('mend-probe');
    g.input(PROBE_IO.input, 'float32', [1, 3, 'H', 'W']);
    const identity = new Float32Array([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    const weight = g.initializer('weight', identity, [3, 3, 1, 1]);
    g.node('Conv', [PROBE_IO.input, weight], [PROBE_IO.output], { kernel_shape: attr.ints([1, 1]) });
    g.output(PROBE_IO.output, 'float32', [1, 3, 'H', 'W']);
    bytes = g.toModel();
  }
  return bytes;
}
