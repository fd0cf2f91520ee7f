import type { Catalog } from '../catalog/catalog';
import { DEFAULT_ROLES, type DefaultRole } from '../catalog/manifest';
import type { EvalTable, MethodResult, RoleChoice } from './report';
import type { EvalDomain } from './test-set';

interface RoleBasis {
  degradations: readonly string[];
  domain: EvalDomain;
  /** Catalog domains a candidate may have: a photo default is not picked from anime-only models, and back. */
  modelDomains: readonly string[];
}

/**
 * Where each role is decided. Upscaling by ×4 (the catalog's upscalers are ×4 first; ×2 is reached by a
 * resample) on the images of the role's domain; the restoration roles on both strengths of their degradation.
 */
const BASIS: Record<DefaultRole, RoleBasis> = {
  'photo-upscale': { degradations: ['bicubic-x4'], domain: 'photo', modelDomains: ['photo', 'any'] },
  'art-upscale': { degradations: ['bicubic-x4'], domain: 'art', modelDomains: ['anime-art', 'any'] },
  denoise: { degradations: ['noise-15', 'noise-25'], domain: 'photo', modelDomains: ['photo', 'anime-art', 'any'] },
  'de-jpeg': { degradations: ['jpeg-20', 'jpeg-40'], domain: 'photo', modelDomains: ['photo', 'anime-art', 'any'] },
};

const average = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/**
 * The model per role with the highest mean PSNR on Y over the role's tables. PSNR (fidelity) decides
 * because the degradations have an exact ground truth; detail ratio and the contact sheets are
 * reported beside it for the perceptual side, which a 4-photo PSNR table cannot settle.
 */
export function chooseDefaults(tables: readonly EvalTable[], catalog: Catalog): RoleChoice[] {
  const choices: RoleChoice[] = [];
  for (const role of Object.keys(BASIS) as DefaultRole[]) {
    const basis = BASIS[role];
    const used = tables.filter((t) => basis.degradations.includes(t.degradation) && t.domain === basis.domain);
    if (used.length !== basis.degradations.length) continue;
    const candidates = new Map<string, MethodResult[]>();
    for (const table of used) {
      for (const method of table.methods) {
        if (method.kind !== 'model' || !method.domain || !basis.modelDomains.includes(method.domain)) continue;
        if (catalog.get(method.method).task !== DEFAULT_ROLES[role]) continue;
        candidates.set(method.method, [...(candidates.get(method.method) ?? []), method]);
      }
    }
    const ranked = [...candidates]
      .filter(([, results]) => results.length === used.length)
      .map(([model, results]) => ({ model, psnrY: average(results.map((r) => r.mean.psnrY)) }))
      .sort((a, b) => b.psnrY - a.psnrY);
    if (ranked.length === 0) continue;
    const [best, runnerUp] = ranked;
    const margin = runnerUp ? `, ${(best.psnrY - runnerUp.psnrY).toFixed(2)} dB over ${runnerUp.model}` : '';
    choices.push({
      role,
      model: best.model,
      catalogModel: catalog.defaultForRole(role).id,
      basis: `highest mean PSNR-Y on ${basis.degradations.join(' + ')} (${basis.domain}): ${best.psnrY.toFixed(2)} dB${margin}`,
    });
  }
  return choices;
}
