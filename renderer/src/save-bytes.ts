// Saves exported bytes: through the client (Electron: a save dialog) when it can, else a browser download.
import type { MatrixClient } from '../../shared/client';

export function download(name: string, data: Uint8Array, mime: string): void {
  const blob = new Blob([data as BlobPart], { type: mime });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url; a.download = name; a.style.display = 'none';
  document.body.appendChild(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Returns a short status line: where it went. */
export async function saveBytes(client: MatrixClient, name: string, data: Uint8Array, mime: string): Promise<string> {
  if (client.saveExport) {
    const path = await client.saveExport(name, data);
    return path ? `Saved ${path}` : 'Export cancelled';
  }
  download(name, data, mime);
  return `Downloaded ${name}`;
}

export const MIME = { png: 'image/png', svg: 'image/svg+xml', csv: 'text/csv' } as const;

export async function dataUrlToBytes(url: string): Promise<Uint8Array> {
  if (url.startsWith('data:image/svg+xml,')) return new TextEncoder().encode(decodeURIComponent(url.slice('data:image/svg+xml,'.length)));
  const comma = url.indexOf(',');
  const meta = url.slice(0, comma), body = url.slice(comma + 1);
  if (!meta.endsWith(';base64')) return new TextEncoder().encode(decodeURIComponent(body));
  const bin = atob(body);
  const out = new Uint8Array(bin.length);
  for (let k = 0; k < bin.length; k++) out[k] = bin.charCodeAt(k);
  return out;
}

export function canvasToPng(canvas: HTMLCanvasElement): Promise<Uint8Array> {
  return new Promise((resolve, reject) => canvas.toBlob(b => {
    if (!b) { reject(new Error('could not encode PNG')); return; }
    b.arrayBuffer().then(a => resolve(new Uint8Array(a)), reject);
  }, 'image/png'));
}

/** The source's file name as the user knows it (an upload's own name, not the stored copy's). */
export const sourceName = (info: { sourcePath: string; displayName?: string }): string => info.displayName ?? info.sourcePath.split(/[\\/]/).pop() ?? info.sourcePath;
/** The start of an export's file name: the source's name without folders or extension. */
export const exportStem = (info: { sourcePath: string; displayName?: string }): string =>
  (sourceName(info).split(/[\\/]/).pop() ?? 'matrix').replace(/\.[^.]+$/, '') || 'matrix';

export function toCsv(header: string[], rows: (number | string | null)[][]): Uint8Array {
  const cell = (v: number | string | null) => v === null ? '' : typeof v === 'number' ? (Number.isNaN(v) ? 'NaN' : String(v)) : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  return new TextEncoder().encode([header.join(','), ...rows.map(r => r.map(cell).join(','))].join('\n') + '\n');
}
