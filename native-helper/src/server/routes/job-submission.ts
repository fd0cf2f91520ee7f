import type { FastifyInstance } from 'fastify';
import { totalmem } from 'node:os';
import type { MendApp } from '../../app';
import { sampleArrayFor, type PixelImage, type SampleArray } from '../../imaging/pixel-image';
import { jobSizeRefusal, type JobScale } from '../../jobs/job-size';
import {
  FRAME_CONTENT_TYPE,
  FrameError,
  bytesPerSample,
  decodeFrameHeader,
  jobRequestHeaderSchema,
  pixelByteLength,
  routes,
  type JobRequestHeader,
  type PixelLayout,
  type UpscaleOptions,
} from '../../protocol';
import { HttpError } from '../http-error';
import type { RouteContext } from '../route-context';

/** The factors an upscale will run at: `scale`, else its model's own (the catalog's default upscaler when none is named). */
function upscaleScale(app: MendApp, options: UpscaleOptions): JobScale {
  // An unknown model fails when the job runs, with the catalog's message; until then it counts as ×1.
  const modelScale = app.upscalerScale(options.model, options.scale) ?? 1;
  return { target: options.scale ?? modelScale, model: modelScale };
}

function decodeJobRequest(body: Buffer): { header: JobRequestHeader; bodyOffset: number } {
  try {
    return decodeFrameHeader(body, jobRequestHeaderSchema);
  } catch (error) {
    if (error instanceof FrameError) throw new HttpError(400, 'bad_request', error.message);
    throw error;
  }
}

/** The pixel section at `offset` as samples of the layout's depth, copied so 16/32-bit samples are aligned whatever the offset. */
function copyAlignedSamples(body: Uint8Array, offset: number, layout: PixelLayout): SampleArray {
  const data = sampleArrayFor(layout.bitDepth, layout.width * layout.height * layout.channels);
  new Uint8Array(data.buffer).set(body.subarray(offset, offset + pixelByteLength(layout)));
  return data;
}

/** The image (and mask) that follow the header of an inline job, refused unless the body holds exactly their bytes. */
function inlinePixels(body: Buffer, bodyOffset: number, header: JobRequestHeader): { image: PixelImage; mask?: PixelImage } {
  const imageBytes = pixelByteLength(header.image);
  const maskBytes = header.mask ? pixelByteLength(header.mask) : 0;
  if (body.byteLength !== bodyOffset + imageBytes + maskBytes) {
    const layout = header.image;
    throw new HttpError(
      400,
      'bad_request',
      `the body holds ${body.byteLength - bodyOffset} pixel bytes, but a ${layout.width}×${layout.height} image of ${layout.channels} channels at ${bytesPerSample(layout.bitDepth) * 8} bits${header.mask ? ' plus its mask' : ''} needs ${imageBytes + maskBytes}`,
    );
  }
  const image: PixelImage = { ...header.image, data: copyAlignedSamples(body, bodyOffset, header.image) };
  const mask: PixelImage | undefined = header.mask && { ...header.mask, data: copyAlignedSamples(body, bodyOffset + imageBytes, header.mask) };
  return { image, mask };
}

/** POST routes.jobs: a job with its pixels inline (queued), or its header alone (receiving its bands); 202 with its status. */
export function addJobSubmissionRoute(server: FastifyInstance, { app, queue }: RouteContext): void {
  server.post(routes.jobs, async (request, reply) => {
    if (!Buffer.isBuffer(request.body)) throw new HttpError(400, 'bad_request', `send the job as ${FRAME_CONTENT_TYPE}`);
    const body = request.body;
    const { header, bodyOffset } = decodeJobRequest(body);
    const tooLarge = jobSizeRefusal(header, (options) => upscaleScale(app, options), totalmem());
    if (tooLarge) throw new HttpError(413, 'too_large', tooLarge);
    if (header.pixels === 'bands') {
      if (body.byteLength !== bodyOffset)
        throw new HttpError(400, 'bad_request', `a job whose pixels come in bands is posted as its header alone, but ${body.byteLength - bodyOffset} bytes follow the header`);
      return reply.status(202).send(queue.receive(header.options, header.image, header.mask));
    }
    const { image, mask } = inlinePixels(body, bodyOffset, header);
    return reply.status(202).send(queue.submit({ options: header.options, image, mask }));
  });
}
