import { timingSafeEqual } from 'node:crypto';

/** Hosts a loopback server is reached by; anything else is a DNS-rebinding attempt. */
export function isLoopbackHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(host.toLowerCase());
}

/**
 * A web page's fetch or WebSocket carries an http(s) Origin (or "null" from sandboxed frames and
 * files); the Photoshop panel and local tools send none or a non-web one. Web pages are refused.
 */
export function isWebPageOrigin(origin: string | undefined): boolean {
  if (origin === undefined) return false;
  const value = origin.trim().toLowerCase();
  return value === 'null' || value.startsWith('http:') || value.startsWith('https:');
}

export function tokenMatches(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}
