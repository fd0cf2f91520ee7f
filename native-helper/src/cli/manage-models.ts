import { configDir } from '../config/config-dir';
import path from 'node:path';
import type { Catalog } from '../catalog/catalog';
import { installUserModel, readModelFile } from '../user-models/install';
import { convertNcnn } from '../convert/ncnn';
import { convertTfjsModel } from '../convert/tfjs';
import { Engine } from '../engine/engine';
import { MendError } from '../errors';
import { PREPARE_DOWNLOAD_STAGE, TASKS, taskSchema } from '../protocol';
import { prepareModels } from '../catalog/prepare';
import { exportModels, importModels, type ArchivedModel } from '../catalog/model-archive';
import { modelFiles } from '../catalog/manifest';
import { FACE_MODELS, type FaceModel, faceModelPath, faceModelStatus, isFaceModelId, prepareFaceModels } from '../faces/face-models';
import { modelCacheDir, variantBuilders } from '../app';
import type { CliIo } from './cli-io';
import { EXIT } from './exit-codes';
import { createProgressBar } from './progress-bar';

/** `mend models [--json]`: the catalog and whether each model is ready. */
export async function listModels(flags: { json?: boolean }, io: CliIo): Promise<number> {
  const app = await io.createApp({ configDir: configDir(io.env) });
  try {
    const models = await app.listModels();
    const faceModels = await Promise.all(
      Object.values(FACE_MODELS).map(async (m: FaceModel) => ({
        id: m.id,
        task: m.use,
        scale: 1,
        path: faceModelPath(m, modelCacheDir()),
        sha256: m.sha256,
        status: await faceModelStatus(m, modelCacheDir()),
      })),
    );
    if (flags.json) {
      const catalogRows = models.map(({ id, task, scale, path, sha256, status }) => ({ id, task, scale, path, sha256, status }));
      io.stdout.write(`${JSON.stringify([...catalogRows, ...faceModels])}\n`);
      return EXIT.ok;
    }
    const rows = models.map((m) => [m.id + (m.default ? ' *' : ''), m.task, `×${m.scale}`, m.domain, m.status]);
    const header = ['MODEL', 'TASK', 'SCALE', 'DOMAIN', 'STATUS'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) =>
      cells
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')
        .trimEnd();
    io.stdout.write(`${[line(header), ...rows.map(line)].join('\n')}\n`);
    const firstUse = models.some((m) => m.status === 'available')
      ? ' Models `available` are downloaded and built by the first job that runs them, or by `mend models prepare <id>`.'
      : '';
    io.stdout.write(`${models.length} models; * = default for its task. Models not built yet: run \`mend models prepare\`.${firstUse}\n`);
    const faceRows = faceModels.map((m) => [m.id, m.task, m.status]);
    const faceWidths = [0, 1].map((i) => Math.max(...faceRows.map((r) => r[i].length)));
    const faceLines = faceRows.map((r) => `  ${r[0].padEnd(faceWidths[0])}  ${r[1].padEnd(faceWidths[1])}  ${r[2]}`);
    io.stdout.write(`Face analysis models (\`mend faces\`; built by \`mend models prepare\`, else on first use):\n${faceLines.join('\n')}\n`);
    return EXIT.ok;
  } finally {
    await app.close();
  }
}

/**
 * `mend models prepare [id...]`: builds shipped models from their pinned sources, with a progress bar on a
 * terminal; intact ones are skipped. Ctrl+C stops the download or conversion under way and leaves nothing
 * half-written.
 */
export async function prepareShippedModels(
  ids: string[],
  flags: { json?: boolean; precision?: 'int8'; registry?: string },
  io: CliIo,
  open: (configDir: string) => Promise<Catalog>,
): Promise<number> {
  if (flags.registry !== undefined && !URL.canParse(flags.registry))
    throw new MendError('bad_usage', `--registry must be a URL, e.g. https://registry.npmjs.org/ (got ${flags.registry})`);
  const registry = flags.registry && (flags.registry.endsWith('/') ? flags.registry : `${flags.registry}/`);
  const catalog = await open(configDir(io.env));
  const controller = new AbortController();
  const stopListening = io.onInterrupt(() => {
    if (!controller.signal.aborted) io.stderr.write('\nmend: cancelling…\n');
    controller.abort();
  });
  const onTerminal = !flags.json && io.stderr.isTTY === true;
  let bar: ReturnType<typeof createProgressBar> | undefined;
  const announce = (id: string, action: 'build' | 'skip', label: string) => {
    bar?.stop();
    bar = undefined;
    if (action !== 'build' || flags.json) return;
    if (onTerminal) bar = createProgressBar(io, `${label} ${id}`, true);
    else io.stderr.write(`${label} ${id}: building…\n`);
  };
  // Face analysis models are not in the catalog (faces/face-models.ts); a bare prepare builds them too.
  const faceIds = ids.filter(isFaceModelId);
  const catalogIds = ids.filter((id) => !isFaceModelId(id));
  const empty = { built: [], skipped: [] };
  try {
    const models =
      ids.length && !catalogIds.length
        ? empty
        : await prepareModels(catalog, catalogIds, {
            signal: controller.signal,
            registry,
            onModel: (manifest, index, total, action) => announce(manifest.id, action, `[${index + 1}/${total}]`),
            onProgress: (progress) => bar?.update(progress),
          });
    const faces =
      ids.length && !faceIds.length
        ? empty
        : await prepareFaceModels(modelCacheDir(), ids.length ? faceIds : undefined, {
            signal: controller.signal,
            registry,
            onModel: (model, action) => announce(model.id, action, '[face model]'),
            onDownload: (done, total) => bar?.update({ done, total, stage: PREPARE_DOWNLOAD_STAGE }),
          });
    const variants = flags.precision ? await prepareVariants(catalog, catalogIds, flags.precision, controller.signal, announce) : [];
    const result = { built: [...models.built, ...faces.built], skipped: [...models.skipped, ...faces.skipped], ...(flags.precision ? { variants } : {}) };
    bar?.stop();
    bar = undefined;
    if (flags.json) io.stdout.write(`${JSON.stringify(result)}\n`);
    else io.stderr.write(`${result.built.length} models built, ${result.skipped.length} already ready.\n`);
    return EXIT.ok;
  } finally {
    bar?.stop();
    stopListening();
  }
}

/**
 * The shipped models whose files live in the model cache, as an archive carries them, with whether each is
 * built and intact here: the catalog's (not the user's own, which live elsewhere) and the face analysis
 * models; all of them, or those of `ids` (a model_missing error names ids this helper does not ship).
 * Only the models asked for are hashed.
 */
async function shippedCacheModels(catalog: Catalog, ids: string[]): Promise<{ model: ArchivedModel; ready: boolean }[]> {
  const all = [
    ...catalog
      .list()
      .filter((m) => !path.isAbsolute(m.file))
      .map((m) => ({
        model: { id: m.id, files: modelFiles(m).map((f) => ({ name: f.file, sha256: f.sha256 })) },
        isReady: async () => (await catalog.statusOf(m)) === 'ready',
      })),
    ...Object.values(FACE_MODELS).map((m: FaceModel) => ({
      model: { id: m.id, files: [{ name: m.file, sha256: m.sha256 }] },
      isReady: async () => (await faceModelStatus(m, modelCacheDir())) === 'ready',
    })),
  ];
  const unknown = ids.filter((id) => !all.some((e) => e.model.id === id));
  if (unknown.length) throw new MendError('model_missing', `no shipped model is called ${unknown.join(', ')}; run \`mend models\` to see the ids`);
  const picked = ids.length ? all.filter((e) => ids.includes(e.model.id)) : all;
  return Promise.all(picked.map(async ({ model, isReady }) => ({ model, ready: await isReady() })));
}

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** `mend models export <archive> [id...]`: the built shipped models (all that are ready, or those named) into one archive. */
export async function exportShippedModels(
  archive: string,
  ids: string[],
  flags: { json?: boolean; overwrite?: boolean },
  io: CliIo,
  open: (configDir: string) => Promise<Catalog>,
): Promise<number> {
  const entries = await shippedCacheModels(await open(configDir(io.env)), ids);
  const notReady = entries.filter((e) => !e.ready).map((e) => e.model.id);
  if (ids.length && notReady.length)
    throw new MendError('model_missing', `${notReady.join(', ')} ${notReady.length === 1 ? 'is' : 'are'} not built here; run \`mend models prepare ${notReady.join(' ')}\` first`);
  const models = entries.filter((e) => e.ready).map((e) => e.model);
  if (!models.length) throw new MendError('model_missing', 'no model is built here yet; run `mend models prepare` first');
  const { bytes } = await exportModels(archive, models, modelCacheDir(), flags.overwrite === true);
  if (flags.json) io.stdout.write(`${JSON.stringify({ exported: models.map((m) => m.id), bytes })}\n`);
  else {
    const leftOut = notReady.length
      ? `; ${notReady.length} not built here ${notReady.length === 1 ? 'was' : 'were'} left out (build them with \`mend models prepare <id>\` first to include them)`
      : '';
    io.stderr.write(`${models.length} models exported to ${archive} (${megabytes(bytes)})${leftOut}.\n`);
  }
  return EXIT.ok;
}

/**
 * `mend models prepare --from <archive> [id...]`: installs the shipped models an archive of `mend models export`
 * holds (all of them, or those named), each file checked against the sha256 this helper pins; intact ones are
 * skipped. Models the archive holds with other content (another version's build) are refused.
 */
export async function installFromArchive(archive: string, ids: string[], flags: { json?: boolean }, io: CliIo, open: (configDir: string) => Promise<Catalog>): Promise<number> {
  const entries = await shippedCacheModels(await open(configDir(io.env)), ids);
  const skipped = entries.filter((e) => e.ready).map((e) => e.model.id);
  const controller = new AbortController();
  const stopListening = io.onInterrupt(() => controller.abort());
  try {
    const result = await importModels(
      archive,
      entries.filter((e) => !e.ready).map((e) => e.model),
      modelCacheDir(),
      controller.signal,
    );
    if (flags.json) io.stdout.write(`${JSON.stringify({ installed: result.installed, skipped, refused: result.refused, absent: result.absent })}\n`);
    else io.stderr.write(`${result.installed.length} models installed from ${archive}, ${skipped.length} already ready.\n`);
    if (result.refused.length) {
      const reasons = result.refused.map((r) => `${r.id} (${r.reason})`).join('; ');
      throw new MendError(
        'model_invalid',
        `refused ${reasons}: the archive was made by another Mend version or is damaged; export it again with this version, or run \`mend models prepare\` where there is internet`,
      );
    }
    const missing = ids.filter((id) => result.absent.includes(id));
    if (missing.length) throw new MendError('model_missing', `${archive} does not hold ${missing.join(', ')}`);
    return EXIT.ok;
  } finally {
    stopListening();
  }
}

/**
 * The variants of `precision` of the models named (every shipped upscale and restore model without ids;
 * MAXIM's only when named), each built unless current; answers `<id>-<precision>` for each, ready.
 */
async function prepareVariants(
  catalog: Catalog,
  ids: string[],
  precision: 'int8',
  signal: AbortSignal,
  announce: (id: string, action: 'build' | 'skip', label: string) => void,
): Promise<string[]> {
  const manifests = ids.length
    ? ids.map((id) => catalog.get(id))
    : catalog.list().filter((m) => (m.task === 'upscale' || m.task === 'restore') && m.source.package && !m.prepareOnFirstUse);
  const [{ readyVariant }, builders] = await Promise.all([import('../catalog/variants'), variantBuilders()]);
  const done: string[] = [];
  for (const [index, manifest] of manifests.entries()) {
    announce(`${manifest.id}-${precision}`, 'build', `[${index + 1}/${manifests.length}]`);
    for (const file of modelFiles(manifest)) await readyVariant(catalog, manifest, file, precision, builders, { signal });
    done.push(`${manifest.id}-${precision}`);
  }
  return done;
}

export interface AddFlags {
  task?: string;
  scale?: number;
  id?: string;
  input?: string;
  output?: string;
  range?: string;
  overwrite?: boolean;
  json?: boolean;
}

function idFromFile(file: string): string {
  const stem = path.basename(file).replace(/\.(onnx|param|json)$/i, '');
  const base = stem === 'model' ? path.basename(path.dirname(file)) : stem;
  return base
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '');
}

function parseAddFlags(flags: AddFlags, file: string) {
  const task = taskSchema.safeParse(flags.task ?? 'upscale');
  if (!task.success) throw new MendError('bad_usage', `--task must be one of: ${TASKS.join(', ')}`);
  if (task.data === 'inpaint' || task.data === 'face') {
    const given = (['range', 'input', 'output'] as const).filter((flag) => flags[flag] !== undefined);
    if (given.length) {
      const named = `--${given.join(', --')} ${given.length === 1 ? 'does' : 'do'}`;
      const read =
        task.data === 'inpaint'
          ? "the names, value ranges and mask polarity are read from the model's LaMa or MI-GAN signature"
          : "the names, value range and crop side are read from the model's GFPGAN, GPEN-BFR, RestoreFormer or CodeFormer signature";
      throw new MendError('bad_usage', `${named} not apply to --task ${task.data}: ${read}`);
    }
  }
  const range = flags.range ?? '0-1';
  if (range !== '0-1' && range !== '0-255') throw new MendError('bad_usage', '--range must be 0-1 or 0-255 (the tensor values that mean black and white)');
  return { task: task.data, id: flags.id ?? idFromFile(file), valueRange: (range === '0-1' ? [0, 1] : [0, 255]) as [number, number] };
}

async function install(bytes: Uint8Array, file: string, converter: 'onnx' | 'ncnn' | 'tfjs', flags: AddFlags, io: CliIo, sourceFiles: string[]): Promise<number> {
  const { task, id, valueRange } = parseAddFlags(flags, file);
  const engine = new Engine({ provider: 'cpu' });
  try {
    const manifest = await installUserModel(
      engine,
      bytes,
      { id, task, scale: flags.scale, valueRange, converter, sourceFiles, input: flags.input, output: flags.output, overwrite: flags.overwrite === true },
      configDir(io.env),
    );
    if (flags.json) io.stdout.write(`${JSON.stringify({ id: manifest.id, task: manifest.task, scale: manifest.scale, path: manifest.file, sha256: manifest.sha256 })}\n`);
    else io.stdout.write(`added ${manifest.id} (${manifest.task} ×${manifest.scale}); use it with --model ${manifest.id}\n`);
    return EXIT.ok;
  } finally {
    await engine.close();
  }
}

/** `mend models add <file.onnx>`: validates a user's ONNX model by a test run and adds it to their model folder. */
export async function addUserModel(file: string, flags: AddFlags, io: CliIo): Promise<number> {
  return install(await readModelFile(file), file, 'onnx', flags, io, [path.resolve(file)]);
}

/** `mend models import <file.param|model.json>`: converts a user's ncnn or TF.js model with Mend's converters, then adds it. */
export async function importUserModel(file: string, flags: AddFlags, io: CliIo): Promise<number> {
  if (file.endsWith('.param')) {
    const binFile = file.replace(/\.param$/, '.bin');
    const [param, bin] = await Promise.all([readModelFile(file), readModelFile(binFile)]);
    const bytes = convertNcnn(new TextDecoder().decode(param), bin, { name: idFromFile(file) }, path.basename(file));
    return install(bytes, file, 'ncnn', flags, io, [path.resolve(file), path.resolve(binFile)]);
  }
  if (file.endsWith('.json')) return install(await convertTfjsModel(file, idFromFile(file)), file, 'tfjs', flags, io, [path.resolve(file)]);
  throw new MendError('bad_usage', `${file}: import takes an ncnn .param file (with its .bin beside it) or a TF.js model.json`);
}
