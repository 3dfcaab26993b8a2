// Serves the UI from dist/renderer/ as app://renderer/… instead of file://, with the strict CSP on every response.
import * as fs from 'node:fs/promises';
import { protocol } from 'electron';
import { contentSecurityPolicy } from '../shell/csp';
import { resolveAppRequest } from '../shell/protocol-path';
import { APP_HOST, APP_SCHEME } from '../shell/sender-check';

/** Must run before app 'ready'. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true } },
  ]);
}

/** Must run after app 'ready'. */
export function handleAppProtocol(rootDir: string): void {
  const csp = contentSecurityPolicy();
  protocol.handle(APP_SCHEME, async request => {
    const asset = resolveAppRequest(request.url, rootDir, APP_HOST, APP_SCHEME);
    if (!asset || request.method !== 'GET') return new Response('Not found', { status: 404 });
    try {
      const body = await fs.readFile(asset.file);
      return new Response(body, {
        status: 200,
        headers: {
          'Content-Type': asset.mimeType,
          'Content-Security-Policy': csp,
          'X-Content-Type-Options': 'nosniff',
          'Cross-Origin-Opener-Policy': 'same-origin',
          'Cache-Control': 'no-cache',
        },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}
