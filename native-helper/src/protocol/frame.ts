/**
 * Binary framing shared by job requests and results:
 *   [u32 little-endian: header byte length][ASCII JSON header][pixel sections, back to back]
 * Pixel sections are raw interleaved samples, little-endian, sized by the layouts in the header.
 *
 * Headers are pure ASCII (non-ASCII characters escaped as \uXXXX, which JSON reads back as they were):
 * UXP documents neither TextEncoder nor TextDecoder, and ASCII needs only charCodeAt / fromCharCode.
 */
import type { z } from 'zod';

export const FRAME_CONTENT_TYPE = 'application/vnd.mend.frame';
export const FRAME_PREFIX_BYTES = 4;
/** A header is a few hundred bytes; anything near this is not ours. */
export const MAX_FRAME_HEADER_BYTES = 64 * 1024;

export class FrameError extends Error {}

export function encodeFrameHeader(header: unknown): Uint8Array<ArrayBuffer> {
  const json = JSON.stringify(header).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const out = new Uint8Array(FRAME_PREFIX_BYTES + json.length);
  new DataView(out.buffer).setUint32(0, json.length, true);
  for (let i = 0; i < json.length; i++) out[FRAME_PREFIX_BYTES + i] = json.charCodeAt(i);
  return out;
}

/** ASCII as it is; anything else through TextDecoder where the runtime has one (older clients sent UTF-8). */
function headerText(bytes: Uint8Array): string {
  if (bytes.every((b) => b < 0x80)) {
    let text = '';
    // In slices: fromCharCode takes its arguments on the stack.
    for (let at = 0; at < bytes.length; at += 8192) text += String.fromCharCode(...bytes.subarray(at, at + 8192));
    return text;
  }
  if (typeof globalThis.TextDecoder !== 'function') throw new FrameError('the frame header is not ASCII, and this runtime cannot decode UTF-8');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new FrameError('the frame header is not valid UTF-8');
  }
}

/** Reads the JSON header at the start of a frame; returns it validated, and where the pixels begin. */
export function decodeFrameHeader<S extends z.ZodType>(bytes: Uint8Array, schema: S): { header: z.infer<S>; bodyOffset: number } {
  if (bytes.byteLength < FRAME_PREFIX_BYTES) throw new FrameError('the body is too short to hold a Mend frame header');
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  if (length === 0 || length > MAX_FRAME_HEADER_BYTES) throw new FrameError(`the frame header length ${length} is out of range`);
  if (bytes.byteLength < FRAME_PREFIX_BYTES + length) throw new FrameError('the body ends inside the frame header');
  let json: unknown;
  const text = headerText(bytes.subarray(FRAME_PREFIX_BYTES, FRAME_PREFIX_BYTES + length));
  try {
    json = JSON.parse(text);
  } catch {
    throw new FrameError('the frame header is not valid JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new FrameError(`the frame header is invalid: ${describeIssues(parsed.error)}`);
  return { header: parsed.data, bodyOffset: FRAME_PREFIX_BYTES + length };
}

export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
}
