import type { Catalog } from '../catalog/catalog';
import { DEFAULT_ROLES, type DefaultRole } from '../catalog/manifest';
import type { EvalTable, RoleChoice } from './report';
import { meanScores, type Scores } from './score';
import type { EvalDomain } from './test-set';

interface RoleBasis {
  degradations: readonly string[];
  domain: EvalDomain;
  /** Catalog domains a candidate may have: a photo default is not picked from anime-only models, and back. */
  modelDomains: readonly string[];
}

/**
 * Where each role is decided: upscaling by ×4 (the catalog's upscalers are ×4 first; ×2 is reached by a
 * resample) on the images of the role's domain; restoration on both strengths of its degradation.
 */
// Roles without a basis here (issue 14's MAXIM roles, until their degradations are in the eval) are not chosen by it.
const BASIS: Partial<Record<DefaultRole, RoleBasis>> = {
  'photo-upscale': { degradations: ['bicubic-x4'], domain: 'photo', modelDomains: ['photo', 'any'] },
  'art-upscale': { degradations: ['bicubic-x4'], domain: 'art', modelDomains: ['anime-art', 'any'] },
  denoise: { degradations: ['noise-15', 'noise-25'], domain: 'photo', modelDomains: ['photo', 'anime-art', 'any'] },
  'de-jpeg': { degradations: ['jpeg-20', 'jpeg-40'], domain: 'photo', modelDomains: ['photo', 'anime-art', 'any'] },
};

interface Candidate {
  model: string;
  /** Means over the role's tables. */
  scores: Scores;
}

/** How far a detail ratio is from the ground truth's, as much for half the detail as for twice it. */
const detailDistance = (ratio: number) => Math.abs(Math.log(ratio));

/**
 * Restoration: the highest PSNR-Y, since the noise or blocking a model leaves is exactly what PSNR
 * counts. Upscaling: PSNR rewards the blur of a mean prediction (the perception–distortion trade-off,
 * Blau & Michaeli 2018), so among the models that keep the bicubic baseline's structural fidelity
 * (SSIM-Y at least bicubic's) the one whose detail comes closest to the ground truth's wins.
 */
function pick(role: DefaultRole, candidates: Candidate[], bicubic: Scores | undefined): { best: Candidate; basis: string } | undefined {
  const byPsnr = [...candidates].sort((a, b) => b.scores.psnrY - a.scores.psnrY);
  const psnrLeader = byPsnr[0];
  if (!psnrLeader) return undefined;
  const basis = BASIS[role];
  if (!basis) return undefined;
  const where = `${basis.degradations.join(' + ')} (${basis.domain})`;
  if (DEFAULT_ROLES[role] === 'restore' || !bicubic) {
    const margin = byPsnr[1] ? `, ${(psnrLeader.scores.psnrY - byPsnr[1].scores.psnrY).toFixed(2)} dB over ${byPsnr[1].model}` : '';
    return { best: psnrLeader, basis: `highest PSNR-Y on ${where}: ${psnrLeader.scores.psnrY.toFixed(2)} dB${margin}` };
  }
  const faithful = candidates.filter((c) => c.scores.ssimY >= bicubic.ssimY).sort((a, b) => detailDistance(a.scores.detailRatio) - detailDistance(b.scores.detailRatio));
  const best = faithful[0] ?? psnrLeader;
  const numbers = (c: Candidate) => `PSNR-Y ${c.scores.psnrY.toFixed(2)} dB, SSIM-Y ${c.scores.ssimY.toFixed(4)}, detail ${c.scores.detailRatio.toFixed(2)}`;
  const rule = faithful.length
    ? `of the ${faithful.length} models with SSIM-Y ≥ bicubic's (${bicubic.ssimY.toFixed(4)}) on ${where}, detail closest to the ground truth's`
    : `no model reaches bicubic's SSIM-Y on ${where}; highest PSNR-Y`;
  const leader = best === psnrLeader ? '' : `; PSNR leader ${psnrLeader.model} (${numbers(psnrLeader)})`;
  return { best, basis: `${rule}: ${numbers(best)}${leader}` };
}

/** The catalog default each role should have, from the tables of a full evaluation. */
export function chooseDefaults(tables: readonly EvalTable[], catalog: Pick<Catalog, 'get' | 'defaultForRole'>): RoleChoice[] {
  const choices: RoleChoice[] = [];
  for (const role of Object.keys(BASIS) as DefaultRole[]) {
    const basis = BASIS[role];
    if (!basis) continue;
    const used = tables.filter((t) => basis.degradations.includes(t.degradation) && t.domain === basis.domain);
    if (used.length !== basis.degradations.length) continue;
    const results = new Map<string, Scores[]>();
    for (const table of used) {
      for (const method of table.methods) {
        if (method.kind !== 'model' || !method.domain || !basis.modelDomains.includes(method.domain)) continue;
        if (catalog.get(method.method).task !== DEFAULT_ROLES[role]) continue;
        results.set(method.method, [...(results.get(method.method) ?? []), method.mean]);
      }
    }
    const candidates = [...results].filter(([, all]) => all.length === used.length).map(([model, all]) => ({ model, scores: meanScores(all) }));
    const bicubicResults = used.map((t) => t.methods.find((m) => m.method === 'bicubic')?.mean).filter((s): s is Scores => s !== undefined);
    const chosen = pick(role, candidates, bicubicResults.length === used.length ? meanScores(bicubicResults) : undefined);
    if (chosen) choices.push({ role, model: chosen.best.model, catalogModel: catalog.defaultForRole(role).id, basis: chosen.basis });
  }
  return choices;
}
