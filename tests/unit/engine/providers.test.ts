import { MendError } from '../../../native-helper/src/errors';
import { parseProviderName, providerOrder } from '../../../native-helper/src/engine/providers';

describe('provider order', () => {
  const everything = ['cpu', 'webgpu', 'dml', 'coreml', 'cuda'] as const;

  it("tries the platform's GPU providers this build offers, best first, then the CPU", () => {
    expect(providerOrder({ platform: 'linux', available: everything })).toEqual(['cuda', 'webgpu', 'cpu']);
    expect(providerOrder({ platform: 'win32', available: everything })).toEqual(['dml', 'webgpu', 'cpu']);
    expect(providerOrder({ platform: 'darwin', available: everything })).toEqual(['coreml', 'webgpu', 'cpu']);
  });

  it('leaves out GPU providers the build lacks; with none the CPU alone is tried', () => {
    expect(providerOrder({ platform: 'linux', available: ['cpu', 'webgpu'] })).toEqual(['webgpu', 'cpu']);
    expect(providerOrder({ platform: 'win32', available: ['cpu', 'cuda'] })).toEqual(['cpu']);
  });

  it('tries a forced provider alone, offered or not: its failure is the answer', () => {
    expect(providerOrder({ forced: 'cpu', platform: 'linux', available: everything })).toEqual(['cpu']);
    expect(providerOrder({ forced: 'coreml', platform: 'linux', available: ['cpu'] })).toEqual(['coreml']);
    expect(providerOrder({ forced: 'webgpu', platform: 'linux', available: everything, settled: 'webgpu' })).toEqual(['webgpu']);
  });

  it('leaves out providers a probe found unusable (WebGPU on a CPU adapter), unless forced', () => {
    expect(providerOrder({ platform: 'linux', available: everything, unusable: ['webgpu'] })).toEqual(['cuda', 'cpu']);
    expect(providerOrder({ platform: 'win32', available: ['cpu', 'webgpu'], unusable: ['webgpu'] })).toEqual(['cpu']);
    expect(providerOrder({ forced: 'webgpu', platform: 'linux', available: everything, unusable: ['webgpu'] })).toEqual(['webgpu']);
  });

  it('once a provider served a model, tries it and then the CPU, not again the GPUs that failed', () => {
    expect(providerOrder({ platform: 'linux', available: everything, settled: 'webgpu' })).toEqual(['webgpu', 'cpu']);
    expect(providerOrder({ platform: 'linux', available: everything, settled: 'cpu' })).toEqual(['cpu']);
  });

  it('reads a provider named in any case and refuses an unknown one, listing the known', () => {
    expect(parseProviderName('CUDA')).toBe('cuda');
    expect(() => parseProviderName('metal')).toThrow(MendError);
    expect(() => parseProviderName('metal')).toThrow('unknown provider "metal"; use one of: cpu, webgpu, dml, coreml, cuda');
  });
});
