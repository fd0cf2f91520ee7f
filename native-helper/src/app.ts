import type { TaskRunner } from './tasks/types';

export interface EngineInfo {
  /** Execution provider in use: 'cpu', 'webgpu', 'dml', 'coreml' or 'cuda'. */
  provider: string;
  /** Why a GPU provider was not used, when the CPU is in use. */
  fallbackReason?: string;
  /** Providers this onnxruntime build offers on this platform. */
  available: string[];
}

export type ModelStatusName = 'ready' | 'missing' | 'corrupt' | 'not-built';

export interface ModelStatus {
  id: string;
  task: string;
  scale: number;
  path: string;
  sha256: string;
  status: ModelStatusName;
  domain: string;
  default: boolean;
}

/** Everything the CLI and the server need, wired once per process. */
export interface MendApp {
  runTask: TaskRunner;
  listModels(): Promise<ModelStatus[]>;
  engineInfo(): Promise<EngineInfo>;
  close(): Promise<void>;
}

export interface AppOptions {
  /** Forces one execution provider (`--provider` / MEND_PROVIDER). */
  provider?: string;
}

export async function createApp(_options: AppOptions): Promise<MendApp> {
  throw new Error('createApp is being wired by the engine work');
}
