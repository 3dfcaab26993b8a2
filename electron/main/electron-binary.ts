// Where the Electron binary is, for Node-side launchers (the CLI's `open`, the e2e tests). Under plain Node the
// `electron` package's export is the binary's path (and it throws when the binary was never downloaded); this is
// the one place outside the app that touches the package, so the layering rule "only electron/main imports
// 'electron'" holds.
import * as fs from 'node:fs';

export type ElectronBinary = { binary: string } | { reason: string };

export function findElectronBinary(): ElectronBinary {
  let binary: unknown;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    binary = require('electron');
  } catch (e) {
    const m = (e as Error)?.message ?? String(e);
    return { reason: /failed to install/i.test(m) ? 'the electron package has no binary (node_modules/electron/path.txt is missing)' : m.split('\n')[0] };
  }
  if (typeof binary !== 'string') return { reason: 'running inside Electron already' };
  if (!fs.existsSync(binary)) return { reason: `${binary} does not exist` };
  return { binary };
}
