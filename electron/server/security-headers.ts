// Headers on every browser-mode response: the UI's CSP (shared with the desktop app) plus the WebSocket back to
// this server. The token travels in the URL, so no Referer is ever sent.
import { contentSecurityPolicy } from '../shell/csp';

export function securityHeaders(wsOrigins: string[]): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy({ connect: wsOrigins }),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}
