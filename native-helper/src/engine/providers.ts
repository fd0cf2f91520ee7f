/** Execution providers Mend knows, by the names onnxruntime-node uses. */
export const PROVIDERS = ['cpu', 'webgpu', 'dml', 'coreml', 'cuda'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

export function isProviderName(name: string): name is ProviderName {
  return (PROVIDERS as readonly string[]).includes(name);
}

/** GPU providers to try, best first, on a platform; CPU is always the last resort. */
export function gpuProvidersFor(platform: NodeJS.Platform): ProviderName[] {
  if (platform === 'win32') return ['dml', 'webgpu'];
  if (platform === 'darwin') return ['coreml', 'webgpu'];
  return ['cuda', 'webgpu'];
}
