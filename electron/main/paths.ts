// Where the app's pieces are, relative to this compiled file (dist/electron/main/*.js; packaged: inside app.asar).
import * as path from 'node:path';

const fromSource = path.extname(__filename) === '.ts';
/** The project (or packaged app) root: the directory holding package.json and dist/. */
export const appRoot = path.resolve(__dirname, ...(fromSource ? ['..', '..'] : ['..', '..', '..']));
/** The Vite build of the UI, served as app://renderer/. */
export const rendererDir = path.join(appRoot, 'dist', 'renderer');
/** The bundled, self-contained preload (scripts/build-preload.mjs). */
export const preloadPath = path.join(appRoot, 'dist', 'electron', 'main', 'preload.js');
/** The helper process entry, forked with utilityProcess. */
export const helperMainPath = path.join(appRoot, 'dist', 'electron', 'pool', 'helper-main.js');
/** The conversion process entry, forked with utilityProcess (one per conversion). */
export const convertHostPath = path.join(appRoot, 'dist', 'electron', 'shell', 'convert-host-main.js');

/** First line of a preload built by scripts/build-preload.mjs (tsc's unbundled output cannot run sandboxed). */
export const PRELOAD_BANNER = '// matrix-explorer preload bundle';
