// Turns the plain menu template (electron/shell/menu-template) into Electron's application menu and runs its
// commands: Open…, Open Recent, New Window, Export…, Close, Quit, About.
import { app, BrowserWindow, dialog, Menu, type MenuItemConstructorOptions } from 'electron';
import * as path from 'node:path';
import type { RecentEntry } from '../../shared/client';
import { buildMenuTemplate, type MenuCommand, type MenuSpec } from '../shell/menu-template';
import { saveWithDialog } from './ipc-handlers';
import type { WindowManager } from './window-manager';

export interface MenuDeps {
  windows: WindowManager;
  recent(): RecentEntry[];
  log(line: string): void;
}

type Role = NonNullable<MenuItemConstructorOptions['role']>;

export function toElectronMenu(spec: MenuSpec[], run: (command: MenuCommand, arg?: string) => void): MenuItemConstructorOptions[] {
  return spec.map(item => {
    const out: MenuItemConstructorOptions = {};
    if (item.label !== undefined) out.label = item.label;
    if (item.role) out.role = item.role as Role;
    if (item.type) out.type = item.type;
    if (item.accelerator) out.accelerator = item.accelerator;
    if (item.enabled !== undefined) out.enabled = item.enabled;
    if (item.submenu) out.submenu = toElectronMenu(item.submenu, run);
    const command = item.command;
    if (command) out.click = () => run(command, item.arg);
    return out;
  });
}

export class AppMenu {
  constructor(private readonly deps: MenuDeps) {}

  refresh(): void {
    const focused = this.deps.windows.focused();
    const spec = buildMenuTemplate({
      platform: process.platform,
      appName: app.getName(),
      recent: this.deps.recent(),
      hasMatrix: !!focused?.rec.matrixId,
      dev: !app.isPackaged,
    });
    Menu.setApplicationMenu(Menu.buildFromTemplate(toElectronMenu(spec, (c, a) => { void this.run(c, a); })));
  }

  async run(command: MenuCommand, arg?: string): Promise<void> {
    const { windows } = this.deps;
    const focused = windows.focused();
    try {
      switch (command) {
        case 'open': {
          const options: Electron.OpenDialogOptions = {
            title: 'Open a matrix',
            properties: ['openFile', 'multiSelections'],
            filters: [
              { name: 'Matrices (.mtx, .npy, .csv)', extensions: ['mtx', 'npy', 'csv', 'tsv', 'txt'] },
              { name: 'All files', extensions: ['*'] },
            ],
          };
          const r = focused ? await dialog.showOpenDialog(focused.win, options) : await dialog.showOpenDialog(options);
          if (!r.canceled) for (const f of r.filePaths) windows.openChosen(f, 'dialog', focused?.rec.windowId);
          return;
        }
        case 'open-recent':
          if (arg) windows.openChosen(arg, 'recent', focused?.rec.windowId);
          return;
        case 'new-window':
          if (focused?.rec.matrixId) windows.create({ matrixId: focused.rec.matrixId });
          return;
        case 'export': {
          if (!focused) return;
          const image = await focused.win.webContents.capturePage();
          const base = path.basename(focused.rec.matrixId ?? 'matrix').replace(/\.mxstore$/, '');
          await saveWithDialog(focused.win, `${base}.png`, image.toPNG());
          return;
        }
        case 'close-window':
          (BrowserWindow.getFocusedWindow() ?? focused?.win)?.close();
          return;
        case 'quit':
          app.quit();
          return;
        case 'about':
          app.showAboutPanel();
          return;
      }
    } catch (e) {
      this.deps.log(`${command} failed: ${(e as Error)?.message ?? e}`);
      const message = `${command === 'export' ? 'Export' : 'That'} failed: ${(e as Error)?.message ?? e}`;
      if (focused) void dialog.showMessageBox(focused.win, { type: 'error', message });
    }
  }
}

