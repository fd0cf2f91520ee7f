import { timingSafeEqual } from 'node:crypto';

/** Hosts a loopback server is reached by; anything else is a DNS-rebinding attempt. */
export function isLoopbackHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(host.toLowerCase());
}

/**
 * Whether a request comes from a real web page, which carries an http(s) Origin. The token on every
 * request and the Host check carry the security; this check only keeps web pages out. What the
 * Photoshop panel sends is undocumented: none, "null", or a non-web scheme (uxp://, file://), so all
 * of those are accepted. A sandboxed page also sends "null", but it cannot know the token.
 */
export function isWebPageOrigin(origin: string | undefined): boolean {
  if (origin === undefined) return false;
  const value = origin.trim().toLowerCase();
  return value.startsWith('http:') || value.startsWith('https:');
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
