import type { JobOptions, RestoreRole } from '@mend/protocol';
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

export type OperationRequest =
  | ({ kind: 'upscale'; model?: string; scale: UpscaleFactor; cleanFirst: boolean; output: UpscaleOutput } & LayerSettings)
  /** `model` overrides the problem's model (the self-test's identity model). */
  | ({ kind: 'restore'; model?: string } & RestoreTarget & LayerSettings)
  | ({ kind: 'inpaint'; model?: string } & LayerSettings);

export type OperationKind = OperationRequest['kind'];

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
      return { task: 'upscale', model: request.model, scale: request.scale, cleanFirst: request.cleanFirst ? CLEAN_FIRST_MODEL : undefined };
    case 'restore':
      if (request.model) return { task: 'restore', model: request.model };
      return request.problem === 'noise-jpeg' ? { task: 'restore', model: RESTORE_MODELS[request.strength] } : { task: 'restore', role: request.problem };
    case 'inpaint':
      return { task: 'inpaint', model: request.model };
  }
}

/** "Upscale ×4 · realesrgan-x4plus": what the layer and the results list are called. */
export function resultName(request: OperationRequest, models: readonly string[]): string {
  const title = request.kind === 'upscale' ? `Upscale ×${request.scale}` : OPERATION_TITLES[request.kind];
  return models.length ? `${title} · ${models.join(' + ')}` : title;
}
