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
  plugins: [{
    // main.tsx loads the app (./boot) with import() once it has started connecting; have the browser fetch
    // and compile that chunk already while it runs the small entry.
    name: 'preload-boot-chunk',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const boot = Object.values(ctx.bundle ?? {}).find(c => c.type === 'chunk' && c.name === 'boot');
        return boot ? [{ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `./${boot.fileName}` }, injectTo: 'head' }] : [];
      },
    },
  }],
  oxc: { jsx: { runtime: 'automatic' } },
  server: { fs: { allow: ['..'] } },
});
