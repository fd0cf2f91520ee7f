/**
 * The client fetches each output of a job that answered several (a compare's variants, the map of invented
 * detail) band by band with `?output=i`, and checks every band's frame header against what the job announced.
 */
import { encodeFrameHeader, type JobSummary, type PixelLayout } from '../../../native-helper/src/protocol';
import { HelperClient, type JobResult, type SocketLike } from '../../../plugin/src/helper-client/helper-client';

const RGB: PixelLayout = { width: 2, height: 3, channels: 3, bitDepth: 8, maxValue: 255 };
const MAP: PixelLayout = { width: 2, height: 3, channels: 1, bitDepth: 8, maxValue: 255 };
const SUMMARY: JobSummary = {
  task: 'upscale',
  models: ['m'],
  provider: 'cpu',
  tiles: 1,
  timings: { queuedMs: 0, runMs: 1 },
  outputs: [
    { kind: 'result', label: 'Upscale', models: ['m'], image: RGB },
    { kind: 'invented-detail', label: 'Invented detail', models: ['m'], image: MAP },
  ],
};

/** Output i's pixels: every sample of row y is 10·i + y. */
function answerBand(url: URL, layoutOf: (output: number) => PixelLayout, headerImage?: PixelLayout): Uint8Array<ArrayBuffer> {
  const output = Number(url.searchParams.get('output') ?? 0);
  const top = Number(url.searchParams.get('top'));
  const rows = Number(url.searchParams.get('rows'));
  const layout = layoutOf(output);
  const header = encodeFrameHeader({ image: headerImage ?? layout, summary: SUMMARY, band: { top, rows } });
  const rowBytes = layout.width * layout.channels;
  const body = new Uint8Array(rows * rowBytes).map((_v, i) => 10 * output + top + Math.floor(i / rowBytes));
  const frame = new Uint8Array(header.length + body.length);
  frame.set(header);
  frame.set(body, header.length);
  return frame;
}

/** A finished job from a client whose fetch answers result bands as `answer` says, and whose socket reports `done`. */
async function finishedJob(answer: (url: URL) => Uint8Array<ArrayBuffer>, requested: string[]): Promise<JobResult> {
  const fetch = (async (input: string) => {
    const url = new URL(input);
    requested.push(`${url.pathname}${url.search}`);
    return new Response(answer(url), { status: 200 });
  }) as unknown as typeof globalThis.fetch;
  let socket: SocketLike | undefined;
  const client = new HelperClient(
    'http://127.0.0.1:1',
    'token',
    () => {
      socket = { onmessage: null, onclose: null, onerror: null, close: () => undefined };
      return socket;
    },
    { fetch },
  );
  const result = client.awaitResult('j1');
  socket?.onmessage?.({ data: JSON.stringify({ type: 'done', summary: SUMMARY, image: RGB }) });
  return result;
}

it('fetches another output by its index, band by band, with its own layout', async () => {
  const requested: string[] = [];
  const job = await finishedJob((url) => answerBand(url, (i) => SUMMARY.outputs?.[i]?.image ?? RGB), requested);
  const map = job.output(1);
  expect(map.layout).toEqual(MAP);
  expect(Array.from(await map.readBand(1, 2))).toEqual([11, 11, 12, 12]);
  expect(Array.from(await job.readBand(2, 1))).toEqual([2, 2, 2, 2, 2, 2]);
  expect(requested).toEqual(['/v1/jobs/j1/result?top=1&rows=2&output=1', '/v1/jobs/j1/result?top=2&rows=1']);
  expect(job.output(0).layout).toEqual(RGB);
  expect(() => job.output(2)).toThrow(/answered 2 outputs, and the panel asked for output 2/);
});

it('refuses a band whose header announces another layout than the output has', async () => {
  const job = await finishedJob((url) => answerBand(url, () => MAP, RGB), []);
  await expect(job.output(1).readBand(0, 1)).rejects.toThrow(/answered output 1 of the result as 2×3×3 8-bit, not the 2×3×1 8-bit it announced/);
});

it('refuses a band with too few bytes', async () => {
  const job = await finishedJob((url) => answerBand(url, () => ({ ...MAP, width: 1 }), MAP), []);
  await expect(job.output(1).readBand(0, 2)).rejects.toThrow(/rows 0..1 of output 1 of the result with 2 bytes, not 4/);
});
