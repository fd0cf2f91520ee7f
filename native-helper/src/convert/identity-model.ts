import { IDENTITY_MODEL_ID } from '../protocol';
import { GraphBuilder } from './onnx';

/**
 * The self-test's model: its output is its input. Run through the tiled pipeline, an 8-bit or 16-bit
 * image comes back byte-identical (v / max in float32 and back rounds to v), so a round trip through
 * the helper proves the transfer, not a model.
 */
export const IDENTITY_MODEL = { id: IDENTITY_MODEL_ID, input: 'input', output: 'output' } as const;

export function identityModelBytes(): Uint8Array {
  const g = new GraphBuilder(IDENTITY_MODEL.id);
  g.input(IDENTITY_MODEL.input, 'float32', [1, 3, 'H', 'W']);
  g.node('Identity', [IDENTITY_MODEL.input], [IDENTITY_MODEL.output]);
  g.output(IDENTITY_MODEL.output, 'float32', [1, 3, 'H', 'W']);
  return g.toModel();
}
