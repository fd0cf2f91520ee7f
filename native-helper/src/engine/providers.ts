import { MendError } from '../errors';

/** Execution providers Mend knows, by the names onnxruntime-node uses. */
export const PROVIDERS = ['cpu', 'webgpu', 'dml', 'coreml', 'cuda'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

/** A provider named by the user (`--provider`, MEND_PROVIDER), in any case. */
export function parseProviderName(name: string): ProviderName {
  const lower = name.toLowerCase();
  const known = PROVIDERS.find((p) => p === lower);
  if (!known) throw new MendError('bad_usage', `unknown provider "${name}"; use one of: ${PROVIDERS.join(', ')}`);
  return known;
}

/** GPU providers to try, best first, on a platform. */
function gpuProvidersFor(platform: NodeJS.Platform): ProviderName[] {
  if (platform === 'win32') return ['dml', 'webgpu'];
  if (platform === 'darwin') return ['coreml', 'webgpu'];
  return ['cuda', 'webgpu'];
}

export interface ProviderChoice {
  /** The provider the user forced: it alone is tried, and its failure is the answer. */
  forced?: ProviderName;
  platform: NodeJS.Platform;
  /** The providers this onnxruntime build offers here. */
  available: readonly ProviderName[];
  /** The provider earlier models were loaded with: later ones try it, then the CPU, not the GPUs that failed. */
  settled?: ProviderName;
  /** Providers a probe found no use in (WebGPU on a CPU adapter or none): never tried unless forced. */
  unusable?: readonly ProviderName[];
}

/** The providers to try a model on, in order; the CPU is the last resort unless a provider is forced. */
export function providerOrder({ forced, platform, available, settled, unusable = [] }: ProviderChoice): ProviderName[] {
  if (forced) return [forced];
  if (settled) return settled === 'cpu' ? ['cpu'] : [settled, 'cpu'];
  return [...gpuProvidersFor(platform).filter((p) => available.includes(p) && !unusable.includes(p)), 'cpu'];
}
