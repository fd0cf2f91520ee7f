import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { TOKEN_FILE } from '../config/token';
import { freePort } from './free-port';
import { messageOf } from '../errors';
import { parseJson } from '../parse-input';
import { bearer, encodeFrameHeader, FRAME_CONTENT_TYPE, jobStatusSchema, routes, type JobRequestHeader, type JobStatus } from '../protocol';
import { benchTaskOf, childEnv, lastLine, MEND_BIN, type BenchContext, type BenchImage } from './bench-context';
import type { RawMeasurement } from './bench-document';
import { peakRssOf } from './measured-process';

const START_TIMEOUT_MS = 60_000;
const POLL_MS = 10;

interface RunningHelper {
  child: ChildProcessWithoutNullStreams;
  url: string;
  token: string;
}

/** `mend serve` as `npm start` runs it, until it prints where it listens. */
async function startHelper(context: BenchContext): Promise<RunningHelper> {
  const port = await freePort();
  const child = spawn(process.execPath, [MEND_BIN, 'serve', '--port', String(port)], { env: childEnv(context) });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`mend serve did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`mend serve exited with code ${code}: ${lastLine(stderr)}`));
    });
  });
  const token = (await readFile(path.join(context.configDir, TOKEN_FILE), 'utf8')).trim();
  return { child, url, token };
}

async function stopHelper(helper: RunningHelper): Promise<void> {
  if (helper.child.exitCode !== null) return;
  const exited = new Promise((resolve) => helper.child.once('exit', resolve));
  helper.child.kill('SIGTERM');
  await exited;
}

async function call(helper: RunningHelper, route: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(`${helper.url}${route}`, { ...init, headers: { ...init.headers, authorization: bearer(helper.token) } });
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${route} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  return response;
}

async function jobStatus(helper: RunningHelper, route: string, init?: RequestInit): Promise<JobStatus> {
  const response = await call(helper, route, init);
  return parseJson(await response.text(), jobStatusSchema, `the answer to ${init?.method ?? 'GET'} ${route}`);
}

/** One job as the panel runs it: pixels posted, status polled until done, output pixels read. */
async function runJob(helper: RunningHelper, body: Uint8Array<ArrayBuffer>): Promise<void> {
  const posted = await jobStatus(helper, routes.jobs, { method: 'POST', headers: { 'content-type': FRAME_CONTENT_TYPE }, body });
  let status = posted;
  while (status.state === 'queued' || status.state === 'running') {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    status = await jobStatus(helper, routes.job(posted.id));
  }
  if (status.state !== 'done') throw new Error(`the job ended ${status.state}: ${status.error?.message ?? ''}`);
  await (await call(helper, routes.jobResult(posted.id))).arrayBuffer();
}

/**
 * The path the Photoshop panel takes: a fresh `mend serve` per size (so its peak RSS is this size's),
 * the image's pixels decoded beforehand (the panel gets them from Photoshop), each job timed from
 * POST to the last byte of the result. Peak RSS is the helper's VmHWM after its jobs (Linux).
 */
export async function measureServer(context: BenchContext, image: BenchImage): Promise<RawMeasurement> {
  const { data, info } = await sharp(image.file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const header: JobRequestHeader = {
    options: { task: benchTaskOf(context.manifest), model: context.manifest.id },
    image: { width: info.width, height: info.height, channels: 3, bitDepth: 8, maxValue: 255 },
  };
  const prefix = encodeFrameHeader(header);
  const body = new Uint8Array(new ArrayBuffer(prefix.byteLength + data.byteLength));
  body.set(prefix);
  body.set(data, prefix.byteLength);

  let helper: RunningHelper | undefined;
  try {
    helper = await startHelper(context);
    const runsMs: number[] = [];
    for (let i = 0; i < context.repeats; i++) {
      const started = performance.now();
      await runJob(helper, body);
      runsMs.push(performance.now() - started);
    }
    const pid = helper.child.pid;
    return { path: 'server', size: image.size, runsMs, peakRssBytes: pid === undefined ? null : peakRssOf(pid) };
  } catch (error) {
    return { path: 'server', size: image.size, runsMs: [], peakRssBytes: null, notRun: `failed: ${messageOf(error)}` };
  } finally {
    if (helper) await stopHelper(helper);
  }
}
