import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildMenuTemplate, commandsIn, recentLabels, type MenuSpec } from './menu-template';

const find = (items: MenuSpec[], label: string): MenuSpec | undefined => {
  for (const it of items) {
    if (it.label === label) return it;
    const sub = it.submenu && find(it.submenu, label);
    if (sub) return sub;
  }
  return undefined;
};

test('Linux: File menu with Open, Open Recent, New Window, Export, Close, Quit; no app menu', () => {
  const t = buildMenuTemplate({ platform: 'linux', appName: 'Matrix Explorer', recent: [{ path: '/d/a.mtx' }], hasMatrix: true });
  assert.deepEqual(t.map(m => m.label ?? m.role), ['&File', '&Edit', '&View', '&Help']);
  const file = t[0].submenu!.filter(i => i.type !== 'separator').map(i => i.label);
  assert.deepEqual(file, ['Open…', 'Open Recent', 'New Window', 'Export…', 'Close', '&Quit']);
  assert.equal(find(t, 'Open…')?.accelerator, 'CmdOrCtrl+O');
  assert.equal(find(t, 'New Window')?.accelerator, 'CmdOrCtrl+N');
  assert.equal(find(t, '&Quit')?.accelerator, 'Ctrl+Q');
  const recent = find(t, 'a.mtx')!;
  assert.equal(recent.command, 'open-recent');
  assert.equal(recent.arg, '/d/a.mtx');
});

test('macOS: app menu first with About and Quit (Cmd+Q), a Window menu, no Quit in File', () => {
  const t = buildMenuTemplate({ platform: 'darwin', appName: 'Matrix Explorer', recent: [], hasMatrix: false });
  assert.equal(t[0].label, 'Matrix Explorer');
  assert.deepEqual(t[0].submenu!.filter(i => i.command).map(i => i.command), ['about', 'quit']);
  assert.equal(t[0].submenu!.find(i => i.command === 'quit')?.accelerator, 'Cmd+Q');
  assert.ok(t[0].submenu!.some(i => i.role === 'hide'));
  assert.ok(t.some(m => m.role === 'windowMenu'));
  const file = t.find(m => m.label === '&File')!;
  assert.ok(!file.submenu!.some(i => i.command === 'quit'));
  assert.equal(file.submenu!.find(i => i.command === 'close-window')?.accelerator, 'Cmd+W');
  assert.equal(find(t, 'No Recent Files')?.enabled, false);
  assert.equal(find(t, 'New Window')?.enabled, false, 'nothing to duplicate without a matrix');
});

test('Windows: Exit without an accelerator', () => {
  const t = buildMenuTemplate({ platform: 'win32', appName: 'M', recent: [], hasMatrix: true });
  const exit = find(t, 'E&xit')!;
  assert.equal(exit.command, 'quit');
  assert.equal(exit.accelerator, undefined);
});

test('every command is one the main process handles; dev items only in dev', () => {
  const known = new Set(['open', 'open-recent', 'new-window', 'export', 'close-window', 'quit', 'about']);
  for (const platform of ['linux', 'darwin', 'win32'] as const) {
    const t = buildMenuTemplate({ platform, appName: 'M', recent: [{ path: '/a' }], hasMatrix: true });
    for (const c of commandsIn(t)) assert.ok(known.has(c), c);
    assert.ok(!JSON.stringify(t).includes('toggleDevTools'));
    assert.ok(JSON.stringify(buildMenuTemplate({ platform, appName: 'M', recent: [], hasMatrix: true, dev: true })).includes('toggleDevTools'));
  }
});

test('recent labels: base names, full paths when names clash, ampersands escaped', () => {
  assert.deepEqual(recentLabels(['/a/x.mtx', '/b/x.mtx', '/c/y&z.npy', 'C:\\d\\w.csv']), ['/a/x.mtx', '/b/x.mtx', 'y&&z.npy', 'w.csv']);
});
