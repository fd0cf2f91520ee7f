import { Engine, openOrtSession, type SessionOpener } from '../../native-helper/src/engine/engine';
import { providerOrder } from '../../native-helper/src/engine/providers';
import { identityModel } from '../helpers/tiny-models';

const io = { input: 'input', output: 'output' };

/** Opens sessions with onnxruntime on the CPU only; every other provider fails as a GPU without a device does. */
function cpuOnly(tried: string[]): SessionOpener {
  return (model, provider) => {
    tried.push(provider);
    if (provider === 'cpu') return openOrtSession(model, provider);
    return Promise.reject(new Error(`/onnxruntime_src/providers/${provider}/context.cc:136 Failed to get a ${provider} adapter: none in this test`));
  };
}

describe('GPU → CPU fallback', () => {
  it('a GPU provider that cannot create a session hands the model to the CPU, and the status says why', async () => {
    const tried: string[] = [];
    const logged: string[] = [];
    const engine = new Engine({ openSession: cpuOnly(tried), log: (message) => logged.push(message) });
    try {
      const input = Float32Array.from({ length: 3 * 4 * 5 }, (_, i) => i / 60);
      const session = await engine.load(identityModel(), io, 'identity');
      expect(session.provider).toBe('cpu');
      expect(Array.from((await session.run(input, 4, 5)).data)).toEqual(Array.from(input));

      const gpus = tried.slice(0, -1);
      expect(tried.at(-1)).toBe('cpu');
      expect(gpus.length).toBeGreaterThan(0);
      const status = engine.status();
      expect(status?.provider).toBe('cpu');
      expect(status?.fallbackReason).toBe(gpus.map((p) => `${p} unavailable: Failed to get a ${p} adapter: none in this test`).join('; '));
      expect(logged).toEqual(gpus.map((p) => `${p} unavailable: Failed to get a ${p} adapter: none in this test; trying the next provider`));

      tried.length = 0;
      await engine.load(identityModel(), io, 'identity-again');
      expect(tried).toEqual(['cpu']);
    } finally {
      await engine.close();
    }
  });

  it('a forced GPU provider that fails is the answer: no fallback to the CPU', async () => {
    const tried: string[] = [];
    const engine = new Engine({ provider: 'webgpu', openSession: cpuOnly(tried) });
    try {
      await expect(engine.load(identityModel(), io, 'identity')).rejects.toMatchObject({
        code: 'model_invalid',
        message: 'could not load identity with the webgpu provider: Failed to get a webgpu adapter: none in this test',
      });
      expect(tried).toEqual(['webgpu']);
      expect(engine.status()).toBeUndefined();
    } finally {
      await engine.close();
    }
  });

  it('never tries WebGPU unforced where the probe found a CPU adapter or none, and says why; forced, it is tried', async () => {
    const tried: string[] = [];
    const probe = jest.fn(async () => ({ usable: false, adapter: 'SwiftShader Device (Subzero)', cpuAdapter: true, reason: 'the adapter runs on the CPU' }));
    const engine = new Engine({ openSession: cpuOnly(tried), webgpuProbe: probe });
    try {
      expect((await engine.load(identityModel(), io, 'identity')).provider).toBe('cpu');
      expect(tried).not.toContain('webgpu');
      expect(engine.status()?.fallbackReason).toContain('webgpu not tried: the adapter runs on the CPU');
      expect(await engine.webgpuAdapter()).toMatchObject({ adapter: 'SwiftShader Device (Subzero)' });
      expect(probe).toHaveBeenCalledTimes(1);
    } finally {
      await engine.close();
    }
    const forcedTried: string[] = [];
    const forced = new Engine({ provider: 'webgpu', openSession: cpuOnly(forcedTried), webgpuProbe: probe });
    await expect(forced.load(identityModel(), io, 'identity')).rejects.toThrow(/webgpu/);
    expect(forcedTried).toEqual(['webgpu']);
    await forced.close();
  });

  it('a run that fails on a GPU provider (a device lost mid-job) continues on the CPU, logged and in the status; later models load on the CPU', async () => {
    const tried: string[] = [];
    const logged: string[] = [];
    let gpuRuns = 0;
    // A session that opens on "webgpu" and then loses its device on its second run.
    const losing: SessionOpener = async (model, provider) => {
      tried.push(provider);
      const session = await openOrtSession(model, 'cpu');
      if (provider === 'cpu') return session;
      return new Proxy(session, {
        get(target, property, receiver) {
          if (property !== 'run') return Reflect.get(target, property, receiver);
          return (...args: Parameters<typeof session.run>) => {
            gpuRuns += 1;
            if (gpuRuns >= 2) return Promise.reject(new Error('/onnxruntime_src/webgpu/webgpu_context.cc:99 Failed to wait for the operation: device lost'));
            return target.run(...args);
          };
        },
      });
    };
    const engine = new Engine({ openSession: losing, log: (message) => logged.push(message), webgpuProbe: async () => ({ usable: true, cpuAdapter: false }) });
    try {
      const input = Float32Array.from({ length: 3 * 4 * 5 }, (_, i) => i / 60);
      const session = await engine.load(identityModel(), io, 'identity');
      expect(session.provider).not.toBe('cpu');
      expect(Array.from((await session.run(input, 4, 5)).data)).toEqual(Array.from(input));
      expect(Array.from((await session.run(input, 4, 5)).data)).toEqual(Array.from(input));
      expect(session.provider).toBe('cpu');
      expect(Array.from((await session.run(input, 4, 5)).data)).toEqual(Array.from(input));
      expect(gpuRuns).toBe(2);
      const why = `${tried[0]} failed during a run: Failed to wait for the operation: device lost`;
      expect(logged).toContain(`${why}; continuing on the CPU`);
      expect(engine.status()).toMatchObject({ provider: 'cpu', fallbackReason: why });

      tried.length = 0;
      expect((await engine.load(identityModel(), io, 'identity-later')).provider).toBe('cpu');
      expect(tried).toEqual(['cpu']);
    } finally {
      await engine.close();
    }
  });

  // With onnxruntime as it is on this machine: where no GPU provider can start (no adapter, no CUDA), this runs the fallback for real.
  it('left to choose, serves a model on a provider this build offers, and says why when that is the CPU', async () => {
    const engine = new Engine();
    try {
      const session = await engine.load(identityModel(), io, 'identity');
      const status = engine.status();
      expect(status?.provider).toBe(session.provider);
      expect(status?.available).toContain(session.provider);
      const gpusTried = providerOrder({ platform: process.platform, available: status?.available ?? [] }).length > 1;
      if (session.provider === 'cpu' && gpusTried) expect(status?.fallbackReason).toMatch(/unavailable: /);
      else expect(status?.fallbackReason).toBeUndefined();
    } finally {
      await engine.close();
    }
  });
});
