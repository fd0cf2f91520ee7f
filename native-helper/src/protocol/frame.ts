/**
 * Binary framing shared by job requests and results:
 *   [u32 little-endian: header byte length][UTF-8 JSON header][pixel sections, back to back]
 * Pixel sections are raw interleaved samples, little-endian, sized by the layouts in the header.
 */
import type { z } from 'zod';

export const FRAME_CONTENT_TYPE = 'application/vnd.mend.frame';
export const FRAME_PREFIX_BYTES = 4;
/** A header is a few hundred bytes; anything near this is not ours. */
export const MAX_FRAME_HEADER_BYTES = 64 * 1024;

export class FrameError extends Error {}

export function encodeFrameHeader(header: unknown): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(FRAME_PREFIX_BYTES + json.byteLength);
  new DataView(out.buffer).setUint32(0, json.byteLength, true);
  out.set(json, FRAME_PREFIX_BYTES);
  return out;
}

/** Reads the JSON header at the start of a frame; returns it validated, and where the pixels begin. */
export function decodeFrameHeader<S extends z.ZodType>(bytes: Uint8Array, schema: S): { header: z.infer<S>; bodyOffset: number } {
  if (bytes.byteLength < FRAME_PREFIX_BYTES) throw new FrameError('the body is too short to hold a Mend frame header');
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  if (length === 0 || length > MAX_FRAME_HEADER_BYTES) throw new FrameError(`the frame header length ${length} is out of range`);
  if (bytes.byteLength < FRAME_PREFIX_BYTES + length) throw new FrameError('the body ends inside the frame header');
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(FRAME_PREFIX_BYTES, FRAME_PREFIX_BYTES + length)));
  } catch {
    throw new FrameError('the frame header is not valid UTF-8 JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new FrameError(`the frame header is invalid: ${describeIssues(parsed.error)}`);
  return { header: parsed.data, bodyOffset: FRAME_PREFIX_BYTES + length };
}

export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
}
