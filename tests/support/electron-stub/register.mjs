// Loaded with `node --import` before the built out/main/main.js: makes `import … from 'electron'` resolve
// to the stub beside this file and gives the process what the packaged app has — `process.resourcesPath`
// (ELECTRON_STUB_RESOURCES) and the packaged argv layout, `[binary, ARGS…]` (Node's own argv has the
// script's path in second place, which Electron's packaged argv does not).
import { registerHooks } from 'node:module';

const stub = new URL('./electron.mjs', import.meta.url).href;
registerHooks({
  resolve: (specifier, context, nextResolve) =>
    specifier === 'electron' ? { url: stub, format: 'module', shortCircuit: true } : nextResolve(specifier, context),
});
process.argv.splice(1, 1);
process.resourcesPath = process.env.ELECTRON_STUB_RESOURCES ?? '';
