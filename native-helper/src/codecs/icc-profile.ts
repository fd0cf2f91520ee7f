import { iccpChunk, PNG_SIGNATURE } from './png-chunks';

/**
 * sharp can only attach a profile by converting the pixels into it, but Mend's pixels already are in
 * the input's profile (they were decoded untouched), so the profile is written into the encoded file
 * as the formats specify: a PNG iCCP chunk, JPEG APP2 "ICC_PROFILE" segments.
 */

/** The profile's colour space signature (header bytes 16..19), e.g. 'RGB ' or 'GRAY'. */
export function iccColourSpace(icc: Uint8Array): string {
  return icc.length >= 20 ? Buffer.from(icc.buffer, icc.byteOffset + 16, 4).toString('latin1') : '';
}

/** Whether the profile describes pixels with this many channels (alpha aside). */
export function iccFitsChannels(icc: Uint8Array, channels: number): boolean {
  return iccColourSpace(icc) === (channels <= 2 ? 'GRAY' : 'RGB ');
}

const PNG_IHDR_CHUNK_BYTES = 12 + 13;

function embedInPng(png: Buffer, icc: Uint8Array): Buffer {
  const at = PNG_SIGNATURE.length + PNG_IHDR_CHUNK_BYTES;
  return Buffer.concat([png.subarray(0, at), iccpChunk(icc), png.subarray(at)]);
}

const JPEG_ICC_MARKER = Buffer.from('ICC_PROFILE\0', 'latin1');
/** A JPEG segment holds at most 65535 bytes, length field, marker name and sequence bytes included. */
const JPEG_ICC_CHUNK_BYTES = 65535 - 2 - JPEG_ICC_MARKER.length - 2;

function embedInJpeg(jpeg: Buffer, icc: Uint8Array): Buffer {
  const count = Math.ceil(icc.length / JPEG_ICC_CHUNK_BYTES);
  const segments: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const part = icc.subarray(i * JPEG_ICC_CHUNK_BYTES, (i + 1) * JPEG_ICC_CHUNK_BYTES);
    const header = Buffer.alloc(4);
    header.writeUInt16BE(0xffe2, 0);
    header.writeUInt16BE(2 + JPEG_ICC_MARKER.length + 2 + part.length, 2);
    segments.push(header, JPEG_ICC_MARKER, Buffer.from([i + 1, count]), part);
  }
  // Right after the SOI marker: APPn segments come before the frame.
  return Buffer.concat([jpeg.subarray(0, 2), ...segments, jpeg.subarray(2)]);
}

export function embedIccProfile(encoded: Buffer, format: 'png' | 'jpeg', icc: Uint8Array): Buffer {
  return format === 'png' ? embedInPng(encoded, icc) : embedInJpeg(encoded, icc);
}
