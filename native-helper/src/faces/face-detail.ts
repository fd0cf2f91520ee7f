import type { Catalog } from '../catalog/catalog';
import type { PixelImage } from '../imaging/pixel-image';
import { resampleImage } from '../imaging/resample';
import { convertDepth } from '../imaging/sample-conversion';
import type { JobOptions } from '../protocol';
import type { TaskContext, TaskRunner } from '../tasks/types';
import type { CropRestorer } from './restore-faces';

/** What the face result is called when no face model is installed: it is general detail, not a face prior. */
export const FACE_DETAIL_LABEL = 'no face model installed: general detail';

/** Smallest side a face is aligned at: below it the chain has too few pixels to work on (faces are found from about 24 px). */
const MIN_SIDE = 32;
/**
 * Faces larger than this (in image pixels across the 512 template crop) already have every pixel an
 * upscale would add: they are only denoised, at their own size up to LARGEST_SIDE.
 */
const UPSCALE_BELOW = 512;
const LARGEST_SIDE = 2048;

/**
 * The shipped chain run on one aligned face when no face model is installed: the catalog's denoiser (its
 * default for the `denoise` role) then its photo upscaler (`photo-upscale`) on a crop of the face's own
 * size, and the result resampled back to that size — the upscaler's reconstruction of edges and texture,
 * brought to the resolution the face has in the photo. Large faces are denoised only.
 */
export interface FaceDetailPlan {
  label: typeof FACE_DETAIL_LABEL;
  /** The side the face is aligned at and pasted back from. */
  side: number;
  /** The job run on the crop: an upscale with the denoiser first, or the denoise alone. */
  job: JobOptions;
  /** Catalog ids, in the order they run. */
  models: string[];
}

/** The models of the chain: the catalog's defaults for denoise and photo upscale. */
export interface FaceDetailModels {
  denoiser: string;
  upscaler: { id: string; scale: number };
}

export function faceDetailModels(catalog: Catalog): FaceDetailModels {
  const upscaler = catalog.defaultForRole('photo-upscale');
  return { denoiser: catalog.defaultForRole('denoise').id, upscaler: { id: upscaler.id, scale: upscaler.scale } };
}

/**
 * The plan for a face whose 512-template crop spans `nativeSide` image pixels (512 ÷ the alignment's
 * scale): aligned at that side so one crop pixel is one image pixel.
 */
export function planFaceDetail(nativeSide: number, models: FaceDetailModels): FaceDetailPlan {
  const side = Math.min(LARGEST_SIDE, Math.max(MIN_SIDE, Math.round(nativeSide)));
  if (nativeSide >= UPSCALE_BELOW) return { label: FACE_DETAIL_LABEL, side, job: { task: 'restore', model: models.denoiser }, models: [models.denoiser] };
  return {
    label: FACE_DETAIL_LABEL,
    side,
    job: { task: 'upscale', model: models.upscaler.id, scale: models.upscaler.scale, cleanFirst: models.denoiser },
    models: [models.denoiser, models.upscaler.id],
  };
}

/**
 * Runs the plan on an aligned crop (float RGB, `plan.side`²) through the task pipelines, in 16 bits, and
 * answers the result as a crop of the same side and kind.
 */
export async function runFaceDetail(plan: FaceDetailPlan, crop: PixelImage, runTask: TaskRunner, context: TaskContext): Promise<PixelImage> {
  if (crop.width !== plan.side || crop.height !== plan.side) throw new Error(`the face detail plan is for ${plan.side}² crops, not ${crop.width}×${crop.height}`);
  const { image } = await runTask({ options: plan.job, image: convertDepth(crop, 16, 65535) }, context);
  const back = convertDepth(image, 32, 1);
  return back.width === plan.side && back.height === plan.side ? back : resampleImage(back, plan.side, plan.side);
}

/** The chain as the restorer of `restoreFaces`: each face planned at its own size. */
export function faceDetailRestorer(models: FaceDetailModels, runTask: TaskRunner, context: TaskContext): CropRestorer {
  return {
    label: FACE_DETAIL_LABEL,
    sideFor: (nativeSide) => planFaceDetail(nativeSide, models).side,
    restore: (crop, nativeSide) => runFaceDetail(planFaceDetail(nativeSide, models), crop, runTask, context),
  };
}
