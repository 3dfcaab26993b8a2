// Headers on every browser-mode response. The CSP matches what the renderer needs: our own scripts only
// (no 'unsafe-eval': checked in Chromium, the heatmap and the Plotly slices/histogram render without it
// and log no violation; plotly's `Function(...)` uses sit in fallbacks that are not reached), inline styles
// (Plotly and React set them), data:/blob: images (Plotly exports, canvases), and the WebSocket back
// to this server. The token travels in the URL, so no Referer is ever sent.
export function contentSecurityPolicy(wsOrigins: string[]): string {
  const d: Record<string, string[]> = {
    'default-src': ["'none'"],
    'script-src': ["'self'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", ...wsOrigins],
    'worker-src': ["'self'", 'blob:'],
    'manifest-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
  };
  return Object.entries(d).map(([k, v]) => `${k} ${v.join(' ')}`).join('; ');
}

export function securityHeaders(wsOrigins: string[]): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(wsOrigins),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}
