// Opening a matrix: a path box, a file picker (uploads the bytes where the client supports it), recent
// files, and the conversion's progress with a Cancel button.
import { useRef, useState } from 'react';
import type { RecentEntry } from '../../../shared/client';
import type { Progress } from '../../../shared/queries';

export interface OpenState { name: string; progress: Progress | null; cancel(): void }

export function OpenBar(props: {
  recent: RecentEntry[];
  opening: OpenState | null;
  canOpenBytes: boolean;
  onOpenPath(path: string): void;
  onOpenFile(file: File): void;
  onRefreshRecent(): void;
}) {
  const [path, setPath] = useState('');
  const fileRef = useRef<HTMLInputElement>(null);
  const { opening } = props;
  return (
    <form className="openbar" data-testid="open-bar" onSubmit={e => { e.preventDefault(); if (path.trim()) props.onOpenPath(path.trim()); }}>
      <input className="path" data-testid="open-path" placeholder="Path to a .mtx, .npy or .csv file" value={path} onChange={e => setPath(e.target.value)} list="recent-files" onFocus={props.onRefreshRecent} />
      <datalist id="recent-files">{props.recent.map(r => <option key={r.path} value={r.path} />)}</datalist>
      <button type="submit" data-testid="open-submit" disabled={!path.trim() || !!opening}>Open</button>
      {props.canOpenBytes ? <>
        <button type="button" data-testid="open-file" disabled={!!opening} onClick={() => fileRef.current?.click()}>Choose file…</button>
        <input ref={fileRef} type="file" hidden data-testid="open-file-input" accept=".mtx,.mm,.npy,.csv,.tsv,.txt" onChange={e => { const f = e.target.files?.[0]; if (f) props.onOpenFile(f); e.target.value = ''; }} />
      </> : null}
      {props.recent.length ? (
        <select className="recent" data-testid="recent-select" value="" onChange={e => { if (e.target.value) props.onOpenPath(e.target.value); }} disabled={!!opening}>
          <option value="">Recent…</option>
          {props.recent.map(r => <option key={r.path} value={r.path}>{r.path.split(/[\\/]/).pop()}{r.shape ? ` (${r.shape[0]}×${r.shape[1]})` : ''}</option>)}
        </select>
      ) : null}
      {opening ? (
        <span className="progress" data-testid="open-progress">
          <span className="muted">{opening.name}: {opening.progress?.phase ?? 'starting'}</span>
          <progress max={1} value={opening.progress?.fraction ?? undefined} />
          <button type="button" data-testid="open-cancel" onClick={opening.cancel}>Cancel</button>
        </span>
      ) : null}
    </form>
  );
}
