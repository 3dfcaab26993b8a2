// Serving the built renderer (dist/renderer) safely: no path escapes, correct content types, caching
// for Vite's hashed assets, and a page explaining what to do when the renderer is not built.
import * as fs from 'node:fs';
import * as path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

export function contentType(file: string): string {
  return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** The file under `root` that `urlPath` names (`/` → index.html), or null if there is none or it escapes root. */
export function resolveStatic(root: string, urlPath: string): string | null {
  let decoded: string;
  try { decoded = decodeURIComponent(urlPath); } catch { return null; }
  if (decoded.includes('\0')) return null;
  const rel = path.posix.normalize('/' + decoded.replace(/\\/g, '/')).replace(/^\/+/, '');
  if (rel.split('/').some(part => part.startsWith('.') && part !== '')) return null; // no dotfiles, no ..
  const rootAbs = path.resolve(root);
  let file = path.resolve(rootAbs, rel || 'index.html');
  if (file !== rootAbs && !file.startsWith(rootAbs + path.sep)) return null;
  try {
    let st = fs.statSync(file);
    if (st.isDirectory()) { file = path.join(file, 'index.html'); st = fs.statSync(file); }
    return st.isFile() ? file : null;
  } catch {
    return null;
  }
}

export function notBuiltPage(rendererDir: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Matrix Explorer — renderer not built</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:42em;margin:3em auto;padding:0 1em}code{background:#eee;padding:.1em .3em}</style>
</head><body>
<h1>The user interface has not been built</h1>
<p>The server is running, but <code>${escapeHtml(path.join(rendererDir, 'index.html'))}</code> does not exist.</p>
<p>Build it with <code>npm run build</code> in the Matrix Explorer checkout, then reload this page.</p>
</body></html>`;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]!));
}
