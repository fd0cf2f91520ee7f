import { z } from 'zod';
import { pixelLayoutSchema } from './pixels';

/** What a catalog model is for; 'face' models restore aligned face crops (`mend restore-faces`), no job runs them whole. */
export const TASKS = ['upscale', 'restore', 'inpaint', 'face'] as const;
export const taskSchema = z.enum(TASKS);
export type Task = z.infer<typeof taskSchema>;

const modelIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'model ids are lower-case letters, digits, ".", "_" and "-"');

const tileSchema = z.number().int().min(32).max(4096);

/**
 * Detail strength of an upscale: 0 = the fidelity base (a PSNR-oriented model of the same scale, else
 * bicubic), 1 = the model's own output, above 1 its detail exaggerated. Between them the model's
 * departure from the base is scaled per frequency band: texture scales, colour and low frequencies stay.
 */
export const DEFAULT_DETAIL = 1;
export const MAX_DETAIL = 2;
export const detailSchema = z.number().min(0).max(MAX_DETAIL);

/**
 * The numbers a job's models compute in: 'fp32' the converted model itself (the default); 'int8' its
 * quantized variant (int8 weights, uint8 activations, for CPUs with VNNI), built on first use and run on
 * the CPU provider only; 'fp16' half precision, for GPU providers only.
 */
export const PRECISIONS = ['fp32', 'int8', 'fp16'] as const;
export const precisionSchema = z.enum(PRECISIONS);
export type Precision = z.infer<typeof precisionSchema>;
export const DEFAULT_PRECISION: Precision = 'fp32';

export const upscaleOptionsSchema = z.object({
  task: z.literal('upscale'),
  /** Catalog id; the catalog's default upscaler when absent. */
  model: modelIdSchema.optional(),
  /** Wanted factor; the model's own scale when absent. Factors the model does not have are reached by extra passes or a final resample. */
  scale: z.number().int().min(1).max(8).optional(),
  /** A restore model run before upscaling, in the same job. */
  cleanFirst: modelIdSchema.optional(),
  tile: tileSchema.optional(),
  /** DEFAULT_DETAIL when absent. */
  detail: detailSchema.optional(),
  /** Also answer the map of invented detail: an output of kind 'invented-detail' (one channel, 255 = most invented). */
  inventedDetailMap: z.boolean().optional(),
  /** Of the upscaler and the clean-first model; DEFAULT_PRECISION when absent. The fidelity base stays fp32. */
  precision: precisionSchema.optional(),
});

/**
 * What a restore job can ask for by problem instead of by model: the helper runs the catalog's model of
 * that role (motion blur, camera noise, low light, auto retouch, haze, rain).
 */
export const RESTORE_ROLES = ['deblur', 'denoise-camera', 'lowlight', 'retouch', 'dehaze', 'derain'] as const;
export const restoreRoleSchema = z.enum(RESTORE_ROLES);
export type RestoreRole = z.infer<typeof restoreRoleSchema>;

export const restoreOptionsSchema = z
  .object({
    task: z.literal('restore'),
    /** Catalog id; the catalog's model of `role` when absent, else its default restore model. */
    model: modelIdSchema.optional(),
    role: restoreRoleSchema.optional(),
    tile: tileSchema.optional(),
    /** DEFAULT_PRECISION when absent. */
    precision: precisionSchema.optional(),
  })
  .refine((o) => o.model === undefined || o.role === undefined, {
    message: 'name a model or a role, not both: the role stands for the catalog’s model of that role',
    path: ['role'],
  });

export const inpaintOptionsSchema = z.object({
  task: z.literal('inpaint'),
  model: modelIdSchema.optional(),
});

/** Fewest and most variants of one compare job. */
export const MIN_COMPARE_VARIANTS = 2;
export const MAX_COMPARE_VARIANTS = 4;

/**
 * The same operation run 2..4 ways (models, detail strengths) on one source, sent once: each variant is
 * one output of the job, in order. Variants are upscales of one factor, or restores (same size as the
 * source), so that their layers line up.
 */
export const compareOptionsSchema = z
  .object({
    task: z.literal('compare'),
    variants: z
      .array(z.union([upscaleOptionsSchema, restoreOptionsSchema]))
      .min(MIN_COMPARE_VARIANTS)
      .max(MAX_COMPARE_VARIANTS),
  })
  .refine((o) => o.variants.every((v) => v.task === o.variants[0].task), { message: 'compare variants of one operation: all upscale or all restore', path: ['variants'] })
  .refine((o) => o.variants.every((v) => v.task !== 'upscale' || v.scale === (o.variants[0].task === 'upscale' ? o.variants[0].scale : undefined)), {
    message: 'upscale variants compare at one factor: give each the same scale',
    path: ['variants'],
  })
  .refine((o) => o.variants.every((v) => v.task !== 'upscale' || !v.inventedDetailMap), { message: 'compare variants do not answer maps of invented detail', path: ['variants'] });

/** 0..1: higher finds fainter and larger defects, at the cost of more false alarms. */
export const DEFAULT_SENSITIVITY = 0.5;
export const sensitivitySchema = z.number().min(0).max(1);

/** Dust and scratches of a scanned print; the result is their mask (one channel, 255 = defect), for review before a fill. */
export const findDefectsOptionsSchema = z.object({
  task: z.literal('find-defects'),
  sensitivity: sensitivitySchema.default(DEFAULT_SENSITIVITY),
});

/** A face's box in the job's image pixels (x right, y down, from the image's top-left corner). */
export const faceBoxSchema = z.object({
  x: z.number().finite(),
  y: z.number().finite(),
  width: z.number().finite().positive(),
  height: z.number().finite().positive(),
});
export type FaceBox = z.infer<typeof faceBoxSchema>;

/** Most faces one job reports or restores: more would be a crowd, not a portrait, and each costs a restore. */
export const MAX_FACES = 64;

/**
 * The faces of a photo, found: the summary lists each (`faces`: box, score), best first, and each has a
 * small thumbnail, output i of kind 'face-thumbnail' (RGB 8-bit, FACE_THUMBNAIL_SIDE²). A photo without a
 * face fails the job, saying so: there is nothing to answer.
 */
export const findFacesOptionsSchema = z.object({ task: z.literal('find-faces') });
export const FACE_THUMBNAIL_SIDE = 96;

/** 0..1: how much of each restored face replaces the original inside its feathered region. */
export const DEFAULT_FACE_STRENGTH = 1;

/**
 * Faces restored and pasted back: output 0 is the image with the faces pasted in at `strength` (every
 * pixel outside their regions keeps its samples), output 1 (kind 'face-mask', one channel 8-bit) is 255
 * where a face was pasted and 0 elsewhere. `faces`: the boxes of a find-faces job on the same pixels, the
 * faces to restore (all when absent); `model`: an installed face model (the first one, else the general
 * detail chain, when absent). The summary lists each restored face with its identity similarity.
 */
export const restoreFacesOptionsSchema = z.object({
  task: z.literal('restore-faces'),
  faces: z.array(faceBoxSchema).min(1).max(MAX_FACES).optional(),
  model: modelIdSchema.optional(),
  strength: z.number().min(0).max(1).default(DEFAULT_FACE_STRENGTH),
});

export const jobOptionsSchema = z.discriminatedUnion('task', [
  upscaleOptionsSchema,
  restoreOptionsSchema,
  inpaintOptionsSchema,
  findDefectsOptionsSchema,
  compareOptionsSchema,
  findFacesOptionsSchema,
  restoreFacesOptionsSchema,
]);
export type JobOptions = z.infer<typeof jobOptionsSchema>;
export type UpscaleOptions = z.infer<typeof upscaleOptionsSchema>;
export type RestoreOptions = z.infer<typeof restoreOptionsSchema>;
export type InpaintOptions = z.infer<typeof inpaintOptionsSchema>;
export type FindDefectsOptions = z.infer<typeof findDefectsOptionsSchema>;
export type CompareOptions = z.infer<typeof compareOptionsSchema>;
export type CompareVariant = CompareOptions['variants'][number];
export type FindFacesOptions = z.infer<typeof findFacesOptionsSchema>;
export type RestoreFacesOptions = z.infer<typeof restoreFacesOptionsSchema>;
export type JobTask = JobOptions['task'];

/**
 * Where a job's pixels travel: 'inline' after the header in the POST body (the default), or 'bands':
 * the POST carries the header alone and the rows follow in PUTs (routes.jobImage / routes.jobMask), so
 * that neither side ever holds more than one band of a large image besides the helper's own copy.
 */
export const PIXEL_TRANSFERS = ['inline', 'bands'] as const;

/** Header of POST /v1/jobs: the options and the layout of the pixel sections that follow it (or come in bands). */
export const jobRequestHeaderSchema = z
  .object({
    options: jobOptionsSchema,
    image: pixelLayoutSchema,
    /** Single-channel mask (white = process), same size as the image; inpaint only. */
    mask: pixelLayoutSchema.optional(),
    /** 'inline' when absent. */
    pixels: z.enum(PIXEL_TRANSFERS).optional(),
  })
  .refine((h) => h.options.task !== 'inpaint' || h.mask !== undefined, { message: 'inpaint needs a mask', path: ['mask'] })
  .refine((h) => !h.mask || (h.mask.channels === 1 && h.mask.width === h.image.width && h.mask.height === h.image.height), {
    message: 'the mask must be one channel and the same size as the image',
    path: ['mask'],
  });
export type JobRequestHeader = z.infer<typeof jobRequestHeaderSchema>;

/** `receiving`: a banded job waiting for its rows; it joins the queue by itself once every row has arrived. */
export const JOB_STATES = ['receiving', 'queued', 'running', 'done', 'failed', 'cancelled'] as const;
export const jobStateSchema = z.enum(JOB_STATES);
export type JobState = z.infer<typeof jobStateSchema>;

export const jobTimingsSchema = z.object({
  queuedMs: z.number(),
  runMs: z.number(),
});

/**
 * What one output of a job holds: 'result' the job's image; 'variant' one variant of a compare job;
 * 'invented-detail' the map of invented detail of the result (one channel, 255 = most invented);
 * 'face-thumbnail' one found face, small; 'face-mask' where faces were pasted (one channel, 255 = pasted).
 */
export const OUTPUT_KINDS = ['result', 'variant', 'invented-detail', 'face-thumbnail', 'face-mask'] as const;
export type OutputKind = (typeof OUTPUT_KINDS)[number];

export const jobOutputSchema = z.object({
  kind: z.enum(OUTPUT_KINDS),
  /** What its layer or file is called, e.g. "realesrgan-x4plus · detail 1.5" or "Invented detail". */
  label: z.string(),
  /** Catalog ids of the models that made it, in order. */
  models: z.array(z.string()),
  image: pixelLayoutSchema,
});
export type JobOutput = z.infer<typeof jobOutputSchema>;

/** A face a find-faces or restore-faces job reports. */
export const jobFaceSchema = z.object({
  box: faceBoxSchema,
  /** The detector's confidence, 0..1. */
  score: z.number().min(0).max(1),
  /** restore-faces: cosine similarity of the face's embeddings before and after; absent where the identity model could not be had. */
  identity: z.number().min(-1).max(1).optional(),
  /** restore-faces: identity below the threshold: the restored face may not look like the same person. */
  mayNotLookLikeSamePerson: z.boolean().optional(),
});
export type JobFace = z.infer<typeof jobFaceSchema>;

/** What a finished job reports next to its pixels. */
export const jobSummarySchema = z.object({
  task: z.enum([...TASKS, 'find-defects', 'compare', 'find-faces', 'restore-faces']),
  models: z.array(z.string()),
  provider: z.string(),
  tiles: z.number().int(),
  timings: jobTimingsSchema,
  /**
   * Every output of a job that answers more than one image (compare variants, a map of invented detail),
   * the main result first (index 0, the image of the `done` event); fetched with routes.jobResult(id, band, index).
   */
  outputs: z.array(jobOutputSchema).optional(),
  /** find-faces and restore-faces: the faces, in the order of their thumbnails (find-faces) or as restored. */
  faces: z.array(jobFaceSchema).max(MAX_FACES).optional(),
});
export type JobSummary = z.infer<typeof jobSummarySchema>;

export const jobErrorSchema = z.object({ code: z.string(), message: z.string() });
export type JobError = z.infer<typeof jobErrorSchema>;

/** Stage of a banded job's progress while its rows arrive: done/total count rows of the image and mask. */
export const RECEIVING_STAGE = 'receiving';

/**
 * Stages of a job whose model is prepared on first use (catalog status `available`) before it runs: its
 * source package downloading (done/total in bytes; total 0 when the registry does not say), then its files
 * converting (done/total in files). The model's tiles follow, with the model's id as their stage.
 */
export const PREPARE_DOWNLOAD_STAGE = 'prepare:download';
export const PREPARE_CONVERT_STAGE = 'prepare:convert';

/** GET /v1/jobs/:id and the body of POST /v1/jobs (status 202). */
export const jobStatusSchema = z.object({
  id: z.string(),
  state: jobStateSchema,
  /** Jobs ahead of this one in the queue (0 when receiving, running or finished). */
  position: z.number().int().min(0),
  progress: z.object({ done: z.number().int().min(0), total: z.number().int().min(0), stage: z.string() }),
  summary: jobSummarySchema.optional(),
  /** The result's layout, once done: what the client needs before fetching it band by band. */
  result: pixelLayoutSchema.optional(),
  error: jobErrorSchema.optional(),
});
export type JobStatus = z.infer<typeof jobStatusSchema>;

/** Messages on the WebSocket /v1/jobs/:id/events; one JSON text frame each. The last is done, failed or cancelled. */
export const jobEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('queued'), position: z.number().int().min(0) }),
  z.object({ type: z.literal('progress'), done: z.number().int().min(0), total: z.number().int().min(0), stage: z.string() }),
  z.object({ type: z.literal('done'), summary: jobSummarySchema, image: pixelLayoutSchema }),
  z.object({ type: z.literal('failed'), error: jobErrorSchema }),
  z.object({ type: z.literal('cancelled') }),
]);
export type JobEvent = z.infer<typeof jobEventSchema>;

/** Header of the GET /v1/jobs/:id/result body; the output pixels follow it (only the band's rows, when asked for a band). */
export const jobResultHeaderSchema = z.object({
  /** The whole result's layout, also when the body holds one band. */
  image: pixelLayoutSchema,
  summary: jobSummarySchema,
  band: z.object({ top: z.number().int().min(0), rows: z.number().int().min(1) }).optional(),
});
export type JobResultHeader = z.infer<typeof jobResultHeaderSchema>;

/**
 * The shipped model whose output equals its input (restore, ×1): the panel's self-test makes a helper
 * round trip through it. It is never a default, and `mend eval` / `mend bench` do not measure it.
 */
export const IDENTITY_MODEL_ID = 'identity';
