import { MendError } from '../../errors';

const TAG_FP16 = 0x01306b47;
const TAG_INT8 = 0x000d4b38;
const TAG_FP32_SCALED = 0x0002c056;

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x03ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

/**
 * Reads weight arrays from an ncnn .bin in the order layers ask for them. A "tagged" array starts
 * with a 4-byte tag saying how it is stored (fp16, int8, quantized table, or fp32); the tag is per
 * array, so one file can mix them. An "untagged" array is raw fp32 (biases, PReLU slopes).
 */
export class ModelBinReader {
  private offset = 0;
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly fileName: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private need(count: number, what: string): void {
    if (this.offset + count > this.bytes.byteLength) {
      throw new MendError('model_invalid', `${this.fileName} ends early while reading ${what} (offset ${this.offset}, ${count} bytes needed)`);
    }
  }

  private float32s(count: number, what: string): Float32Array {
    this.need(count * 4, what);
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = this.view.getFloat32(this.offset + i * 4, true);
    this.offset += count * 4;
    return out;
  }

  untagged(count: number, what: string): Float32Array {
    return this.float32s(count, what);
  }

  tagged(count: number, what: string): Float32Array {
    this.need(4, what);
    const tag = this.view.getUint32(this.offset, true);
    const flagBytes = this.bytes.subarray(this.offset, this.offset + 4);
    this.offset += 4;
    if (tag === TAG_FP16) {
      const size = align4(count * 2);
      this.need(size, what);
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = halfToFloat(this.view.getUint16(this.offset + i * 2, true));
      this.offset += size;
      return out;
    }
    if (tag === TAG_INT8) throw new MendError('model_invalid', `${this.fileName}: ${what} is int8-quantized, which Mend does not convert`);
    if (tag === TAG_FP32_SCALED) return this.float32s(count, what);
    if (flagBytes[0] + flagBytes[1] + flagBytes[2] + flagBytes[3] !== 0) {
      const table = this.float32s(256, `${what} quantization table`);
      const size = align4(count);
      this.need(size, what);
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = table[this.bytes[this.offset + i]];
      this.offset += size;
      return out;
    }
    return this.float32s(count, what);
  }

  /** Everything must have been read: leftovers mean the .param and .bin do not belong together. */
  assertConsumed(): void {
    if (this.offset !== this.bytes.byteLength) {
      throw new MendError('model_invalid', `${this.fileName} has ${this.bytes.byteLength - this.offset} bytes left over: it does not match its .param file`);
    }
  }
}
