import { configDir } from '../config/config-dir';
import type { Catalog } from '../catalog/catalog';
import { prepareModels } from '../catalog/prepare';
import type { CliIo } from './cli-io';
import { EXIT } from './exit-codes';

/** `mend models [--json]`: the catalog and whether each model is ready. */
export async function listModels(flags: { json?: boolean }, io: CliIo): Promise<number> {
  const app = await io.createApp({ configDir: configDir(io.env) });
  try {
    const models = await app.listModels();
    if (flags.json) {
      io.stdout.write(`${JSON.stringify(models.map(({ id, task, scale, path, sha256, status }) => ({ id, task, scale, path, sha256, status })))}\n`);
      return EXIT.ok;
    }
    const rows = models.map((m) => [m.id + (m.default ? ' *' : ''), m.task, `×${m.scale}`, m.domain, m.status]);
    const header = ['MODEL', 'TASK', 'SCALE', 'DOMAIN', 'STATUS'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
    io.stdout.write(`${[line(header), ...rows.map(line)].join('\n')}\n`);
    io.stdout.write(`${models.length} models; * = default for its task. Models not built yet: run \`mend models prepare\`.\n`);
    return EXIT.ok;
  } finally {
    await app.close();
  }
}

/** `mend models prepare [id...]`: builds shipped models from their pinned sources; intact ones are skipped. */
export async function prepareCommand(ids: string[], flags: { json?: boolean }, io: CliIo, open: (configDir: string) => Promise<Catalog>): Promise<number> {
  const catalog = await open(configDir(io.env));
  const showProgress = !flags.json && io.stderr.isTTY === true;
  const result = await prepareModels(catalog, ids, {
    onModel(manifest, index, total, action) {
      if (action === 'build' && !flags.json) io.stderr.write(`${showProgress ? '\r' : ''}[${index + 1}/${total}] building ${manifest.id}…${showProgress ? '' : '\n'}`);
    },
  });
  if (flags.json) io.stdout.write(`${JSON.stringify(result)}\n`);
  else io.stderr.write(`${showProgress ? '\n' : ''}${result.built.length} models built, ${result.skipped.length} already ready.\n`);
  return EXIT.ok;
}
