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

export const jobOptionsSchema = z.discriminatedUnion('task', [upscaleOptionsSchema, restoreOptionsSchema, inpaintOptionsSchema, findDefectsOptionsSchema, compareOptionsSchema]);
export type JobOptions = z.infer<typeof jobOptionsSchema>;
export type UpscaleOptions = z.infer<typeof upscaleOptionsSchema>;
export type RestoreOptions = z.infer<typeof restoreOptionsSchema>;
export type InpaintOptions = z.infer<typeof inpaintOptionsSchema>;
export type FindDefectsOptions = z.infer<typeof findDefectsOptionsSchema>;
export type CompareOptions = z.infer<typeof compareOptionsSchema>;
export type CompareVariant = CompareOptions['variants'][number];
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
 * 'invented-detail' the map of invented detail of the result (one channel, 255 = most invented).
 */
export const OUTPUT_KINDS = ['result', 'variant', 'invented-detail'] as const;
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

/** What a finished job reports next to its pixels. */
export const jobSummarySchema = z.object({
  task: z.enum([...TASKS, 'find-defects', 'compare']),
  models: z.array(z.string()),
  provider: z.string(),
  tiles: z.number().int(),
  timings: jobTimingsSchema,
  /**
   * Every output of a job that answers more than one image (compare variants, a map of invented detail),
   * the main result first (index 0, the image of the `done` event); fetched with routes.jobResult(id, band, index).
   */
  outputs: z.array(jobOutputSchema).optional(),
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
