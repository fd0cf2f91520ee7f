import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { configDir } from '../config/config-dir';
import { bicubicScores, type CurveScores, type DetailCurve, detailCurve, detailCurveMarkdown } from '../eval/detail-curve';
import { detailCurveSvg } from '../eval/detail-curve-chart';
import { CURVE_MODELS, DETAIL_SCALE, FIDELITY_BASE, MAP_MODELS } from '../eval/detail-plan';
import { type InventedDetailAuc, inventedDetailAuc, inventedDetailMarkdown, meanAuc, SIGNALS, type SignalId } from '../eval/invented-detail-auc';
import { DETAIL_SET, FULL_SET } from '../eval/test-set';
import { runUpscales } from '../eval/upscale-runs';
import { HELPER_VERSION } from '../package-info';
import type { CliIo } from './cli-io';
import { EXIT } from './exit-codes';

export interface DetailEvalFlags {
  detailCurve?: boolean;
  inventedDetail?: boolean;
  json?: boolean;
  out: string;
  provider?: string;
}

export interface DetailEvalReport {
  tool: 'mend eval';
  version: string;
  provider: string;
  startedAt: string;
  scale: number;
  base: string;
  images: string[];
  /** Pixels shaved off each side before measuring (the scale, as the eval's upscaling tables). */
  border: number;
  detailCurve?: { curves: DetailCurve[]; bicubic: CurveScores };
  inventedDetail?: { signals: typeof SIGNALS; results: InventedDetailAuc[]; mean: Record<SignalId, number>; meanOnEvalPhotos: Record<SignalId, number> };
  files: string[];
}

const EVAL_PHOTOS = FULL_SET.filter((image) => image.domain === 'photo').map((image) => image.id);

/**
 * `mend eval --detail-curve | --invented-detail`: shrinks DETAIL_SET ×4, runs the fidelity base and the
 * GAN upscalers on it, and measures PSNR-Y, SSIM-Y and detail against the detail strength, and the ROC AUC
 * of each signal of the map of invented detail. Writes markdown, JSON and the curve's chart to `--out`.
 */
export async function evaluateDetail(flags: DetailEvalFlags, io: CliIo): Promise<number> {
  const startedAt = new Date().toISOString();
  const outDir = path.resolve(flags.out);
  const models = new Set<string>([FIDELITY_BASE]);
  if (flags.detailCurve) for (const model of CURVE_MODELS) models.add(model);
  if (flags.inventedDetail) for (const { model, second } of MAP_MODELS) models.add(model).add(second);
  const app = await io.createApp({ provider: flags.provider ?? io.env.MEND_PROVIDER, configDir: configDir(io.env) });
  const controller = new AbortController();
  const stopListening = io.onInterrupt(() => controller.abort());
  try {
    const runs = await runUpscales(DETAIL_SET, [...models], DETAIL_SCALE, { app, signal: controller.signal, log: (line) => io.stderr.write(`${line}\n`) });
    const border = DETAIL_SCALE;
    const report: DetailEvalReport = {
      tool: 'mend eval',
      version: HELPER_VERSION,
      provider: (await app.engineInfo()).provider,
      startedAt,
      scale: DETAIL_SCALE,
      base: FIDELITY_BASE,
      images: DETAIL_SET.map((image) => image.id),
      border,
      files: [],
    };
    await mkdir(outDir, { recursive: true });
    const file = (name: string) => path.join(outDir, name);
    const sections: string[] = [];
    if (flags.detailCurve) {
      const curves = CURVE_MODELS.map((model) => detailCurve(runs, model, FIDELITY_BASE, border));
      const bicubic = bicubicScores(runs, border);
      report.detailCurve = { curves, bicubic };
      const svg = detailCurveSvg(curves, bicubic);
      const markdown = `## Detail strength: ×${DETAIL_SCALE}, base ${FIDELITY_BASE}, mean of ${runs.length} photos\n\n${detailCurveMarkdown(curves, bicubic)}\n`;
      await writeFile(file('detail-curve.md'), markdown);
      await writeFile(file('detail-curve.svg'), svg);
      await sharp(Buffer.from(svg)).png().toFile(file('detail-curve.png'));
      report.files.push(file('detail-curve.md'), file('detail-curve.svg'), file('detail-curve.png'));
      sections.push(markdown);
    }
    if (flags.inventedDetail) {
      const results = MAP_MODELS.flatMap(({ model, second }) => runs.map((run) => inventedDetailAuc(run, model, second, FIDELITY_BASE, DETAIL_SCALE)));
      report.inventedDetail = { signals: SIGNALS, results, mean: meanAuc(results), meanOnEvalPhotos: meanAuc(results.filter((r) => EVAL_PHOTOS.includes(r.image))) };
      const markdown = `## Map of invented detail: ROC AUC, ×${DETAIL_SCALE}, base ${FIDELITY_BASE}\n\n${inventedDetailMarkdown(results, EVAL_PHOTOS)}\n`;
      await writeFile(file('invented-detail.md'), markdown);
      report.files.push(file('invented-detail.md'));
      sections.push(markdown);
    }
    report.files.push(file('detail-report.json'));
    await writeFile(file('detail-report.json'), `${JSON.stringify(report, null, 2)}\n`);
    io.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : `${sections.join('\n')}\nreport: ${file('detail-report.json')}\n`);
    return EXIT.ok;
  } finally {
    stopListening();
    await app.close();
  }
}
