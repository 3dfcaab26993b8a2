// The Content-Security-Policy of every page of the UI, in the desktop app (app://) and in browser mode (with the
// WebSocket origins added). Strict: only our own scripts, no eval (checked in Chromium: the heatmap and Plotly render
// without it and log no violation), no remote anything. Plotly and React need inline styles; data:/blob: images serve
// Plotly exports and canvases.

export interface CspOptions {
  /** Extra connect-src entries (e.g. a dev server's ws:// URL). */
  connect?: string[];
}

export function contentSecurityPolicy(options: CspOptions = {}): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'none'"],
    'script-src': ["'self'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", ...(options.connect ?? [])],
    'worker-src': ["'self'", 'blob:'],
    'manifest-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
    'frame-src': ["'none'"],
  };
  return Object.entries(directives).map(([k, v]) => `${k} ${v.join(' ')}`).join('; ');
}
