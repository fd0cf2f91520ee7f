import { bandsOf } from '../../plugin/src/workflows/bands';
import type { BandedPixels, Host, HostPixels, ReadRequest, SourceRead } from '../../plugin/src/workflows/host';

/** Pixels held whole, handed out band by band as the host and the helper client read them. */
export function banded(pixels: HostPixels, log?: Array<{ top: number; rows: number }>): BandedPixels {
  const { data, ...format } = pixels;
  const rowSamples = pixels.width * pixels.channels;
  return {
    ...format,
    readBand: async (top, rows) => {
      if (top < 0 || rows < 1 || top + rows > pixels.height) throw new Error(`band ${top}+${rows} is outside ${pixels.height} rows`);
      log?.push({ top, rows });
      return data.slice(top * rowSamples, (top + rows) * rowSamples);
    },
  };
}

/** Every band of `pixels`, gathered into one array. */
export async function gather(pixels: BandedPixels, rows = 3): Promise<HostPixels> {
  const { readBand: _readBand, ...format } = pixels;
  const rowSamples = pixels.width * pixels.channels;
  const data = pixels.bitDepth === 16 ? new Uint16Array(rowSamples * pixels.height) : new Uint8Array(rowSamples * pixels.height);
  for (const band of bandsOf(pixels.height, rows)) data.set(await pixels.readBand(band.top, band.rows), band.top * rowSamples);
  return { ...format, data };
}

export type WholeRead = Omit<SourceRead, 'pixels'> & { pixels: HostPixels };

/** `host.read` with the pixels gathered inside its scope, for tests that look at them whole. */
export function readWhole(host: Host, request: ReadRequest, rows?: number): Promise<WholeRead> {
  return host.read(request, async (source) => ({ ...source, pixels: await gather(source.pixels, rows) }));
}
