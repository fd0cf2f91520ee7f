import { z } from 'zod';
import { pixelLayoutSchema } from './pixels';

export const TASKS = ['upscale', 'restore', 'inpaint'] as const;
export const taskSchema = z.enum(TASKS);
export type Task = z.infer<typeof taskSchema>;

const modelIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'model ids are lower-case letters, digits, ".", "_" and "-"');

const tileSchema = z.number().int().min(32).max(4096);

export const upscaleOptionsSchema = z.object({
  task: z.literal('upscale'),
  /** Catalog id; the catalog's default upscaler when absent. */
  model: modelIdSchema.optional(),
  /** Wanted factor; the model's own scale when absent. Factors the model does not have are reached by extra passes or a final resample. */
  scale: z.number().int().min(1).max(8).optional(),
  /** A restore model run before upscaling, in the same job. */
  cleanFirst: modelIdSchema.optional(),
  tile: tileSchema.optional(),
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

/** 0..1: higher finds fainter and larger defects, at the cost of more false alarms. */
export const DEFAULT_SENSITIVITY = 0.5;
export const sensitivitySchema = z.number().min(0).max(1);

/** Dust and scratches of a scanned print; the result is their mask (one channel, 255 = defect), for review before a fill. */
export const findDefectsOptionsSchema = z.object({
  task: z.literal('find-defects'),
  sensitivity: sensitivitySchema.default(DEFAULT_SENSITIVITY),
});

export const jobOptionsSchema = z.discriminatedUnion('task', [upscaleOptionsSchema, restoreOptionsSchema, inpaintOptionsSchema, findDefectsOptionsSchema]);
export type JobOptions = z.infer<typeof jobOptionsSchema>;
export type UpscaleOptions = z.infer<typeof upscaleOptionsSchema>;
export type RestoreOptions = z.infer<typeof restoreOptionsSchema>;
export type InpaintOptions = z.infer<typeof inpaintOptionsSchema>;
export type FindDefectsOptions = z.infer<typeof findDefectsOptionsSchema>;
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

/** What a finished job reports next to its pixels. */
export const jobSummarySchema = z.object({
  task: z.enum([...TASKS, 'find-defects']),
  models: z.array(z.string()),
  provider: z.string(),
  tiles: z.number().int(),
  timings: jobTimingsSchema,
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
