// Builds the explorer UI (renderer/) into dist/renderer/, loadable from file:// (Electron) and from the
// browser-mode server alike (relative asset paths).
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  logLevel: 'warn',
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    chunkSizeWarningLimit: 6000,
    sourcemap: false,
  },
  oxc: { jsx: { runtime: 'automatic' } },
  server: { fs: { allow: ['..'] } },
});
