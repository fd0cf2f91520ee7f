import { type CompareOptions, DEFAULT_DETAIL, DEFAULT_PRECISION, type JobOptions, type Precision, type RestoreRole, type UpscaleOptions } from '@mend/protocol';
import type { BlendMode, SourceKind } from './host';

export type UpscaleFactor = 2 | 3 | 4 | 8;
export type UpscaleOutput = 'new-document' | 'resize-document';
export type RestoreStrength = 'light' | 'medium' | 'strong';

/**
 * What Restore fixes: JPEG blocking and noise at a strength (`RESTORE_MODELS`), or a problem the helper
 * runs the catalog's model of that role for (motion blur, camera noise, low light, haze, rain, retouch).
 */
export type RestoreProblem = 'noise-jpeg' | RestoreRole;
export type RestoreTarget = { problem: 'noise-jpeg'; strength: RestoreStrength } | { problem: RestoreRole };

/** How the result layer is made and blended, shared by every operation that writes one. */
export interface LayerSettings {
  source: SourceKind;
  /** Pixels the selection is grown by before it becomes the layer mask. */
  grow: number;
  /** Mask edge softness as a share (0..0.5) of the selection's smaller side. */
  feather: number;
  /** 0..100: the "strength" of the result over the original. */
  opacity: number;
  blendMode: BlendMode;
  /** 0..1: film grain added back so the result does not look plastic. */
  grain: number;
}

/** What the models of an upscale or a restore compute in: fp32 (DEFAULT_PRECISION, also when absent), int8 (faster on the CPU), fp16 (GPUs). */
export interface PrecisionSetting {
  precision?: Precision;
}

/** The job's precision, only when it is not the default, which the helper assumes. */
const precisionOf = ({ precision }: PrecisionSetting) => (precision && precision !== DEFAULT_PRECISION ? { precision } : {});

/** How an upscale is made: the model (the catalog's best for the scale when absent), the factor, and clean-first. */
export interface UpscaleSettings extends PrecisionSetting {
  model?: string;
  scale: UpscaleFactor;
  cleanFirst: boolean;
  /** 0..2: 0 the fidelity base, 1 the model's own output (DEFAULT_DETAIL), above 1 its detail exaggerated. */
  detail: number;
  output: UpscaleOutput;
}

export type OperationRequest =
  /** `inventedDetail`: also write the map of invented detail, as a hidden overlay layer above the result. */
  | ({ kind: 'upscale'; inventedDetail: boolean } & UpscaleSettings & LayerSettings)
  /** `model` overrides the problem's model (the self-test's identity model). */
  | ({ kind: 'restore'; model?: string } & RestoreTarget & PrecisionSetting & LayerSettings)
  | ({ kind: 'inpaint'; model?: string } & LayerSettings);

export type OperationKind = OperationRequest['kind'];

/**
 * The same operation run 2–4 ways on one source, in one helper job: upscales with different models or detail
 * strengths (one factor, one output), or restores with different models. Each variant becomes a layer.
 */
export type CompareRequest =
  | ({ kind: 'compare'; of: 'upscale'; variants: Array<{ model?: string; detail: number }> } & Omit<UpscaleSettings, 'model' | 'detail'> & LayerSettings)
  | ({ kind: 'compare'; of: 'restore'; variants: Array<{ model: string }> } & PrecisionSetting & LayerSettings);

/** Restore strengths, mapped to the catalog's JPEG-noise models (waifu2x CUNet, trained on JPEG and noise). */
export const RESTORE_MODELS: Record<RestoreStrength, string> = {
  light: 'waifu2x-cunet-noise1',
  medium: 'waifu2x-cunet-noise2',
  strong: 'waifu2x-cunet-noise3',
};

/** The cleaner "clean first" runs before an upscaler: upscaling noise makes a model sharpen it as texture. */
const CLEAN_FIRST_MODEL = RESTORE_MODELS.light;

export const DEFAULT_LAYER_SETTINGS: LayerSettings = { source: 'layer', grow: 4, feather: 0.1, opacity: 100, blendMode: 'normal', grain: 0 };

export const OPERATION_TITLES: Record<OperationKind, string> = { upscale: 'Upscale', restore: 'Restore', inpaint: 'Inpaint' };

/** The helper job for an operation. */
export function jobOptionsFor(request: OperationRequest): JobOptions {
  switch (request.kind) {
    case 'upscale':
      return { ...upscaleOptions(request), ...(request.inventedDetail ? { inventedDetailMap: true } : {}) };
    case 'restore': {
      if (request.model) return { task: 'restore', model: request.model, ...precisionOf(request) };
      const target = request.problem === 'noise-jpeg' ? { model: RESTORE_MODELS[request.strength] } : { role: request.problem };
      return { task: 'restore', ...target, ...precisionOf(request) };
    }
    case 'inpaint':
      return { task: 'inpaint', model: request.model };
  }
}

/** An upscale's job options; the detail strength only when it is not the default, which the helper assumes. */
function upscaleOptions(settings: Omit<UpscaleSettings, 'output'>): UpscaleOptions {
  return {
    task: 'upscale',
    model: settings.model,
    scale: settings.scale,
    cleanFirst: settings.cleanFirst ? CLEAN_FIRST_MODEL : undefined,
    ...(settings.detail !== DEFAULT_DETAIL ? { detail: settings.detail } : {}),
    ...precisionOf(settings),
  };
}

/** The helper job of a Compare: one variant per model or strength, the source sent once. */
export function compareJobOptions(request: CompareRequest): CompareOptions {
  if (request.of === 'restore') return { task: 'compare', variants: request.variants.map(({ model }) => ({ task: 'restore', model, ...precisionOf(request) })) };
  return { task: 'compare', variants: request.variants.map((variant) => upscaleOptions({ ...request, ...variant })) };
}

/** "Upscale ×4 · realesrgan-x4plus" (" · detail 1.5" when not the default): what the layer and the results list are called. */
export function resultName(request: OperationRequest, models: readonly string[]): string {
  const title = request.kind === 'upscale' ? `Upscale ×${request.scale}` : OPERATION_TITLES[request.kind];
  const named = models.length ? `${title} · ${models.join(' + ')}` : title;
  return request.kind === 'upscale' && request.detail !== DEFAULT_DETAIL ? `${named} · detail ${request.detail}` : named;
}
