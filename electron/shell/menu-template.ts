// Builds the application menu as plain data: items name a command (wired to handlers in electron/main) or an
// Electron role. Follows platform conventions: on macOS an app menu (About, Hide, Quit) and a Window menu,
// Close is Cmd+W; elsewhere File ends with Exit/Quit.

export type MenuCommand = 'open' | 'open-recent' | 'new-window' | 'export' | 'close-window' | 'quit' | 'about';

export interface MenuSpec {
  label?: string;
  /** An Electron menu role (standard behaviour, e.g. 'copy', 'hide', 'windowMenu'). */
  role?: string;
  type?: 'separator' | 'submenu' | 'normal';
  accelerator?: string;
  command?: MenuCommand;
  /** Argument for the command (the file path for open-recent). */
  arg?: string;
  enabled?: boolean;
  submenu?: MenuSpec[];
}

export interface MenuContext {
  platform: NodeJS.Platform;
  appName: string;
  recent: { path: string }[];
  /** Whether the focused window shows a matrix (enables New Window and Export). */
  hasMatrix: boolean;
  /** Show developer tools items. */
  dev?: boolean;
}

const basename = (p: string) => p.split(/[\\/]/).pop() || p;

/** "Open Recent" entries: distinct file names get their base name; duplicates show the full path. */
export function recentLabels(paths: string[]): string[] {
  const counts = new Map<string, number>();
  for (const p of paths) counts.set(basename(p), (counts.get(basename(p)) ?? 0) + 1);
  return paths.map(p => ((counts.get(basename(p)) ?? 0) > 1 ? p : basename(p)).replace(/&/g, '&&'));
}

export function buildMenuTemplate(ctx: MenuContext): MenuSpec[] {
  const mac = ctx.platform === 'darwin';
  const sep: MenuSpec = { type: 'separator' };
  const labels = recentLabels(ctx.recent.map(r => r.path));
  const recentItems: MenuSpec[] = ctx.recent.length
    ? ctx.recent.map((r, k) => ({ label: labels[k], command: 'open-recent' as const, arg: r.path }))
    : [{ label: 'No Recent Files', enabled: false }];

  const file: MenuSpec = {
    label: '&File',
    submenu: [
      { label: 'Open…', accelerator: 'CmdOrCtrl+O', command: 'open' },
      { label: 'Open Recent', type: 'submenu', submenu: recentItems },
      sep,
      { label: 'New Window', accelerator: 'CmdOrCtrl+N', command: 'new-window', enabled: ctx.hasMatrix },
      { label: 'Export…', accelerator: 'CmdOrCtrl+E', command: 'export', enabled: ctx.hasMatrix },
      sep,
      { label: mac ? 'Close Window' : 'Close', accelerator: mac ? 'Cmd+W' : 'Ctrl+W', command: 'close-window' },
      ...(mac ? [] : [sep, { label: ctx.platform === 'win32' ? 'E&xit' : '&Quit', accelerator: ctx.platform === 'win32' ? undefined : 'Ctrl+Q', command: 'quit' as const }]),
    ],
  };
  const edit: MenuSpec = {
    label: '&Edit',
    submenu: [{ role: 'undo' }, { role: 'redo' }, sep, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }],
  };
  const view: MenuSpec = {
    label: '&View',
    submenu: [
      ...(ctx.dev ? [{ role: 'reload' }, { role: 'toggleDevTools' }, sep] : []),
      { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, sep, { role: 'togglefullscreen' },
    ],
  };
  const help: MenuSpec = { label: '&Help', role: 'help', submenu: [{ label: `About ${ctx.appName}`, command: 'about' }] };

  if (!mac) return [file, edit, view, help];
  const app: MenuSpec = {
    label: ctx.appName,
    submenu: [
      { label: `About ${ctx.appName}`, command: 'about' }, sep,
      { role: 'services' }, sep,
      { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, sep,
      { label: `Quit ${ctx.appName}`, accelerator: 'Cmd+Q', command: 'quit' },
    ],
  };
  return [app, file, edit, view, { role: 'windowMenu' }, { ...help, submenu: [] }];
}

/** Every command reachable from a template (for tests and for checking every command has a handler). */
export function commandsIn(template: MenuSpec[]): MenuCommand[] {
  const out: MenuCommand[] = [];
  const walk = (items: MenuSpec[]) => { for (const it of items) { if (it.command) out.push(it.command); if (it.submenu) walk(it.submenu); } };
  walk(template);
  return out;
}
