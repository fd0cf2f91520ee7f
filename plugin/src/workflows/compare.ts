import { HelperError } from '../helper-client/helper-client';
import type { Host, WrittenLayer } from './host';
import { compareJobOptions, type CompareRequest } from './operations';
import { resultPixels, runJob, type WorkflowCallbacks, type WorkflowDependencies, writeResult } from './run-operation';

/** The subgroup of the "Mend" group that holds the variants of one Compare. */
export const COMPARE_GROUP_NAME = 'Compare';

export interface CompareVariantLayer {
  /** The helper's label, e.g. "realesrgan-x4plus · detail 1.5": the layer's name. */
  name: string;
  layer: WrittenLayer;
}

export interface CompareResult {
  documentTitle: string;
  /** The "Compare" group the variants were written into. */
  group: WrittenLayer;
  /** In the order asked for; the first is shown, the others hidden. */
  variants: CompareVariantLayer[];
}

/**
 * Compare: the same operation run 2–4 ways in ONE helper job (the source sent once), each variant written as a
 * layer named by its label in a "Compare" subgroup of the "Mend" group, all in one history step. The first
 * variant is shown, the others hidden, for the A/B toggle.
 */
export async function runCompare(deps: WorkflowDependencies, request: CompareRequest, callbacks: WorkflowCallbacks = {}): Promise<CompareResult> {
  const finished = await runJob(deps, request.source, compareJobOptions(request), callbacks);
  const { job, source } = finished;
  const outputs = (job.summary.outputs ?? []).map((output, index) => ({ output, index })).filter(({ output }) => output.kind === 'variant');
  if (outputs.length !== request.variants.length) {
    throw new HelperError('protocol', `the helper answered ${outputs.length} variants to a Compare of ${request.variants.length}; is it an older version?`);
  }
  const [first] = outputs;
  const { width, height } = first.output.image;
  const misfit = outputs.find(({ output }) => output.image.width !== width || output.image.height !== height);
  if (misfit) throw new HelperError('protocol', `the helper answered variants of different sizes (${misfit.output.label}), which cannot be compared layer over layer`);

  callbacks.onStage?.('writing');
  const contents = outputs.map(({ output, index }, n) => ({
    name: output.label,
    pixels: resultPixels(job.output(index), source.format.colorProfile, request.grain),
    opacity: request.opacity,
    blendMode: request.blendMode,
    visible: n === 0,
  }));
  const [main, ...above] = contents;
  const upscale = request.of === 'upscale' ? request : undefined;
  const { written, documentTitle } = await writeResult(deps, { upscale, layer: request }, finished, { main, above, group: COMPARE_GROUP_NAME, historyName: 'Mend Compare' });
  if (!written.group) throw new Error(`the host wrote the variants without their "${COMPARE_GROUP_NAME}" group`);
  const layers = [{ documentId: written.documentId, layerId: written.layerId }, ...written.layersAbove];
  return { documentTitle, group: written.group, variants: layers.map((layer, n) => ({ name: contents[n].name, layer })) };
}

/** A/B: shows variant `index` and hides the others (shown first, so the picture never goes blank). Not a history step. */
export async function showVariant(host: Host, compare: CompareResult, index: number): Promise<void> {
  const shown = compare.variants[index];
  await host.setLayerVisible(shown.layer, true);
  for (const variant of compare.variants) if (variant !== shown) await host.setLayerVisible(variant.layer, false);
}

/** The variant after `index`, round to the first: what "Next" shows. */
export function nextVariant(compare: CompareResult, index: number): number {
  return (index + 1) % compare.variants.length;
}

/** Keeps variant `index` (shown, in the Compare group's place) and deletes the others and the group: one history step. */
export function keepVariant(host: Host, compare: CompareResult, index: number): Promise<void> {
  const keep = compare.variants[index].layer;
  const discard = compare.variants.filter((_, n) => n !== index).map((variant) => variant.layer);
  return host.keepLayer({ keep, discard, group: compare.group, historyName: 'Mend Keep Variant' });
}
