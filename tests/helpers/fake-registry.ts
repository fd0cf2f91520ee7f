import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import { GraphFixture } from './graph-fixture';

/** A TF.js graph model package as npm would serve it: output = 0.5·input + 0.25, plus incompressible padding so the download takes several progress steps. */
export interface FakePackage {
  name: string;
  version: string;
  tarball: Buffer;
  integrity: string;
}

export const FAKE_PACKAGE_NAME = '@fake/tiny-graph';

/** Writes model.json and its weights: y = x·0.5 + 0.25 on an NHWC float input. */
export function writeTinyGraphModel(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const graph = new GraphFixture();
  const float = { T: { type: 'DT_FLOAT' } };
  const scaled = graph.op('scaled', 'Mul', ['x', graph.constant('half', [], 'float32', [0.5])], float);
  graph.op('y', 'AddV2', [scaled, graph.constant('quarter', [], 'float32', [0.25])], float);
  return graph.write(dir, 'y');
}

/** Packs the tiny graph model (models/model.json) with `paddingBytes` of random data into an npm tarball. */
export async function packTinyGraphPackage(version = '0.1.0', paddingBytes = 3 << 20): Promise<FakePackage> {
  const work = mkdtempSync(path.join(tmpdir(), 'mend-fake-package-'));
  try {
    const root = path.join(work, 'package');
    writeTinyGraphModel(path.join(root, 'models'));
    writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: FAKE_PACKAGE_NAME, version }));
    writeFileSync(path.join(root, 'padding.bin'), randomBytes(paddingBytes));
    const file = path.join(work, 'package.tgz');
    await tar.c({ gzip: true, file, cwd: work, portable: true }, ['package']);
    const tarball = readFileSync(file);
    return { name: FAKE_PACKAGE_NAME, version, tarball, integrity: `sha512-${createHash('sha512').update(tarball).digest('base64')}` };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export interface FakeRegistry {
  url: string;
  /** Tarball requests answered so far. */
  tarballRequests: number;
  /** While set, a tarball is sent only up to this many bytes, then the answer stalls until the client goes away. */
  stallAfter?: number;
  /** While set, a tarball is sent only up to this many bytes, then the connection is cut (a network that drops). */
  dropAfter?: number;
  /** While above 0, each tarball answer has one byte flipped (a corrupting proxy), and this counts down. */
  corruptAnswers: number;
  /** The Range header of each tarball request ('' when none), in order. */
  ranges: string[];
  /** npm settings that point npm at this registry, with a scratch npm cache. */
  npmEnv: Record<string, string>;
  close(): Promise<void>;
}

/** An npm registry on 127.0.0.1 serving one package: its packument (what `npm view` reads) and its tarball. */
export async function startFakeRegistry(pkg: FakePackage): Promise<FakeRegistry> {
  const npmCache = mkdtempSync(path.join(tmpdir(), 'mend-npm-cache-'));
  const tarballPath = `/${pkg.name}/-/${pkg.name.split('/')[1]}-${pkg.version}.tgz`;
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((request, response) => {
    const url = decodeURIComponent(request.url ?? '');
    if (url === `/${pkg.name}`) {
      const dist = { tarball: `${registry.url}${tarballPath.slice(1)}`, integrity: pkg.integrity };
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ name: pkg.name, 'dist-tags': { latest: pkg.version }, versions: { [pkg.version]: { name: pkg.name, version: pkg.version, dist } } }));
      return;
    }
    if (url === tarballPath) {
      registry.tarballRequests++;
      const range = request.headers.range ?? '';
      registry.ranges.push(range);
      let body = pkg.tarball;
      if (registry.corruptAnswers > 0) {
        registry.corruptAnswers--;
        body = Buffer.from(body);
        body[body.length >> 1] ^= 0xff;
      }
      const start = Number(/^bytes=(\d+)-$/.exec(range)?.[1] ?? 0);
      if (start >= body.byteLength) {
        response.statusCode = 416;
        response.setHeader('content-range', `bytes */${body.byteLength}`);
        response.end();
        return;
      }
      if (start > 0) {
        response.statusCode = 206;
        response.setHeader('content-range', `bytes ${start}-${body.byteLength - 1}/${body.byteLength}`);
      }
      body = body.subarray(start);
      response.setHeader('content-type', 'application/octet-stream');
      response.setHeader('content-length', body.byteLength);
      if (registry.dropAfter !== undefined) {
        // Half-closed after the bytes are out (a reset could discard some in flight): the client reads exactly these, then the end.
        response.write(body.subarray(0, registry.dropAfter), () => response.socket?.end());
      } else if (registry.stallAfter === undefined) {
        response.end(body);
      } else {
        response.write(body.subarray(0, registry.stallAfter));
      }
      return;
    }
    response.statusCode = 404;
    response.end('{}');
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const registry: FakeRegistry = {
    url: `http://127.0.0.1:${port}/`,
    tarballRequests: 0,
    corruptAnswers: 0,
    ranges: [],
    npmEnv: {
      npm_config_registry: `http://127.0.0.1:${port}/`,
      npm_config_cache: npmCache,
      npm_config_update_notifier: 'false',
      npm_config_fund: 'false',
      npm_config_audit: 'false',
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(npmCache, { recursive: true, force: true });
    },
  };
  return registry;
}
