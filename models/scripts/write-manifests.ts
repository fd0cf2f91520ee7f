/**
 * Converts the recipes of the catalog (all, or those whose ids are given as arguments) and writes each
 * manifest with the sha256 of the files produced.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildModelBytes, sha256Hex } from '../../native-helper/src/catalog/build-model';
import { modelFiles } from '../../native-helper/src/catalog/manifest';
import { RECIPES, manifestOf } from './catalog-recipes';

async function main(ids: string[]): Promise<void> {
  const unknown = ids.filter((id) => !RECIPES.some((r) => r.id === id));
  if (unknown.length) throw new Error(`no recipe has the id ${unknown.join(', ')}`);
  const dir = path.join(__dirname, '..', 'manifests');
  mkdirSync(dir, { recursive: true });
  for (const recipe of RECIPES.filter((r) => !ids.length || ids.includes(r.id))) {
    const hashes = new Map<string, string>();
    const draft = manifestOf(recipe, () => '0'.repeat(64));
    for (const file of modelFiles(draft)) {
      const started = performance.now();
      const bytes = await buildModelBytes(draft, file);
      hashes.set(file.file, sha256Hex(bytes));
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(`${file.file.padEnd(36)} ${(bytes.byteLength / 1e6).toFixed(1).padStart(6)} MB  ${sha256Hex(bytes).slice(0, 12)}  ${seconds} s`);
    }
    const manifest = manifestOf(recipe, (file) => hashes.get(file) ?? '');
    writeFileSync(path.join(dir, `${recipe.id}.json`), `${JSON.stringify(manifest, null, 2)}\n`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
