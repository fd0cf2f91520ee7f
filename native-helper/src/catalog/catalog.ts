import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { IDENTITY_MODEL_ID, describeIssues, type ModelInfo, type Task } from '../protocol';
import { MendError } from '../errors';
import { DEFAULT_ROLES, modelFiles, modelManifestSchema, TASK_DEFAULT_ROLE, type DefaultRole, type ModelFile, type ModelManifest } from './manifest';

export type ModelStatusName = ModelInfo['status'];

export interface ModelStatus {
  id: string;
  task: string;
  scale: number;
  path: string;
  sha256: string;
  status: ModelStatusName;
  domain: string;
  default: boolean;
  roles?: string[];
}

export interface CatalogFolders {
  /** Folders of shipped manifests (`models/manifests`). */
  manifestDirs: string[];
  /** Where built ONNX files of shipped models live (git-ignored). */
  cacheDir: string;
  /** The user's own models (`mend models add`); optional. */
  userDir?: string;
  log?: (message: string) => void;
}

/** The sha256 (hex) of a file, read as a stream. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function readManifests(dir: string, strict: boolean, log: (m: string) => void): Promise<ModelManifest[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const manifests: ModelManifest[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    let json: unknown;
    try {
      json = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      if (strict) throw new MendError('model_invalid', `${file} is not valid JSON: ${(error as Error).message}`);
      log(`skipping ${file}: not valid JSON`);
      continue;
    }
    const parsed = modelManifestSchema.safeParse(json);
    if (!parsed.success) {
      const message = `${file} is not a valid model manifest: ${describeIssues(parsed.error)}`;
      if (strict) throw new MendError('model_invalid', message);
      log(`skipping ${message}`);
      continue;
    }
    manifests.push(parsed.data);
  }
  return manifests;
}

/** The models Mend knows: shipped manifests plus the user's, and whether each ONNX file is there and intact. */
export class Catalog {
  private readonly hashes = new Map<string, { size: number; mtimeMs: number; sha256: string }>();

  private constructor(
    private readonly folders: CatalogFolders,
    private readonly manifests: ModelManifest[],
  ) {}

  static async open(folders: CatalogFolders): Promise<Catalog> {
    const log = folders.log ?? (() => undefined);
    const shipped = (await Promise.all(folders.manifestDirs.map((d) => readManifests(d, true, log)))).flat();
    const user = folders.userDir ? await readManifests(folders.userDir, false, log) : [];
    const byId = new Map<string, ModelManifest>();
    for (const m of shipped) byId.set(m.id, m);
    for (const m of user) {
      if (byId.has(m.id)) log(`user model ${m.id} replaces the shipped model of the same id`);
      byId.set(m.id, m);
    }
    return new Catalog(folders, [...byId.values()]);
  }

  list(): ModelManifest[] {
    return this.manifests;
  }

  get(id: string): ModelManifest {
    const manifest = this.manifests.find((m) => m.id === id);
    if (!manifest) throw new MendError('model_missing', `there is no model "${id}"; run \`mend models\` to see the ids`);
    return manifest;
  }

  /**
   * The default model of a task: the model of the task's default role (photo upscale, denoise), else
   * the one marked default (the runner reaches other scales with extra passes or a resample), else the
   * first of the wanted scale, else the first of the task; never the self-test's identity model.
   */
  defaultFor(task: Task, scale?: number): ModelManifest {
    const ofTask = this.manifests.filter((m) => m.task === task && m.id !== IDENTITY_MODEL_ID);
    const role = TASK_DEFAULT_ROLE[task];
    const pick = (role && ofTask.find((m) => m.roles?.includes(role))) || ofTask.find((m) => m.default) || ofTask.find((m) => m.scale === scale) || ofTask[0];
    if (!pick) throw new MendError('model_missing', `no ${task} model is in the catalog; run \`mend models\` to see what is there`);
    return pick;
  }

  /** The catalog's model for a role (`mend eval` chooses them), else the default of the role's task. */
  defaultForRole(role: DefaultRole): ModelManifest {
    const task = DEFAULT_ROLES[role];
    return this.manifests.find((m) => m.task === task && m.roles?.includes(role)) ?? this.defaultFor(task);
  }

  /** Where a file of the model lives: its main file unless another one (an export for another side) is named. */
  pathOf(manifest: ModelManifest, file: Pick<ModelFile, 'file'> = manifest): string {
    return path.isAbsolute(file.file) ? file.file : path.join(this.folders.cacheDir, file.file);
  }

  /** Whether `file` is there with the content of `sha256`; hashes are kept while a file's size and time stay the same. */
  async fileStatus(file: string, sha256: string): Promise<'ready' | 'absent' | 'corrupt'> {
    let info;
    try {
      info = await stat(file);
    } catch {
      return 'absent';
    }
    const cached = this.hashes.get(file);
    let digest = cached?.size === info.size && cached.mtimeMs === info.mtimeMs ? cached.sha256 : undefined;
    if (!digest) {
      digest = await sha256File(file);
      this.hashes.set(file, { size: info.size, mtimeMs: info.mtimeMs, sha256: digest });
    }
    return digest === sha256 ? 'ready' : 'corrupt';
  }

  /** Ready only when every file of the model is there and intact; one damaged file makes it corrupt. */
  async statusOf(manifest: ModelManifest): Promise<ModelStatusName> {
    const files = await Promise.all(modelFiles(manifest).map((f) => this.fileStatus(this.pathOf(manifest, f), f.sha256)));
    if (files.includes('corrupt')) return 'corrupt';
    if (!files.includes('absent')) return 'ready';
    if (manifest.prepareOnFirstUse) return 'available';
    return manifest.source.converter === 'onnx' ? 'missing' : 'not-built';
  }

  async statuses(): Promise<ModelStatus[]> {
    return Promise.all(
      this.manifests.map(async (m) => ({
        id: m.id,
        task: m.task,
        scale: m.scale,
        path: this.pathOf(m),
        sha256: m.sha256,
        status: await this.statusOf(m),
        domain: m.domain,
        default: m.default,
        roles: m.roles,
      })),
    );
  }

  /** The model's file (for a fixed-side model, the one of `side`), checked; a message that says how to get it otherwise. */
  async readyPath(manifest: ModelManifest, side?: number): Promise<string> {
    const file = side === undefined ? manifest : modelFiles(manifest).find((f) => f.side === side);
    if (!file) throw new MendError('model_invalid', `the model ${manifest.id} has no export for ${side}×${side} inputs`);
    const status = await this.statusOf(manifest);
    if (status === 'ready') return this.pathOf(manifest, file);
    const fix =
      manifest.source.converter === 'onnx'
        ? 'add it again with `mend models add`'
        : `run \`mend models prepare${manifest.prepareOnFirstUse ? ` ${manifest.id}` : ''}\` to build it`;
    const what = status === 'corrupt' ? 'is damaged (its checksum does not match)' : 'is not built yet';
    throw new MendError('model_missing', `the model ${manifest.id} ${what}; ${fix}`);
  }
}
