import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { MendApp } from '../app';
import { CancelledError } from '../errors';
import type { Catalog } from '../catalog/catalog';
import type { PixelImage } from '../imaging/pixel-image';
import type { JobOptions } from '../protocol';
import { contactSheetPng, type SheetRow } from './contact-sheet';
import { type Degraded, seedFor } from './degradations';
import type { EvalPlan, EvalStep } from './plan';
import type { EvalTable, MethodResult } from './report';
import { meanScores, scoreImage, type Scores } from './score';
import { loadGroundTruth, type EvalDomain } from './test-set';

export interface EvaluationDependencies {
  app: MendApp;
  /** For the models' domain and native scale. */
  catalog: Catalog;
  outDir: string;
  signal: AbortSignal;
  log(line: string): void;
}

export interface StepResult {
  tables: EvalTable[];
  contactSheet: string;
}

interface MethodRun {
  method: string;
  kind: MethodResult['kind'];
  label: string;
  output: PixelImage;
  ms?: number;
}

function optionsFor(step: EvalStep, model: string): JobOptions {
  return step.degradation.kind === 'upscale' ? { task: 'upscale', model, scale: step.degradation.scale } : { task: 'restore', model };
}

async function runMethods(step: EvalStep, degraded: Degraded, deps: EvaluationDependencies, imageId: string): Promise<MethodRun[]> {
  const runs: MethodRun[] = step.baselines.map((baseline) => {
    const started = performance.now();
    const output = baseline.run(degraded, step.degradation.scale);
    return { method: baseline.id, kind: 'baseline', label: baseline.label, output, ms: performance.now() - started };
  });
  for (const model of step.models) {
    const started = performance.now();
    const result = await deps.app.runTask({ options: optionsFor(step, model), image: degraded.image }, { signal: deps.signal, onProgress: () => undefined });
    const ms = performance.now() - started;
    deps.log(`${step.degradation.id} · ${imageId} · ${model}: ${(ms / 1000).toFixed(1)} s`);
    runs.push({ method: model, kind: 'model', label: deps.catalog.get(model).title, output: result.image, ms });
  }
  return runs;
}

function tableOf(step: EvalStep, domain: EvalDomain, border: number, perImage: Array<{ image: string; runs: MethodRun[]; scores: Scores[] }>, catalog: Catalog): EvalTable {
  const methods: MethodResult[] = perImage[0].runs.map((run, m) => {
    const images = perImage.map((entry) => ({ image: entry.image, ...entry.scores[m] }));
    const manifest = run.kind === 'model' ? catalog.get(run.method) : undefined;
    const times = perImage.map((entry) => entry.runs[m].ms).filter((ms): ms is number => ms !== undefined);
    return {
      method: run.method,
      kind: run.kind,
      label: run.label,
      ...(manifest ? { domain: manifest.domain, modelScale: manifest.scale } : {}),
      mean: meanScores(images),
      images,
      ...(times.length ? { msPerImage: Math.round(times.reduce((a, b) => a + b, 0) / times.length) } : {}),
    };
  });
  const { id, label, kind, scale } = step.degradation;
  return { degradation: id, label, kind, scale, domain, images: perImage.map((e) => e.image), border, methods };
}

/** Runs one degradation over its images: every baseline and model scored, one table per domain, one contact sheet. */
export async function evaluateStep(step: EvalStep, deps: EvaluationDependencies): Promise<StepResult> {
  const { scale, kind } = step.degradation;
  const border = kind === 'upscale' ? scale : 0;
  const byDomain = new Map<EvalDomain, Array<{ image: string; runs: MethodRun[]; scores: Scores[] }>>();
  const rows: SheetRow[] = [];
  let columns: string[] = [];
  for (const image of step.images) {
    if (deps.signal.aborted) throw new CancelledError();
    const truth = await loadGroundTruth(image);
    const degraded = await step.degradation.apply(truth, seedFor(step.degradation.id, image.id));
    const runs = await runMethods(step, degraded, deps, image.id);
    const scores = runs.map((run) => scoreImage(truth, run.output, border));
    const entries = byDomain.get(image.domain) ?? [];
    entries.push({ image: image.id, runs, scores });
    byDomain.set(image.domain, entries);
    columns = ['ground truth', ...runs.map((r) => r.method)];
    // The identity baseline's column shows the degraded input itself (nearest-enlarged).
    rows.push({ label: image.id, cells: [truth, ...runs.map((r) => r.output)] });
  }
  const tables = [...byDomain].map(([domain, perImage]) => tableOf(step, domain, border, perImage, deps.catalog));
  await mkdir(deps.outDir, { recursive: true });
  const contactSheet = path.join(deps.outDir, `contact-${step.degradation.id}.png`);
  await writeFile(contactSheet, await contactSheetPng(columns, rows));
  return { tables, contactSheet };
}

export async function evaluate(plan: EvalPlan, deps: EvaluationDependencies): Promise<StepResult[]> {
  const results: StepResult[] = [];
  for (const step of plan.steps) results.push(await evaluateStep(step, deps));
  return results;
}
