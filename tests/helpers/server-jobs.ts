import { readFileSync } from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { FRAME_CONTENT_TYPE, bearer, encodeFrameHeader, routes, type Info, type JobEvent, type JobRequestHeader, type JobStatus } from '../../native-helper/src/protocol';
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
