/** Builds the self-test's identity model and writes its manifest with the sha256 of its bytes. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { sha256Hex } from '../../native-helper/src/catalog/build-model';
import { modelManifestSchema } from '../../native-helper/src/catalog/manifest';
import { IDENTITY_MODEL, identityModelBytes } from '../../native-helper/src/convert/identity-model';

const bytes = identityModelBytes();
const manifest = modelManifestSchema.parse({
  id: IDENTITY_MODEL.id,
  title: 'Identity (output = input), for the panel’s self-test; it does not change the image',
  task: 'restore',
  scale: 1,
  domain: 'any',
  io: { input: IDENTITY_MODEL.input, output: IDENTITY_MODEL.output, layout: 'NCHW', channelOrder: 'RGB', valueRange: [0, 1] },
  // No receptive field: tiles need no overlap, and the side only sets how many runs a job makes.
  tiling: { tile: 256, maxTile: 1024, overlap: 0, multipleOf: 1, minSize: 1 },
  license: 'MIT (Mend)',
  source: { files: ['native-helper/src/convert/identity-model.ts'], converter: 'script' },
  file: `${IDENTITY_MODEL.id}.onnx`,
  sha256: sha256Hex(bytes),
  default: false,
});
const file = path.join(__dirname, '..', 'manifests', `${IDENTITY_MODEL.id}.json`);
writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`${file}: ${bytes.byteLength} bytes, sha256 ${manifest.sha256}`);
