/** Converts every recipe of the catalog and writes its manifest with the sha256 of the result. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildModelBytes, sha256Hex } from '../../native-helper/src/catalog/build-model';
import { RECIPES, manifestOf } from './catalog-recipes';

async function main(): Promise<void> {
  const dir = path.join(__dirname, '..', 'manifests');
  mkdirSync(dir, { recursive: true });
  for (const recipe of RECIPES) {
    const draft = manifestOf(recipe, '0'.repeat(64));
    const bytes = await buildModelBytes(draft);
    const manifest = manifestOf(recipe, sha256Hex(bytes));
    writeFileSync(path.join(dir, `${recipe.id}.json`), `${JSON.stringify(manifest, null, 2)}\n`);
    console.log(`${recipe.id.padEnd(32)} ${(bytes.byteLength / 1e6).toFixed(1).padStart(6)} MB  ${manifest.sha256.slice(0, 12)}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
