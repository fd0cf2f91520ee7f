/**
 * The panel's services for UI tests. The workflows themselves are tested on their own (tests/unit/workflows)
 * and end to end; here the panel meets a host that answers what the panel calls directly (before/after,
 * reveal) and a helper that answers pairing and info.
 */
import type { Info } from '../../../native-helper/src/protocol';
import { HelperError } from '../../../plugin/src/helper-client/helper-client';
import type { SelfTestReport } from '../../../plugin/src/selftest/report';
import type { PanelServices } from '../../../plugin/src/ui/panel-services';
import type { HelperApi } from '../../../plugin/src/ui/helper-connection';
import { createPanelMenu } from '../../../plugin/src/ui/panel-menu';
import type { Host, TokenStore, WrittenLayer } from '../../../plugin/src/workflows/host';

export const INFO: Info = {
  name: 'mend',
  version: '0.1.0',
  api: 1,
  provider: { name: 'cpu', fallbackReason: 'no GPU' },
  availableProviders: ['cpu'],
  queue: { running: 0, waiting: 0 },
  models: [{ id: 'realesr-animevideov3-x2', task: 'upscale', scale: 2, status: 'ready', default: true }],
};

/** Poll intervals short enough for a test to see the panel reconnect. */
export const FAST = { missing: 20, connected: 1000 };

export const RESULT_LAYER: WrittenLayer = { documentId: 1, layerId: 50 };
/** Where RESULT_LAYER's pixels lie. */
export const RESULT_BOUNDS = { left: 0, top: 0, right: 8, bottom: 6 };

export function memoryTokens(initial?: string): TokenStore & { token?: string } {
  const store: TokenStore & { token?: string } = {
    token: initial,
    load: async () => store.token,
    save: async (t) => {
      store.token = t;
    },
  };
  return store;
}

/** The calls the panel makes on the host itself; `calls` lists them as a user would see their effect. */
export function fakeHost(): { host: Host; calls: string[] } {
  const calls: string[] = [];
  const host = {
    setLayerVisible: jest.fn(async (_layer: WrittenLayer, visible: boolean) => void calls.push(`visible ${visible}`)),
    reveal: jest.fn(async () => void calls.push('reveal')),
  };
  return { host: host as Partial<Host> as Host, calls };
}

/** A helper that is running and paired unless told otherwise; `infoError` makes `info` fail with it; `models` replaces INFO's. */
export function fakeHelper(
  options: { running?: () => boolean; paired?: () => boolean; infoError?: () => Error | undefined; models?: Info['models']; version?: string } = {},
): HelperApi {
  const helper = {
    pair: jest.fn(async (code: string) => {
      if (code !== '123456') throw new HelperError('rejected', 'That pairing code is not right.', 'HTTP 403 bad_code for POST /v1/pair');
      return 'secret';
    }),
    info: jest.fn(async () => {
      const failure = options.infoError?.();
      if (failure) throw failure;
      if (options.running && !options.running()) throw new HelperError('not_running', 'not running');
      if (options.paired && !options.paired()) throw new HelperError('not_paired', 'not paired');
      return { ...INFO, ...(options.models ? { models: options.models } : {}), ...(options.version ? { version: options.version } : {}) };
    }),
  };
  return helper as Partial<HelperApi> as HelperApi;
}

export const PASSING_REPORT: SelfTestReport = {
  startedAt: '2025-03-04T05:06:07.000Z',
  photoshopVersion: '26.1.0',
  pluginVersion: '0.1.0',
  helperVersion: '0.1.0',
  checks: [{ name: 'read layer (8-bit RGB)', passed: true, ms: 12 }],
};

/** PanelServices whose self-test and report destinations are mocks a test can inspect. */
export interface TestPanelServices extends PanelServices {
  runSelfTest: jest.Mock<Promise<SelfTestReport>>;
  reportFile: { copy: jest.Mock<Promise<void>>; save: jest.Mock<Promise<string | undefined>> };
  menu: ReturnType<typeof createPanelMenu>;
}

/** Services for one rendered panel: a connected helper, a paired token and a passing self-test unless overridden. */
export function panelServices(overrides: Partial<Omit<TestPanelServices, 'menu'>> = {}): TestPanelServices {
  return {
    host: fakeHost().host,
    tokens: memoryTokens('t'),
    connect: () => fakeHelper(),
    runSelfTest: jest.fn(async () => PASSING_REPORT),
    reportFile: { copy: jest.fn(async () => undefined), save: jest.fn(async (name: string) => name) },
    pollMs: FAST,
    ...overrides,
    menu: createPanelMenu(),
  };
}
