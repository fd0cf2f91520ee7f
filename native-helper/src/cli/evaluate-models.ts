import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openCatalog } from '../app';
import { configDir } from '../config/config-dir';
import { MendError } from '../errors';
import { chooseDefaults } from '../eval/choose-defaults';
import { reportMarkdown, tableMarkdown } from '../eval/markdown-report';
import { fullPlan, quickPlan } from '../eval/plan';
import { METRIC_DEFINITIONS, type EvalReport } from '../eval/report';
import { evaluate } from '../eval/run-eval';
import { HELPER_VERSION } from '../package-info';
import type { CliIo } from './cli-io';
import { EXIT } from './exit-codes';

export interface EvalFlags {
  quick?: boolean;
  degradations?: string[];
  json?: boolean;
  out: string;
  provider?: string;
}

/**
 * `mend eval [--quick | --degradations a,b] [--json] [--out dir]`: degrades fixture photos with a known ground truth, runs the
 * baselines and the catalog's models on them, and writes tables, contact sheets and the default per role.
 */
export async function evaluateModels(flags: EvalFlags, io: CliIo): Promise<number> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  if (flags.quick && flags.degradations) throw new MendError('bad_usage', '--quick runs its one fixed degradation; leave out --degradations');
  const plan = flags.quick ? quickPlan() : fullPlan(flags.degradations);
  const outDir = path.resolve(flags.out);
  const catalog = await openCatalog(configDir(io.env));
  const app = await io.createApp({ provider: flags.provider ?? io.env.MEND_PROVIDER, configDir: configDir(io.env) });
  const controller = new AbortController();
  const stopListening = io.onInterrupt(() => controller.abort());
  try {
    const steps = await evaluate(plan, { app, catalog, outDir, signal: controller.signal, log: (line) => io.stderr.write(`${line}\n`) });
    const tables = steps.flatMap((s) => s.tables);
    const images = [...new Map(plan.steps.flatMap((s) => s.images).map((i) => [i.id, i])).values()];
    const report: EvalReport = {
      tool: 'mend eval',
      version: HELPER_VERSION,
      quick: plan.quick,
      provider: (await app.engineInfo()).provider,
      startedAt,
      totalMs: 0,
      metrics: METRIC_DEFINITIONS,
      images: images.map(({ id, file, domain, crop }) => ({ id, file, domain, crop })),
      tables,
      // One image and one model measure that the path works, not which model is best.
      defaults: plan.quick ? [] : chooseDefaults(tables, catalog),
      files: { markdown: path.join(outDir, 'README.md'), json: path.join(outDir, 'report.json'), contactSheets: steps.map((s) => s.contactSheet) },
    };
    report.totalMs = Math.round(performance.now() - started);
    await mkdir(outDir, { recursive: true });
    const json = JSON.stringify(report);
    await writeFile(report.files.json, `${JSON.stringify(report, null, 2)}\n`);
    await writeFile(report.files.markdown, reportMarkdown(report));
    if (flags.json) io.stdout.write(`${json}\n`);
    else {
      io.stdout.write(`${tables.map(tableMarkdown).join('\n\n')}\n\n`);
      for (const d of report.defaults)
        io.stdout.write(`default for ${d.role}: ${d.model}${d.catalogModel === d.model ? '' : ` (the catalog has ${d.catalogModel})`} — ${d.basis}\n`);
      io.stdout.write(`report: ${report.files.markdown}\n`);
    }
    return EXIT.ok;
  } finally {
    stopListening();
    await app.close();
  }
}
