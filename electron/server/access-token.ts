// The browser-mode access token: random, required on every HTTP and WebSocket request, either as
// `?token=` or as the cookie the server sets on the first request that carried it.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function newToken(): string {
  return randomBytes(24).toString('hex');
}

/** Cookies are per host, not per port: the name carries the port so two servers on one machine don't clash. */
export const cookieName = (port: number) => `mx_token_${port}`;

export function sameToken(given: string | undefined | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given), b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookies(req: IncomingMessage): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim(), decodeURIComponent(part.slice(eq + 1).trim()));
  }
  return out;
}

/** How the request proved it holds the token: 'query', 'cookie', or null (refuse it). */
export function tokenSource(req: IncomingMessage, url: URL, token: string, port: number): 'query' | 'cookie' | null {
  if (sameToken(url.searchParams.get('token'), token)) return 'query';
  if (sameToken(cookies(req).get(cookieName(port)), token)) return 'cookie';
  return null;
}

export function tokenCookie(token: string, port: number): string {
  return `${cookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}
