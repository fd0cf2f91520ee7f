/** Builds the classical inpainting operator and writes its manifest with the sha256 of its bytes. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { sha256Hex } from '../../native-helper/src/catalog/build-model';
import { modelManifestSchema } from '../../native-helper/src/catalog/manifest';
import { CLASSICAL_INPAINT, classicalInpaintModelBytes } from '../../native-helper/src/convert/classical-inpaint';

const bytes = classicalInpaintModelBytes();
const manifest = modelManifestSchema.parse({
  id: CLASSICAL_INPAINT.id,
  title: 'Classical fill (push-pull normalized convolution + edge-oriented diffusion; no learned weights)',
  task: 'inpaint',
  scale: 1,
  domain: 'any',
  io: {
    input: CLASSICAL_INPAINT.input,
    output: CLASSICAL_INPAINT.output,
    layout: 'NCHW',
    channelOrder: 'RGB',
    valueRange: [0, 1],
    mask: { name: CLASSICAL_INPAINT.mask, holeValue: 1, keepValue: 0 },
  },
  // The operator is a few passes over the window: large working sides cost little.
  tiling: { tile: 1024, maxTile: 2048, overlap: 0, multipleOf: 1, minSize: 1 },
  license: 'MIT (Mend)',
  source: { files: ['native-helper/src/convert/classical-inpaint.ts'], converter: 'script' },
  file: `${CLASSICAL_INPAINT.id}.onnx`,
  sha256: sha256Hex(bytes),
  default: true,
});
const file = path.join(__dirname, '..', 'manifests', `${CLASSICAL_INPAINT.id}.json`);
writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`${file}: ${bytes.byteLength} bytes, sha256 ${manifest.sha256}`);
