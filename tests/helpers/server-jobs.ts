import { readFileSync } from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import type { PixelImage } from '../../native-helper/src/imaging/pixel-image';
import {
  FRAME_CONTENT_TYPE,
  bearer,
  decodeFrameHeader,
  encodeFrameHeader,
  jobResultHeaderSchema,
  routes,
  type Info,
  type JobEvent,
  type JobOptions,
  type JobRequestHeader,
  type JobResultHeader,
  type JobStatus,
  type RowBand,
} from '../../native-helper/src/protocol';
import type { RunningServer } from '../../native-helper/src/server/server';

/** A paired client of a running helper server, as the panel is: restore jobs, their events, cancel, /v1/info. */
export function serverClient(server: RunningServer, configDir: string) {
  const token = readFileSync(path.join(configDir, 'token'), 'utf8').trim();
  const api = (route: string, init: RequestInit = {}) =>
    fetch(`${server.url}${route}`, { ...init, headers: { authorization: bearer(token), ...(init.headers as Record<string, string>) } });
  return {
    api,
    info: async () => (await (await api(routes.info)).json()) as Info,
    /** Posts a restore job of `model` on a width×height RGB gradient; answers the job's status. */
    async restore(model: string, width: number, height: number): Promise<JobStatus> {
      const header: JobRequestHeader = { options: { task: 'restore', model }, image: { width, height, channels: 3, bitDepth: 8, maxValue: 255 } };
      const head = encodeFrameHeader(header);
      const body = new Uint8Array(head.byteLength + width * height * 3);
      body.set(head);
      for (let i = 0; i < width * height * 3; i++) body[head.byteLength + i] = i % 256;
      const response = await api(routes.jobs, { method: 'POST', body, headers: { 'content-type': FRAME_CONTENT_TYPE } });
      if (response.status !== 202) throw new Error(`POST /v1/jobs answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as JobStatus;
    },
    /** Posts a job of `options` on `image`, its pixels inline; answers the job's status. */
    async submit(options: JobOptions, image: PixelImage): Promise<JobStatus> {
      const { data, ...layout } = image;
      const head = encodeFrameHeader({ options, image: layout } satisfies JobRequestHeader);
      const pixels = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      const body = new Uint8Array(head.byteLength + pixels.byteLength);
      body.set(head);
      body.set(pixels, head.byteLength);
      const response = await api(routes.jobs, { method: 'POST', body, headers: { 'content-type': FRAME_CONTENT_TYPE } });
      if (response.status !== 202) throw new Error(`POST /v1/jobs answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as JobStatus;
    },
    /** GET routes.jobResult: the frame's header and the pixel bytes after it; throws unless answered 200. */
    async result(id: string, band?: RowBand, output?: number): Promise<{ header: JobResultHeader; pixels: Uint8Array }> {
      const response = await api(routes.jobResult(id, band, output));
      if (response.status !== 200) throw new Error(`GET result answered ${response.status}: ${await response.text()}`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      const { header, bodyOffset } = decodeFrameHeader(bytes, jobResultHeaderSchema);
      return { header, pixels: bytes.subarray(bodyOffset) };
    },
    /** The job's events from now on; `onEvent` sees each as it comes. Resolves with all of them once the job ends. */
    events(id: string, onEvent: (event: JobEvent) => void = () => undefined): Promise<JobEvent[]> {
      return new Promise((resolve, reject) => {
        const seen: JobEvent[] = [];
        const socket = new WebSocket(`${server.url.replace('http', 'ws')}${routes.jobEvents(id)}?token=${token}`);
        socket.on('message', (data) => {
          const event = JSON.parse(String(data)) as JobEvent;
          seen.push(event);
          onEvent(event);
        });
        socket.on('close', () => resolve(seen));
        socket.on('error', reject);
      });
    },
    cancel: (id: string) => api(routes.job(id), { method: 'DELETE' }),
  };
}
