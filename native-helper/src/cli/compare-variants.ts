import { InvalidArgumentError } from 'commander';
import { MendError } from '../errors';
import { MAX_COMPARE_VARIANTS, MAX_DETAIL, MIN_COMPARE_VARIANTS, type Precision, type UpscaleOptions } from '../protocol';

const DETAIL_PREFIX = 'detail:';

/** A detail strength from 0 to MAX_DETAIL, or undefined for anything else. */
function parseDetail(value: string): number | undefined {
  const n = Number(value);
  return value.trim() === '' || !Number.isFinite(n) || n < 0 || n > MAX_DETAIL ? undefined : n;
}

/** Parses `--detail`'s value, refusing anything but a number from 0 to MAX_DETAIL. */
export function detailStrength(value: string): number {
  const detail = parseDetail(value);
  if (detail === undefined) throw new InvalidArgumentError(`--detail must be a number from 0 to ${MAX_DETAIL}`);
  return detail;
}

/** `--compare`'s value: its comma-separated items. */
export function compareItems(value: string): string[] {
  const items = value.split(',').map((item) => item.trim());
  if (items.some((item) => item === '')) throw new InvalidArgumentError('--compare takes model ids (or detail:k strengths) separated by commas, without empty items');
  return items;
}

/** The flags of `mend upscale` a compare run's variants share. */
export interface CompareFlags {
  model?: string;
  scale?: number;
  tile?: number;
  detail?: number;
  /** Every variant's precision (checked by the job's schema). */
  precision?: Precision;
}

/**
 * The variants of `mend upscale --compare`: each model id at the run's --detail, or each `detail:k` strength
 * of --model (the catalog's default upscaler without it). Checked here so each refusal names the flags.
 */
export function compareVariants(items: string[], flags: CompareFlags): UpscaleOptions[] {
  if (items.length < MIN_COMPARE_VARIANTS || items.length > MAX_COMPARE_VARIANTS) {
    throw new MendError('bad_usage', `--compare takes ${MIN_COMPARE_VARIANTS} to ${MAX_COMPARE_VARIANTS} variants separated by commas, not ${items.length}`);
  }
  const strengths = items.filter((item) => item.startsWith(DETAIL_PREFIX));
  const shared = { task: 'upscale' as const, scale: flags.scale, tile: flags.tile, precision: flags.precision };
  const twice = items.find((item, i) => items.indexOf(item) !== i);
  if (twice) throw new MendError('bad_usage', `--compare names ${twice} twice; each variant is written to a file of its own`);
  if (strengths.length === 0) {
    if (flags.model) {
      throw new MendError('bad_usage', '--compare names the models to compare: leave out --model, or compare its detail strengths with --compare detail:0,detail:1');
    }
    return items.map((model) => ({ ...shared, model, detail: flags.detail }));
  }
  if (strengths.length !== items.length) throw new MendError('bad_usage', '--compare takes model ids (id1,id2) or detail strengths of one model (detail:0,detail:1), not both');
  if (flags.detail !== undefined) throw new MendError('bad_usage', '--compare detail:… gives each variant its detail strength: leave out --detail');
  return strengths.map((item) => {
    const detail = parseDetail(item.slice(DETAIL_PREFIX.length));
    if (detail === undefined) throw new MendError('bad_usage', `--compare ${item}: a detail strength is a number from 0 to ${MAX_DETAIL}`);
    return { ...shared, model: flags.model, detail };
  });
}
