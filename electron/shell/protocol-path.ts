// Maps an app:// request URL to a file under the renderer's build directory, refusing anything that would
// escape it (../, encoded ../, backslashes, absolute paths, NUL). Unknown extension-less routes get index.html.
import * as path from 'node:path';

export interface ResolvedAsset { file: string; mimeType: string }

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function mimeTypeFor(file: string): string {
  return MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file to serve for `requestUrl` (e.g. `app://renderer/assets/index.js`) from `rootDir`, or null when the
 * URL is on another host/scheme or tries to leave `rootDir`.
 */
export function resolveAppRequest(requestUrl: string, rootDir: string, expectedHost: string, scheme = 'app'): ResolvedAsset | null {
  let url: URL;
  try { url = new URL(requestUrl); } catch { return null; }
  if (url.protocol !== `${scheme}:` || url.host !== expectedHost) return null;
  let rel: string;
  try { rel = decodeURIComponent(url.pathname); } catch { return null; }
  if (rel.includes('\0') || rel.includes('\\')) return null;
  const segments = rel.split('/').filter(s => s.length > 0);
  if (segments.some(s => s === '..' || s === '.')) return null;
  if (segments.length === 0) segments.push('index.html');
  else if (path.extname(segments[segments.length - 1]) === '') segments.splice(0, segments.length, 'index.html');
  const root = path.resolve(rootDir);
  const file = path.resolve(root, ...segments);
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  return { file, mimeType: mimeTypeFor(file) };
}
