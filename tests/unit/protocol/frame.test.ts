import { z } from 'zod';
import { FrameError, decodeFrameHeader, encodeFrameHeader } from '../../../native-helper/src/protocol';

const anyHeader = z.record(z.string(), z.unknown());
const header = { options: { task: 'restore', model: 'é-модель' }, note: 'Ünïcødé 🎨 "quoted" \\ \u0001 日本' };

/** Runs `body` in a runtime without TextEncoder and TextDecoder, as UXP may be. */
function withoutTextCodecs<T>(body: () => T): T {
  const saved = { TextEncoder: globalThis.TextEncoder, TextDecoder: globalThis.TextDecoder };
  delete (globalThis as Partial<typeof globalThis>).TextEncoder;
  delete (globalThis as Partial<typeof globalThis>).TextDecoder;
  try {
    return body();
  } finally {
    Object.assign(globalThis, saved);
  }
}

describe('frame headers', () => {
  it('are pure ASCII, written and read back the same without TextEncoder or TextDecoder', () => {
    const bytes = withoutTextCodecs(() => encodeFrameHeader(header));
    expect(bytes.subarray(4).every((b) => b < 0x80)).toBe(true);
    const pixels = new Uint8Array([9, 8, 7]);
    const frame = new Uint8Array([...bytes, ...pixels]);
    const decoded = withoutTextCodecs(() => decodeFrameHeader(frame, anyHeader));
    expect(decoded.header).toEqual(header);
    expect(Array.from(frame.subarray(decoded.bodyOffset))).toEqual([9, 8, 7]);
  });

  it('still reads the UTF-8 headers of older clients where TextDecoder exists, and says why it cannot without it', () => {
    const json = new TextEncoder().encode(JSON.stringify(header));
    const frame = new Uint8Array(4 + json.byteLength);
    new DataView(frame.buffer).setUint32(0, json.byteLength, true);
    frame.set(json, 4);
    expect(decodeFrameHeader(frame, anyHeader).header).toEqual(header);
    expect(() => withoutTextCodecs(() => decodeFrameHeader(frame, anyHeader))).toThrow(new FrameError('the frame header is not ASCII, and this runtime cannot decode UTF-8'));
  });
});
