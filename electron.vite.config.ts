import { defineConfig } from 'electron-vite';

// Three builds: main (plus the web-shell entry, which composes the same services), the preload (one
// CommonJS file, as sandboxed preloads must be), and the renderer.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rolldownOptions: {
        // The Simple MAPI helper is its own entry: main starts it as a separate (utility) process. The
        // `kurier` command line (bin/kurier.mjs) runs out/main/cli.js.
        input: {
          main: 'electron/main.ts',
          'web-shell': 'electron/web-shell/start.ts',
          'mapi-helper': 'electron/services/handoff/mapi-helper-entry.ts',
          cli: 'electron/cli/kurier.ts',
          // Worker threads of the render pool (export/render-pool.ts): main and the web shell start them.
          'render-worker': 'electron/services/export/render-worker.ts',
        },
        output: { format: 'es', entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rolldownOptions: {
        input: { preload: 'electron/preload.ts' },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    base: './',
    build: {
      outDir: 'out/renderer',
      minify: true,
      rolldownOptions: { input: 'renderer/index.html' },
    },
  },
});
